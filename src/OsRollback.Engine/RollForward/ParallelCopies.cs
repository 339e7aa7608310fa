using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.RollForward;

/// <summary>Makes a fresh parallel copy of a database.</summary>
public interface IParallelCopies
{
    ParallelCopy Create(DatabaseTarget target, string scratchFolder, IOperationReporter reporter, CancellationToken cancellationToken);
}

/// <summary>A scratch copy made by the target's provider (<see cref="IScratchCopies"/>): SQLite through the online backup API into the scratch folder, SQL Server a verified copy-only backup restored under a new name.</summary>
public sealed class ParallelCopies(DatabaseProviders? providers = null) : IParallelCopies
{
    public ParallelCopy Create(DatabaseTarget target, string scratchFolder, IOperationReporter reporter, CancellationToken cancellationToken) =>
        (providers ?? DatabaseProviders.Default).For(target).Operations.Scratch.Create(target, scratchFolder, reporter, cancellationToken);
}
