using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// Evidence that a backup was fully checked (file checksum/integrity, and that it is a backup of
/// <see cref="Database"/>): returned by backup+verify and accepted by restore. Evidence issued by
/// this process is re-checked only cheaply right before a replace (size, last write, header,
/// recorded checksum); a <see cref="BackupResult"/> from elsewhere is always checked fully.
/// </summary>
public sealed class VerifiedBackup
{
    internal VerifiedBackup(Guid issuer) => Issuer = issuer;

    /// <summary>Which process issued the evidence: only this process's evidence is trusted for the cheap re-check.</summary>
    internal Guid Issuer { get; }

    /// <summary>Identifies this process: evidence carrying another id is checked fully.</summary>
    public static Guid ThisRun { get; } = Guid.NewGuid();

    public bool IsFromThisRun => Issuer == ThisRun;
    public required BackupResult Backup { get; init; }
    public DatabaseEngineKind Engine => Backup.Engine;
    /// <summary>The database the backup holds (SQL Server name; SQLite file name without extension).</summary>
    public required string Database { get; init; }
    /// <summary>SQLite: the full path of the database that was backed up.</summary>
    public string? SourcePath { get; init; }
    /// <summary>SQL Server: the server the backup header names, and the database family GUID.</summary>
    public string? ServerName { get; init; }
    public Guid? FamilyGuid { get; init; }
    /// <summary>SQL Server: BackupStartDate of the header read at verification (the cheap re-check compares it).</summary>
    public DateTime? HeaderBackupStart { get; init; }
    /// <summary>Size and last write time of each file this machine can reach, as seen at verification.</summary>
    public IReadOnlyList<FileFingerprint> Files { get; init; } = [];
    /// <summary>The checksum recorded for the file (SQLite metadata) and its algorithm.</summary>
    public string? Checksum { get; init; }
    public string? ChecksumAlgorithm { get; init; }
    public required DateTimeOffset VerifiedAt { get; init; }
    /// <summary>Each check that passed, in order (for logs and the journal).</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    public override string ToString() => $"verified backup of {Database} ({string.Join(", ", Backup.FilePath)}) at {VerifiedAt:u}";
}

/// <summary>A file as seen when it was verified.</summary>
public sealed record FileFingerprint(string Path, long Size, DateTime LastWriteUtc)
{
    public static FileFingerprint Of(string path)
    {
        var info = new FileInfo(path);
        return new FileFingerprint(info.FullName, info.Length, info.LastWriteTimeUtc);
    }
}
