using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution.Steps;

public sealed class BackupCurrentHandler : StepHandler<BackupCurrentStep>
{
    /// <summary>The pre-rollback backup's file name (without extension) in the run's database folder.</summary>
    public const string PreRollbackFileName = "pre-rollback";

    /// <summary>The folder of a run's database backups (pre-rollback, tail-log, after a revert).</summary>
    public static string DatabaseFolder(string runFolder) => Path.Combine(runFolder, "database");

    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Database];

    protected override void CheckPreconditions(BackupCurrentStep step, StepContext c) => c.DatabaseOf(step);

    protected override async Task<StepOutcome> RunAsync(BackupCurrentStep step, StepContext c, CancellationToken ct)
    {
        var database = c.DatabaseOf(step);
        var backup = await c.Db.BackupAsync(database.Target, DatabaseFolder(c.Journal.RunFolder), PreRollbackFileName + database.FileNameSuffix, c.Reporter, ct).ConfigureAwait(false);
        if (!backup.Verified)
        {
            throw new OsRollbackException("BackupNotVerified", OsErrorCategory.InvalidResult,
                $"The pre-rollback backup of {database.DisplayName} did not verify; no pre-deploy backup was restored.", database.DisplayName,
                "Check the backup location and space, then -Resume.");
        }
        return new BackupTaken { Detail = $"verified backup {backup.Path} ({backup.SizeBytes} bytes)", BackupPath = backup.Path, SizeBytes = backup.SizeBytes, Database = step.Database, Record = backup };
    }
}

public sealed class RestoreDatabaseHandler : StepHandler<RestoreDatabaseStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Database];

    protected override void CheckPreconditions(RestoreDatabaseStep step, StepContext c) => c.Verification.EnsureCheap(c.DatabaseOf(step).BackupRole);

    protected override async Task<StepOutcome> RunAsync(RestoreDatabaseStep step, StepContext c, CancellationToken ct)
    {
        var database = c.DatabaseOf(step);
        c.Verification.EnsureCheap(database.BackupRole);
        var backup = c.Point.Manifest.File(database.BackupRole)!;
        // The pre-rollback backup of this database in this run is the restore's safety backup: no second one inside the outage.
        var safety = c.Journal.PreRollbackBackupOf(step.Database) is { } taken
            ? taken.Record ?? new Ports.BackupRecord(taken.BackupPath, c.Now, true, taken.SizeBytes)
            : null;
        try
        {
            // Only the approved content is restored: the hash the manifest (pinned by the plan) records, checked while restoring.
            await c.Db.RestoreApprovedAsync(database.Target, c.Point.FullPath(backup.Path), ApprovedContent.Sha256Of(c.Plan, backup), safety, c.Reporter, ct).ConfigureAwait(false);
        }
        catch (OsRollbackException ex) when (FactoryRestoreProgress.Of(step, c) is { } progress)
        {
            throw new OsRollbackException(ex.ErrorId, ex.Category, $"{ex.Message} {progress}", ex.Target, ex.RecommendedAction, ex);
        }
        if (step.Database is null)
            RollbackPointRestores.Record(c.Point, new RollbackPointRestore(c.Now, $"{System.Environment.UserName}@{System.Environment.MachineName}", c.Plan.Id));
        return Done($"restored the backup of {c.Point.Manifest.Backup?.TakenAt:u} into {database.DisplayName}");
    }
}

/// <summary>Which databases of a multi-database restore are already restored when one fails, so the operator knows the state of the factory.</summary>
internal static class FactoryRestoreProgress
{
    /// <summary>Null when the plan restores one database only.</summary>
    public static string? Of(RollbackStep failing, StepContext c)
    {
        var restores = c.Plan.Steps.Where(s => s.RestoresDatabase).ToList();
        if (restores.Count < 2) return null;
        var done = restores.Where(s => s.Number != failing.Number && c.Journal.IsFinished(s.Number)).Select(s => s.Target).ToList();
        var notYet = restores.Where(s => s.Number != failing.Number && !c.Journal.IsFinished(s.Number)).Select(s => s.Target).ToList();
        return $"Restored already in this run: {(done.Count == 0 ? "none" : string.Join(", ", done))}; not restored: {failing.Target}{(notYet.Count > 0 ? ", " + string.Join(", ", notYet) : "")}.";
    }
}

public sealed class RestoreParallelHandler : StepHandler<RestoreParallelStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Database];

    protected override void CheckPreconditions(RestoreParallelStep step, StepContext c) => c.RequiredDatabase(step);

    protected override async Task<StepOutcome> RunAsync(RestoreParallelStep step, StepContext c, CancellationToken ct)
    {
        var source = c.Journal.PreRollbackBackupOf(null)?.BackupPath ?? throw new OsRollbackException("PreRollbackBackupMissing", OsErrorCategory.ObjectNotFound,
            "The journal holds no pre-rollback backup to restore as a parallel database.", c.Plan.Id, "Check the journal; restore the pre-rollback backup by hand with Restore-OsDatabase.");
        var parallel = await c.Db.RestoreAsParallelAsync(c.RequiredDatabase(step), source, ParallelSuffix(c.Plan), c.Reporter, ct).ConfigureAwait(false);
        return new ParallelDatabaseRestored { Detail = $"pre-rollback data available in {parallel}", ParallelDatabase = parallel };
    }

    /// <summary>The parallel database's name suffix: the plan's id, so a resumed run replaces its own copy only.</summary>
    public static string ParallelSuffix(RollbackPlan plan) => $"OsRollback_{plan.Id[..Math.Min(8, plan.Id.Length)]}";
}
