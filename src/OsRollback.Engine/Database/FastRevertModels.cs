namespace OsRollback.Engine.Database;

/// <summary>A data file of the database and the sparse file of its snapshot.</summary>
public sealed record SparseFile(string LogicalName, string SparsePath);

/// <summary>What the rollback point recorded for a fast revert of one database.</summary>
public sealed record RollbackPointSnapshot(string Database, string? SnapshotName, IReadOnlyList<SparseFile> SparseFiles, string? MarkName, string RecoveryModel, IReadOnlyList<string> Notes);

/// <summary>The outcome of a revert: every step run, in order.</summary>
public sealed record RevertResult(string Database, RestorePathKind Path, IReadOnlyList<string> Steps, BackupResult? FullBackupAfter);

/// <summary>How to take the fast-revert steps.</summary>
public sealed class FastRevertOptions
{
    /// <summary>Folder (on the server) for the sparse files; null: beside each data file.</summary>
    public string? SparseFolder { get; init; }
    /// <summary>Free bytes a volume must keep beyond the expected sparse growth; below, no snapshot is created.</summary>
    public double MinimumFreeFraction { get; init; } = 0.10;
    /// <summary>A revert needs the database's only snapshot: drop the others first (false: refuse instead).</summary>
    public bool DropOtherSnapshots { get; init; } = true;
    /// <summary>Where the tail-log backup and the full backup after the revert go (server folders).</summary>
    public string? BackupFolder { get; init; }
}
