using OsRollback.Engine.Database;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// The fast-revert aids a rollback point created on SQL Server: a database snapshot (its sparse
/// files grow with every page changed after the deploy) and the marked transaction of the deploy.
/// The full backup stays the fallback when either is missing.
/// </summary>
public sealed class RollbackFastRevertInfo
{
    public string Database { get; set; } = "";
    public string? SnapshotName { get; set; }
    public List<SparseFile> SparseFiles { get; set; } = [];
    public string? MarkName { get; set; }
    public string RecoveryModel { get; set; } = "";
    public List<string> Notes { get; set; } = [];

    /// <summary>The last LSN of the point's full backup: the log chain to the mark starts after it.</summary>
    public decimal? FullBackupLastLsn { get; set; }

    public static RollbackFastRevertInfo From(RollbackPointSnapshot snapshot, decimal? fullBackupLastLsn) => new()
    {
        Database = snapshot.Database,
        SnapshotName = snapshot.SnapshotName,
        SparseFiles = snapshot.SparseFiles.ToList(),
        MarkName = snapshot.MarkName,
        RecoveryModel = snapshot.RecoveryModel,
        Notes = snapshot.Notes.ToList(),
        FullBackupLastLsn = fullBackupLastLsn,
    };

    public RollbackPointSnapshot ToSnapshot() => new(Database, SnapshotName, SparseFiles, MarkName, RecoveryModel, Notes);
}
