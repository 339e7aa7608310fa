using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>Scratch copies of a database: made fresh for a rehearsal, never the database itself, and dropped afterwards.</summary>
public interface IScratchCopies
{
    /// <summary>
    /// A fresh copy of <paramref name="target"/>, dropped when disposed unless kept. <paramref name="scratchFolder"/>
    /// is where an engine whose databases are files puts the copy (a server engine restores it beside the database).
    /// </summary>
    ParallelCopy Create(DatabaseTarget target, string scratchFolder, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Drops a scratch database made by <see cref="Create"/>, and only one that exists.</summary>
    void Drop(DatabaseTarget scratch);
}
