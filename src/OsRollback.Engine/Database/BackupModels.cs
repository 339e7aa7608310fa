using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// One full backup (or, on Azure SQL Database, one database copy), as written by
/// Backup-OsDatabase or read back from history. Its property names bind by property name
/// into Test-OsDatabaseBackup (FilePath, SqlInstance) and Restore-OsDatabase (FilePath).
/// </summary>
public sealed class BackupResult
{
    /// <summary>The backed-up database (SQL Server name; for SQLite the file name without extension).</summary>
    public string Database { get; init; } = "";
    /// <summary>The SQL Server instance the backup was taken on (null for SQLite).</summary>
    public string? SqlInstance { get; init; }
    /// <summary>The SQLite database that was backed up (null for SQL Server).</summary>
    public string? SqlitePath { get; init; }
    /// <summary>The server name as SQL Server reports it (@@SERVERNAME) or the machine name for SQLite.</summary>
    public string? ServerName { get; init; }
    public DatabaseEngineKind Engine { get; init; }
    /// <summary>Full (BACKUP DATABASE / SQLite backup API) or DatabaseCopy (Azure SQL Database).</summary>
    public BackupKind Kind { get; init; } = BackupKind.Full;
    /// <summary>Every file (stripe) or URL of the backup; for a database copy, empty.</summary>
    public string[] FilePath { get; init; } = [];
    /// <summary>The folder(s) the backup was written to.</summary>
    public string[] Path { get; init; } = [];
    /// <summary>On Azure SQL Database: the name of the copy that holds the backup.</summary>
    public string? CopyDatabaseName { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public TimeSpan Duration => End - Start;
    /// <summary>Bytes of data backed up.</summary>
    public long Size { get; init; }
    /// <summary>Bytes written (after compression), when known.</summary>
    public long? CompressedSize { get; init; }
    public bool IsCompressed => CompressedSize is long c && c < Size;
    public decimal? FirstLsn { get; init; }
    public decimal? LastLsn { get; init; }
    public bool IsCopyOnly { get; init; }
    public bool HasChecksum { get; init; }
    public string? RecoveryModel { get; init; }
    /// <summary>True when the backup was checked after it was written (VERIFYONLY WITH CHECKSUM, or a SQLite integrity check of the copy).</summary>
    public bool Verified { get; set; }
    /// <summary>msdb backup_set_id (SQL Server) or the id in the metadata file (SQLite).</summary>
    public string BackupId { get; init; } = "";
    /// <summary>True when this module wrote the backup (only those are removed by retention).</summary>
    public bool WrittenByOsRollback { get; init; }

    public override string ToString() => $"{Database} {Kind} backup {Start:u} ({string.Join(", ", FilePath)})";
}

public enum BackupKind { Full, DatabaseCopy }

/// <summary>What Backup-OsDatabase is asked to do.</summary>
public sealed class BackupOptions
{
    /// <summary>Folders to write to; more than one stripes the backup across them.</summary>
    public IReadOnlyList<string> Path { get; init; } = [];
    /// <summary>Exact file(s) to write (instead of <see cref="Path"/>).</summary>
    public IReadOnlyList<string> FilePath { get; init; } = [];
    /// <summary>
    /// Azure Blob container URL(s) for BACKUP TO URL. The server authenticates with the Shared
    /// Access Signature credential named after the container URL (CREATE CREDENTIAL
    /// [https://account.blob.core.windows.net/container] WITH IDENTITY = 'SHARED ACCESS SIGNATURE', SECRET = ...),
    /// which RESTORE and VERIFYONLY use as well.
    /// </summary>
    public IReadOnlyList<string> Url { get; init; } = [];
    /// <summary>Copy-only (default), so a pre-deploy backup never breaks the log chain.</summary>
    public bool CopyOnly { get; init; } = true;
    /// <summary>Null: use compression when the edition supports it. False: never.</summary>
    public bool? Compress { get; init; }
    public bool Verify { get; init; }
    /// <summary>
    /// Overwrite the backup file(s) (WITH FORMAT, INIT) instead of appending a backup set, for a
    /// file name that is reused; VERIFYONLY and RESTORE then read the set just written.
    /// </summary>
    public bool Initialize { get; init; }
    /// <summary>File name pattern; see <see cref="BackupFileNaming"/>.</summary>
    public string FileNamePattern { get; init; } = BackupFileNaming.DefaultPattern;
    /// <summary>Percent step of BACKUP ... WITH STATS.</summary>
    public int StatsPercent { get; init; } = 5;
    /// <summary>For -OutputScriptOnly without a server: what to assume about it.</summary>
    public SqlServerFacts? AssumedServer { get; init; }
    /// <summary>Interval between polls of a database copy (Azure SQL Database).</summary>
    public TimeSpan CopyPollInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Timestamp to use in file names (null: now).</summary>
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>What the engine knows (or assumes) about a SQL Server instance.</summary>
public sealed record SqlServerFacts
{
    /// <summary>SERVERPROPERTY('EngineEdition'): 2 Standard, 3 Enterprise/Developer, 4 Express, 5 Azure SQL Database, 8 Managed Instance.</summary>
    public int EngineEdition { get; init; } = 3;
    public string Edition { get; init; } = "";
    public int MajorVersion { get; init; } = 16;
    public string ServerName { get; init; } = "";
    public string? DefaultBackupPath { get; init; }
    public string? DefaultDataPath { get; init; }
    public string? DefaultLogPath { get; init; }
    /// <summary>'\' on Windows servers, '/' on Linux ones.</summary>
    public char PathSeparator { get; init; } = '\\';
    public bool IsAzureSqlDatabase => EngineEdition == 5;

    /// <summary>Backup compression: Standard (not Web, not Express), Enterprise/Developer, Managed Instance.</summary>
    public bool SupportsCompression =>
        EngineEdition is 2 or 3 or 8
        && !Edition.StartsWith("Web", StringComparison.OrdinalIgnoreCase)
        && !Edition.StartsWith("Express", StringComparison.OrdinalIgnoreCase);
}

/// <summary>How Test-OsDatabaseBackup checks a backup.</summary>
public sealed class VerifyOptions
{
    public IReadOnlyList<string> FilePath { get; init; } = [];
    /// <summary>Restore to a scratch database, run DBCC CHECKDB (or integrity_check), and drop it.</summary>
    public bool TestRestore { get; init; }
    /// <summary>Where scratch data/log files go (null: the server defaults).</summary>
    public string? DataDirectory { get; init; }
    public string? LogDirectory { get; init; }
}

/// <summary>The outcome of Test-OsDatabaseBackup: what was checked, how, and what was found.</summary>
public sealed class BackupVerification
{
    public string[] FilePath { get; init; } = [];
    public DatabaseEngineKind Engine { get; init; }
    public string? SqlInstance { get; init; }
    public string? Database { get; init; }
    public DateTimeOffset? BackupStart { get; init; }
    public long? Size { get; init; }
    public bool IsValid { get; set; }
    /// <summary>Each check run, in order: name, how it was run, result.</summary>
    public List<BackupCheck> Checks { get; } = new();
    public string? ScratchDatabase { get; set; }
    public string[] Files { get; set; } = [];
    public TimeSpan Duration { get; set; }

    public override string ToString() => $"{(IsValid ? "Valid" : "INVALID")}: {string.Join("; ", Checks.Select(c => $"{c.Name} {(c.Passed ? "passed" : "FAILED")}"))}";
}

public sealed record BackupCheck(string Name, string Method, bool Passed, string Detail);

/// <summary>How to protect the database that a restore replaces.</summary>
public enum SafetyBackupPolicy
{
    /// <summary>Take a copy-only backup of the current database and verify it before restoring (default).</summary>
    TakeAndVerify,
    /// <summary>Use <see cref="RestoreOptions.SafetyBackup"/>: a verified backup of the target no older than <see cref="RestoreOptions.SafetyBackupMaxAge"/>.</summary>
    UseExisting,
}

/// <summary>How much of the backup being restored is read before its pages are copied (SQLite).</summary>
public enum RestoreSourceCheck
{
    /// <summary>Its recorded checksum and PRAGMA quick_check, side by side (a backup from anywhere).</summary>
    Full,
    /// <summary>
    /// Header, page size x page count = file size, and the checksum and size recorded in its metadata:
    /// for a rollback point's backup during the outage, which was fully verified when the point was
    /// taken and when the plan was made (its SHA-256 against the pinned manifest).
    /// </summary>
    Cheap,
}

/// <summary>What Restore-OsDatabase is asked to do.</summary>
public sealed class RestoreOptions
{
    /// <summary>The backup file(s) to restore from (all stripes of one backup).</summary>
    public IReadOnlyList<string> FilePath { get; init; } = [];
    /// <summary>Restore under another name (SQL Server; SQLite restores into the target path).</summary>
    public string? DatabaseName { get; init; }
    public bool WithReplace { get; init; }
    /// <summary>Restore a backup of another database over an existing one.</summary>
    public bool AllowOtherDatabase { get; init; }
    public string? DestinationDataDirectory { get; init; }
    public string? DestinationLogDirectory { get; init; }
    public SafetyBackupPolicy SafetyBackupPolicy { get; init; } = SafetyBackupPolicy.TakeAndVerify;
    public BackupResult? SafetyBackup { get; init; }
    /// <summary>
    /// Evidence of a safety backup this run took and verified (from <c>BackupAndVerify</c>): with
    /// <see cref="SafetyBackupPolicy.UseExisting"/> it is re-checked only cheaply before the replace.
    /// Wins over <see cref="SafetyBackup"/>.
    /// </summary>
    public VerifiedBackup? SafetyEvidence { get; init; }
    public TimeSpan SafetyBackupMaxAge { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Folder for the safety backup (null: beside the backup being restored for SQLite, the server's default backup folder for SQL Server).</summary>
    public string? SafetyBackupPath { get; init; }
    public int StatsPercent { get; init; } = 5;
    /// <summary>How many times to retry a SQLite restore that finds the target busy, and the pause between tries.</summary>
    public int BusyRetries { get; init; } = 10;
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>How the backup being restored is checked before its pages are copied (SQLite; SQL Server always runs its RESTORE checks).</summary>
    public RestoreSourceCheck SourceCheck { get; init; } = RestoreSourceCheck.Full;
    /// <summary>
    /// The SHA-256 the backup must have (what an approved plan pinned): SQLite hashes it while its pages are
    /// copied and refuses a mismatch before the restore commits; SQL Server hashes it before the RESTORE.
    /// </summary>
    public string? ExpectedSourceSha256 { get; init; }
}

/// <summary>The outcome of a restore.</summary>
public sealed class RestoreResult
{
    public DatabaseEngineKind Engine { get; init; }
    public string? SqlInstance { get; init; }
    public string? SqlitePath { get; init; }
    /// <summary>The database restored into.</summary>
    public string Database { get; init; } = "";
    /// <summary>The database the backup was taken of.</summary>
    public string? SourceDatabase { get; init; }
    public string[] BackupFilePath { get; init; } = [];
    public DateTimeOffset? BackupStart { get; init; }
    /// <summary>Logical name → physical file (SQL Server); the database file for SQLite.</summary>
    public IReadOnlyList<RestoredFile> Files { get; init; } = [];
    public bool ReplacedExisting { get; init; }
    public BackupResult? SafetyBackup { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public TimeSpan Duration => End - Start;

    public override string ToString() => $"{Database} restored from {string.Join(", ", BackupFilePath)} in {Duration.TotalSeconds:0.0} s";
}

public sealed record RestoredFile(string LogicalName, string Type, string PhysicalName);

/// <summary>Filters for Get-OsDatabaseBackup.</summary>
public sealed class BackupHistoryQuery
{
    /// <summary>Folder(s) with SQLite backups and their metadata files (SQLite), or to narrow SQL Server history to files under them.</summary>
    public IReadOnlyList<string> Path { get; init; } = [];
    public DateTimeOffset? Since { get; init; }
    public int? Last { get; init; }
    /// <summary>Also list copy-only backups written by other tools (copy-only backups this module wrote are always listed).</summary>
    public bool IncludeCopyOnly { get; init; } = true;
    /// <summary>Only backups written by this module.</summary>
    public bool OnlyOwn { get; init; }
}

/// <summary>Retention: keep the newest N, or remove those older than a given age; only backups this module wrote.</summary>
public sealed class RetentionOptions
{
    public IReadOnlyList<string> Path { get; init; } = [];
    public int? KeepLast { get; init; }
    public TimeSpan? OlderThan { get; init; }
}
