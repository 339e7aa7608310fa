using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// The fast way back to a rollback point (SQL Server only): snapshot and mark at rollback-point time,
/// the facts the path chooser needs at plan time, and the revert or the restore to the mark at run time.
/// Optional: without it every Database rollback is a full restore.
/// </summary>
public interface IFastRevertDatabase
{
    /// <summary>Creates the snapshot and the mark where the server allows it; null when the engine has neither (SQLite).</summary>
    Task<RollbackFastRevertInfo?> CreateAtRollbackPointAsync(DatabaseTarget target, BackupRecord fullBackup, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>What the server reports now about the point's snapshot, log chain and size (reads only).</summary>
    Task<RevertFacts> ReadFactsAsync(DatabaseTarget target, RollbackFastRevertInfo info, long databaseBytes, CancellationToken cancellationToken);

    /// <summary>Tail-log backup, drop the other snapshots, revert, full backup after; returns the T-SQL run in order.</summary>
    Task<RevertResult> RevertToSnapshotAsync(DatabaseTarget target, RollbackFastRevertInfo info, string backupFolder, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Restores the point's full backup and the log chain STOPBEFOREMARK the deploy's mark.</summary>
    Task<RevertResult> RestoreToMarkAsync(DatabaseTarget target, string fullBackupPath, RollbackFastRevertInfo info, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Availability group, mirroring, log shipping, replication and TDE of the live database (stops planning a restore).</summary>
    Task<SharedServerFeatures?> ReadSharedServerAsync(DatabaseTarget target, CancellationToken cancellationToken);

    /// <summary>Retention: drops the point's snapshot with the point.</summary>
    Task DropAsync(DatabaseTarget target, RollbackFastRevertInfo info, CancellationToken cancellationToken);
}
