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

    protected override void CheckPreconditions(BackupCurrentStep step, StepContext c) => c.RequiredDatabase(step);

    protected override async Task<StepOutcome> RunAsync(BackupCurrentStep step, StepContext c, CancellationToken ct)
    {
        var database = c.RequiredDatabase(step);
        var backup = await c.Db.BackupAsync(database, DatabaseFolder(c.Journal.RunFolder), PreRollbackFileName, c.Reporter, ct).ConfigureAwait(false);
        if (!backup.Verified)
        {
            throw new OsRollbackException("BackupNotVerified", OsErrorCategory.InvalidResult,
                $"The pre-rollback backup of {database.DisplayName} did not verify; the pre-deploy backup was not restored.", database.DisplayName,
                "Check the backup location and space, then -Resume.");
        }
        return new BackupTaken { Detail = $"verified backup {backup.Path} ({backup.SizeBytes} bytes)", BackupPath = backup.Path, SizeBytes = backup.SizeBytes };
    }
}

public sealed class RestoreDatabaseHandler : StepHandler<RestoreDatabaseStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Database];

    protected override void CheckPreconditions(RestoreDatabaseStep step, StepContext c)
    {
        c.RequiredDatabase(step);
        c.Verification.EnsureCheap(RollbackFileRoles.Backup);
    }

    protected override async Task<StepOutcome> RunAsync(RestoreDatabaseStep step, StepContext c, CancellationToken ct)
    {
        c.Verification.EnsureCheap(RollbackFileRoles.Backup);
        var backup = c.Point.Manifest.File(RollbackFileRoles.Backup)!;
        // The pre-rollback backup of this run is the restore's safety backup: no second one inside the outage.
        var safety = c.Journal.LastFinishedOutcome<BackupTaken>()?.BackupPath;
        await c.Db.RestoreAsync(c.RequiredDatabase(step), c.Point.FullPath(backup.Path), safety, c.Reporter, ct).ConfigureAwait(false);
        RollbackPointRestores.Record(c.Point, new RollbackPointRestore(c.Now, $"{System.Environment.UserName}@{System.Environment.MachineName}", c.Plan.Id));
        return Done($"restored the backup of {c.Point.Manifest.Backup?.TakenAt:u}");
    }
}

public sealed class RestoreParallelHandler : StepHandler<RestoreParallelStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Database];

    protected override void CheckPreconditions(RestoreParallelStep step, StepContext c) => c.RequiredDatabase(step);

    protected override async Task<StepOutcome> RunAsync(RestoreParallelStep step, StepContext c, CancellationToken ct)
    {
        var source = c.Journal.LastFinishedOutcome<BackupTaken>()?.BackupPath ?? throw new OsRollbackException("PreRollbackBackupMissing", OsErrorCategory.ObjectNotFound,
            "The journal holds no pre-rollback backup to restore as a parallel database.", c.Plan.Id, "Check the journal; restore the pre-rollback backup by hand with Restore-OsDatabase.");
        var parallel = await c.Db.RestoreAsParallelAsync(c.RequiredDatabase(step), source, ParallelSuffix(c.Plan), c.Reporter, ct).ConfigureAwait(false);
        return new ParallelDatabaseRestored { Detail = $"pre-rollback data available in {parallel}", ParallelDatabase = parallel };
    }

    /// <summary>The parallel database's name suffix: the plan's id, so a resumed run replaces its own copy only.</summary>
    public static string ParallelSuffix(RollbackPlan plan) => $"OsRollback_{plan.Id[..Math.Min(8, plan.Id.Length)]}";
}
