using System.Globalization;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// The SQLite quick check (Test-OsDatabaseBackup -Quick, and the cheap re-check): header
/// "SQLite format 3", page size x page count = file size, and the recorded checksum state.
/// Reads 100 bytes and the metadata file, no pages.
/// </summary>
internal static class SqliteQuickCheck
{
    public static QuickCheckResult Run(IReadOnlyList<string> files)
    {
        var file = Path.GetFullPath(files.Single());
        var checks = new List<BackupCheck>();
        if (!System.IO.File.Exists(file))
            return new QuickCheckResult(false, [new BackupCheck("Exists", file, false, "the file does not exist")]);
        var size = new FileInfo(file).Length;
        var header = SqliteHeader.Read(file);
        checks.Add(new BackupCheck("Header", "first 16 bytes are 'SQLite format 3'", header.HasMagic, header.HasMagic ? "SQLite format 3" : "not a SQLite database"));
        checks.Add(new BackupCheck("Size", "page size x page count = file size", header.PageCountValid && header.ExpectedFileSize == size,
            string.Create(CultureInfo.InvariantCulture, $"{header.PageSize} x {header.PageCount} = {header.ExpectedFileSize:N0}; file {size:N0} bytes")));
        var metadata = BackupMetadata.TryRead(file + SqliteBackupEngine.MetadataSuffix);
        var recorded = metadata is { Checksum.Length: > 0 } && metadata.Size == size;
        checks.Add(new BackupCheck("Checksum", "checksum and size recorded in " + Path.GetFileName(file + SqliteBackupEngine.MetadataSuffix), recorded,
            metadata is null ? "no readable metadata" : recorded ? $"{metadata.ChecksumAlgorithm} recorded, size matches" : $"recorded size {metadata.Size:N0} differs"));
        return new QuickCheckResult(checks.All(c => c.Passed), checks);
    }
}
