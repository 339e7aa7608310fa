using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>Counts what a run leaves for the DBA, for its report (read only; optional: without it the report says "not counted").</summary>
public interface IRunAftermathCounter
{
    /// <summary>Tables and columns of <paramref name="database"/> that the rollback point's schema snapshot lacks, with their rows.</summary>
    IReadOnlyList<LeftoverSchema> LeftBehind(RollbackPoint point, DatabaseTarget database, IOperationReporter reporter);

    /// <summary>Per application table, the rows of the run's parallel database that differ from <paramref name="database"/>.</summary>
    IReadOnlyList<RecoveredTable> Recovered(RollbackPlan plan, DatabaseTarget database, string preRollbackBackup, IOperationReporter reporter, CancellationToken cancellationToken);
}
