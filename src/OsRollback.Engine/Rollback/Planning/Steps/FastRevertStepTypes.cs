namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// Reverts the live database to the rollback point's snapshot: tail-log backup, drop the other
/// snapshots, RESTORE FROM DATABASE_SNAPSHOT, then a full backup (the revert ends the old log chain).
/// </summary>
public sealed record RevertToSnapshotStep : RollbackStep
{
    public override bool RestoresDatabase => true;

    public string SnapshotName { get; init; } = "";
}

/// <summary>Restores the rollback point's full backup and the log chain STOPBEFOREMARK the deploy's mark.</summary>
public sealed record RestoreToMarkStep : RollbackStep
{
    public override bool RestoresDatabase => true;

    public string MarkName { get; init; } = "";
}
