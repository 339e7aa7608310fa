using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// A plan <see cref="RollbackRun.Validate"/> accepted for its rollback point and database, with the point's
/// checks done so far: the command checks once (before -WhatIf and the confirmation) and
/// <see cref="RollbackRun.ExecuteAsync(ValidatedRollback, IOperationReporter, CancellationToken)"/> runs it without checking again.
/// </summary>
public sealed class ValidatedRollback
{
    internal ValidatedRollback(RollbackPlan plan, RollbackPoint point, DatabaseTarget? database, RollbackExecutionOptions options, RollbackPointVerification verification)
    {
        Plan = plan;
        Point = point;
        Database = database;
        Options = options;
        Verification = verification;
    }

    public RollbackPlan Plan { get; }
    public RollbackPoint Point { get; }
    public DatabaseTarget? Database { get; }
    public RollbackExecutionOptions Options { get; }
    internal RollbackPointVerification Verification { get; }
}
