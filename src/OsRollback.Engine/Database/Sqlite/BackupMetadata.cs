using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>The metadata file written beside each SQLite backup (<c>&lt;backup&gt;.osrollback.json</c>).</summary>
public sealed class BackupMetadata
{
    public int Format { get; set; } = 1;
    public string Tool { get; set; } = "OsRollback";
    public string BackupId { get; set; } = "";
    public string Database { get; set; } = "";
    public string? SqlitePath { get; set; }
    public string? ServerName { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public long Size { get; set; }
    public long PageSize { get; set; }
    public long PageCount { get; set; }
    /// <summary>Checksum of the backup file, and the algorithm (XxHash128, or SHA256).</summary>
    public string? Checksum { get; set; }
    public string ChecksumAlgorithm { get; set; } = SqliteBackupEngine.DefaultChecksumAlgorithm;
    public bool Verified { get; set; }
    public string? VerifiedBy { get; set; }

    internal static BackupMetadata From(BackupResult result, long pageSize, long pageCount, string checksum, string verifiedBy) => new()
    {
        BackupId = result.BackupId,
        Database = result.Database,
        SqlitePath = result.SqlitePath,
        ServerName = result.ServerName,
        Start = result.Start,
        End = result.End,
        Size = result.Size,
        PageSize = pageSize,
        PageCount = pageCount,
        Checksum = checksum,
        Verified = result.Verified,
        VerifiedBy = verifiedBy,
    };

    internal BackupResult ToResult(string backupFile) => new()
    {
        BackupId = BackupId,
        Database = Database,
        SqlitePath = SqlitePath,
        ServerName = ServerName,
        Engine = DatabaseEngineKind.Sqlite,
        FilePath = [backupFile],
        Path = [System.IO.Path.GetDirectoryName(backupFile)!],
        Start = Start,
        End = End,
        Size = Size,
        IsCopyOnly = true,
        HasChecksum = Checksum is not null,
        Verified = Verified,
        WrittenByOsRollback = Tool == "OsRollback",
    };

    /// <summary>
    /// Writes through a temporary file and a rename. A failure (disk full, no access) removes the
    /// temporary file, leaves no metadata file, and is a BackupMetadataWriteFailed error.
    /// </summary>
    internal void Write(string path, Func<string, Stream>? open = null)
    {
        var temp = path + ".tmp";
        try
        {
            using (var stream = (open ?? OpenForWrite)(temp))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(this, Formatting.Indented)));
                stream.Flush();
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            var diskFull = IoErrors.IsDiskFull(ex);
            throw new OsRollbackException("BackupMetadataWriteFailed", OsErrorCategory.WriteError,
                $"The metadata file '{path}' of the backup could not be written ({(diskFull ? "the disk is full" : ex is UnauthorizedAccessException ? "this account may not write there" : "the write failed")}): {ex.Message} " +
                "The backup file was removed with it, because a backup without its metadata cannot be verified as a safety backup.", path,
                (diskFull ? "Free space on the backup folder's disk" : "Make the backup folder writable for this account") +
                " (or give another -Path), then take the backup again; the database was not changed.", ex);
        }
    }

    internal static Stream OpenForWrite(string path) => new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);

    internal static BackupMetadata? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var metadata = JsonConvert.DeserializeObject<BackupMetadata>(File.ReadAllText(path));
            return metadata is { Tool: "OsRollback" } ? metadata : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
