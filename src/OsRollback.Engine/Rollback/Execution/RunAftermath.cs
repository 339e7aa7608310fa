using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// What a run leaves for the DBA, counted once after the last step so the report can lead with it:
/// the rows the parallel database holds for recovery (per application table) and the tables and
/// columns the rolled-back version left behind (with their rows), by the run's
/// <see cref="IRunAftermathCounter"/> port. Each part says why when it was not counted; counting
/// never fails the run.
/// </summary>
public sealed class RunAftermath
{
    public List<RecoveredTable> RecoveredRows { get; set; } = [];

    /// <summary>Why <see cref="RecoveredRows"/> is empty or incomplete; null when counted.</summary>
    public string? RecoveredRowsNote { get; set; }

    public List<LeftoverSchema> LeftBehind { get; set; } = [];

    /// <summary>Why <see cref="LeftBehind"/> was not counted; null when counted.</summary>
    public string? LeftBehindNote { get; set; }

    /// <summary>Both parts counted by <paramref name="counter"/>, or the reason they were not (no counter, no database); never throws.</summary>
    public static RunAftermath Collect(IRunAftermathCounter? counter, RollbackPlan plan, RollbackPoint point, DatabaseTarget? database, string? preRollbackBackup,
        string? parallelDatabase, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var aftermath = new RunAftermath();
        if (database is null || counter is null)
        {
            var why = database is null ? "no database was given to Invoke-OsRollback (-SqlitePath or -SqlInstance/-Database)" : "this host counts no rows";
            aftermath.LeftBehindNote = $"Not counted: {why}; run Get-OsSchemaDrift.";
            aftermath.RecoveredRowsNote = parallelDatabase is null ? null : $"Not counted: {why}; run Compare-OsDatabaseData.";
            return aftermath;
        }
        aftermath.LeftBehindNote = Try(() => aftermath.LeftBehind = counter.LeftBehind(SnapshotPath(point), database, reporter).ToList(), "Get-OsSchemaDrift");
        if (parallelDatabase is not null && preRollbackBackup is not null)
            aftermath.RecoveredRowsNote = Try(() => aftermath.RecoveredRows = counter.Recovered(database, preRollbackBackup, Steps.RestoreParallelHandler.ParallelSuffix(plan), plan.DataLossFrom, reporter, cancellationToken).ToList(), "Compare-OsDatabaseData");
        return aftermath;
    }

    private static string SnapshotPath(RollbackPoint point) => point.Manifest.File(RollbackFileRoles.SchemaSnapshot) is { } file
        ? point.FullPath(file.Path)
        : throw new OsRollbackException("SchemaSnapshotMissing", OsErrorCategory.ObjectNotFound, "the rollback point holds no schema snapshot", point.Id, null);

    private static string? Try(Action count, string cmdlet)
    {
        try
        {
            count();
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return SecretScrubber.Scrub($"Not counted ({(ex as OsRollbackException)?.ErrorId ?? ex.GetType().Name}: {ex.Message}); run {cmdlet}.");
        }
    }
}
