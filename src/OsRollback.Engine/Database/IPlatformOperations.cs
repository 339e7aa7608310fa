using OsRollback.Engine.Database.Locking;

namespace OsRollback.Engine.Database;

/// <summary>
/// What an engine does around a rollback besides backup and restore: the environment's rollback
/// lock, the platform tables the timer cmdlets and the planner read and write, and the scratch copy
/// a data repair is rehearsed on. Each provider offers one (<see cref="IDatabaseProvider.Operations"/>).
/// </summary>
public interface IPlatformOperations
{
    /// <summary>The rollback lock of the environment whose platform database this engine holds.</summary>
    IEnvironmentLocking Locking { get; }

    /// <summary>The timer tables and the business-process instances of the platform database.</summary>
    IPlatformTables Tables { get; }

    /// <summary>Scratch copies of a database (made for a rehearsal, dropped after it).</summary>
    IScratchCopies Scratch { get; }
}

/// <summary>An engine's operations, one object per capability.</summary>
public sealed record PlatformOperations(IEnvironmentLocking Locking, IPlatformTables Tables, IScratchCopies Scratch) : IPlatformOperations;
