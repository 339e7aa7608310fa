using Newtonsoft.Json;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Safety;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// The file checks of a SQLite safety backup: full (metadata, size, header, checksum, quick_check,
/// source path) for a backup from outside this run, cheap (size, last write, header, recorded
/// checksum) for evidence this run issued. Each failure has its own ErrorId; nothing is changed.
/// </summary>
internal static class SqliteSafetyCheck
{
    public static VerifiedBackup Full(BackupResult backup, string expectedSourcePath, DateTimeOffset now)
    {
        var file = SingleFile(backup);
        var metadata = ReadMetadata(file);
        var expected = Path.GetFullPath(expectedSourcePath);
        if (metadata.SqlitePath is null || !SamePath(metadata.SqlitePath, expected))
        {
            throw new SafetyBackupRefusedException("SafetyBackupOfAnotherDatabase", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' is a backup of '{metadata.SqlitePath ?? metadata.Database}', not of '{expected}', which the restore would replace.", file,
                "Pass a backup of the database being replaced, or let the cmdlet take one (omit -SafetyBackup). Nothing was replaced.");
        }
        var size = new FileInfo(file).Length;
        var header = SqliteHeader.Read(file);
        if (size < metadata.Size || !header.HasMagic || (header.PageCountValid && header.ExpectedFileSize > size))
        {
            throw new SafetyBackupRefusedException("SafetyBackupTruncated", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' is {size:N0} bytes; its metadata and header say {Math.Max(metadata.Size, header.ExpectedFileSize):N0}.", file,
                "The file was cut short (copy interrupted, disk full). Take a new safety backup; nothing was replaced.");
        }
        var checksum = SqliteBackupEngine.Checksum(file, metadata.ChecksumAlgorithm);
        if (size != metadata.Size || !string.Equals(checksum, metadata.Checksum, StringComparison.OrdinalIgnoreCase))
        {
            throw new SafetyBackupRefusedException("SafetyBackupChecksumMismatch", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' changed since it was written: its {metadata.ChecksumAlgorithm} checksum or size does not match {Path.GetFileName(file + SqliteBackupEngine.MetadataSuffix)}.", file,
                "Do not rely on it. Take a new safety backup; nothing was replaced.");
        }
        var check = SqliteBackupEngine.IntegrityCheck(file, quick: true);
        if (check != "ok")
        {
            throw new SafetyBackupRefusedException("SafetyBackupIntegrityFailed", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' failed PRAGMA quick_check: {check}", file,
                "Take a new safety backup; nothing was replaced.");
        }
        return Evidence(backup, file, metadata, now, ["metadata", "source path", "size and header", metadata.ChecksumAlgorithm + " checksum", "PRAGMA quick_check"]);
    }

    /// <summary>Evidence for a backup this run has just written and checked (Backup ran quick_check and wrote the checksum).</summary>
    public static VerifiedBackup JustTaken(BackupResult backup, DateTimeOffset now)
    {
        var file = SingleFile(backup);
        var metadata = ReadMetadata(file);
        return Evidence(backup, file, metadata, now, ["PRAGMA quick_check of the copy", metadata.ChecksumAlgorithm + " checksum written"]);
    }

    private static VerifiedBackup Evidence(BackupResult backup, string file, BackupMetadata metadata, DateTimeOffset now, string[] checks) =>
        new(SafetyBackupChecker.RunId)
        {
            Backup = backup,
            Database = metadata.Database,
            SourcePath = metadata.SqlitePath,
            ServerName = metadata.ServerName,
            Files = [FileFingerprint.Of(file)],
            Checksum = metadata.Checksum,
            ChecksumAlgorithm = metadata.ChecksumAlgorithm,
            VerifiedAt = now,
            Checks = checks,
        };

    /// <summary>Right before a replace: the file this run verified is still that file (reads 100 bytes and the metadata, no pages).</summary>
    public static void Cheap(VerifiedBackup evidence, string expectedSourcePath)
    {
        var seen = evidence.Files.Single();
        var file = seen.Path;
        if (!File.Exists(file)) throw Missing(file);
        if (evidence.SourcePath is null || !SamePath(evidence.SourcePath, Path.GetFullPath(expectedSourcePath)))
        {
            throw new SafetyBackupRefusedException("SafetyBackupOfAnotherDatabase", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' is a backup of '{evidence.SourcePath}', not of '{expectedSourcePath}'.", file,
                "Pass the evidence of a backup of the database being replaced. Nothing was replaced.");
        }
        var now = FileFingerprint.Of(file);
        var header = SqliteHeader.Read(file);
        var metadata = ReadMetadata(file);
        if (now.Size != seen.Size || now.LastWriteUtc != seen.LastWriteUtc || !header.HasMagic
            || (header.PageCountValid && header.ExpectedFileSize != now.Size)
            || !string.Equals(metadata.Checksum, evidence.Checksum, StringComparison.OrdinalIgnoreCase))
        {
            throw new SafetyBackupRefusedException("SafetyBackupChangedSinceVerified", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' is not the file that was verified at {evidence.VerifiedAt:u} (size, last write time, header or recorded checksum differ).", file,
                "Take a new safety backup; nothing was replaced.");
        }
    }

    private static string SingleFile(BackupResult backup)
    {
        if (backup.FilePath.Length != 1) throw Missing(backup.FilePath.Length == 0 ? "(none)" : string.Join(", ", backup.FilePath));
        var file = Path.GetFullPath(backup.FilePath[0]);
        return File.Exists(file) ? file : throw Missing(file);
    }

    /// <summary>The metadata must exist and parse: without it nothing proves what the file is.</summary>
    internal static BackupMetadata ReadMetadata(string file)
    {
        var path = file + SqliteBackupEngine.MetadataSuffix;
        if (!File.Exists(path))
        {
            throw new SafetyBackupRefusedException("SafetyBackupMetadataMissing", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' has no metadata file ({Path.GetFileName(path)}), so nothing proves which database it holds or that it is intact.", file,
                "Use a backup written by Backup-OsDatabase (it writes the metadata), or let the cmdlet take one. Nothing was replaced.");
        }
        BackupMetadata? metadata;
        try
        {
            metadata = JsonConvert.DeserializeObject<BackupMetadata>(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw Unreadable(file, path, ex.Message);
        }
        if (metadata is not { Tool: "OsRollback" } || string.IsNullOrEmpty(metadata.Checksum) || metadata.Size <= 0 || string.IsNullOrEmpty(metadata.Database))
            throw Unreadable(file, path, "it is not OsRollback backup metadata with a checksum and size");
        return metadata;
    }

    private static OsRollbackException Unreadable(string file, string path, string why) =>
        new SafetyBackupRefusedException("SafetyBackupMetadataUnreadable", OsErrorCategory.InvalidData,
            $"The metadata file '{path}' of the safety backup '{file}' cannot be read: {why}", file,
            "Take a new safety backup (Backup-OsDatabase writes fresh metadata). Nothing was replaced.");

    private static OsRollbackException Missing(string file) =>
        new SafetyBackupRefusedException("SafetyBackupFileMissing", OsErrorCategory.ObjectNotFound,
            $"The safety backup file '{file}' does not exist.", file,
            "Pass an existing backup of the current database, or let the cmdlet take one (omit -SafetyBackup).");

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
