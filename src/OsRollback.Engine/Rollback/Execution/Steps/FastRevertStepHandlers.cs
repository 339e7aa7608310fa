using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution.Steps;

public sealed class RevertToSnapshotHandler : StepHandler<RevertToSnapshotStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.FastRevert];

    protected override void CheckPreconditions(RevertToSnapshotStep step, StepContext c)
    {
        c.RequiredDatabase(step);
        FastRevertInfo(step, c);
    }

    protected override async Task<StepOutcome> RunAsync(RevertToSnapshotStep step, StepContext c, CancellationToken ct)
    {
        var result = await c.FastRevert.RevertToSnapshotAsync(c.RequiredDatabase(step), FastRevertInfo(step, c), BackupCurrentHandler.DatabaseFolder(c.Journal.RunFolder), c.Reporter, ct).ConfigureAwait(false);
        RollbackPointRestores.Record(c.Point, new RollbackPointRestore(c.Now, $"{System.Environment.UserName}@{System.Environment.MachineName}", c.Plan.Id));
        var after = result.FullBackupAfter?.FilePath.FirstOrDefault();
        return Done($"reverted to the snapshot {step.SnapshotName} ({result.Steps.Count} statements)" + (after is null ? "; take a full backup now, the old log chain ended" : $"; full backup after the revert {after}"));
    }

    internal static RollbackFastRevertInfo FastRevertInfo(RollbackStep step, StepContext c) => c.Point.Manifest.FastRevert
        ?? throw new OsRollbackException("FastRevertNotRecorded", OsErrorCategory.InvalidData,
            $"Step {step.Number} ({step.Title}) needs the snapshot or mark of the rollback point, which its manifest does not record.", c.Point.Id,
            "Make a new plan: it chooses the full restore for this rollback point.");
}

public sealed class RestoreToMarkHandler : StepHandler<RestoreToMarkStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.FastRevert];

    protected override void CheckPreconditions(RestoreToMarkStep step, StepContext c)
    {
        c.RequiredDatabase(step);
        RevertToSnapshotHandler.FastRevertInfo(step, c);
        c.Verification.EnsureCheap(RollbackFileRoles.Backup);
    }

    protected override async Task<StepOutcome> RunAsync(RestoreToMarkStep step, StepContext c, CancellationToken ct)
    {
        c.Verification.EnsureCheap(RollbackFileRoles.Backup);
        var backup = c.Point.Manifest.File(RollbackFileRoles.Backup)!;
        var result = await c.FastRevert.RestoreToMarkAsync(c.RequiredDatabase(step), c.Point.FullPath(backup.Path), RevertToSnapshotHandler.FastRevertInfo(step, c), c.Reporter, ct).ConfigureAwait(false);
        RollbackPointRestores.Record(c.Point, new RollbackPointRestore(c.Now, $"{System.Environment.UserName}@{System.Environment.MachineName}", c.Plan.Id));
        return Done($"restored the full backup and {result.Steps.Count - 1} log backups up to the mark {step.MarkName}");
    }
}
