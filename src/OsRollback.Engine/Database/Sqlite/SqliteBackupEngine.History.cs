using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>The SQLite backups of a database found by their metadata files, and their deletion (history and retention).</summary>
internal sealed partial class SqliteBackupEngine
{
    public static IReadOnlyList<BackupResult> GetHistory(SqliteTarget target, BackupHistoryQuery query)
    {
        if (query.Path.Count == 0)
        {
            throw new OsRollbackException("BackupPathRequired", OsErrorCategory.InvalidArgument,
                "SQLite backup history is read from the metadata files in the backup folder(s).", target.Path, "Give -Path <backup folder>.");
        }
        var name = DatabaseName(target.Path);
        var results = new List<BackupResult>();
        foreach (var folder in query.Path.Select(System.IO.Path.GetFullPath))
        {
            if (!Directory.Exists(folder))
            {
                throw new OsRollbackException("BackupPathNotFound", OsErrorCategory.ObjectNotFound,
                    $"The backup folder '{folder}' does not exist.", folder, "Check -Path.");
            }
            foreach (var metaFile in Directory.EnumerateFiles(folder, "*" + MetadataSuffix))
            {
                var metadata = BackupMetadata.TryRead(metaFile);
                if (metadata is null || !string.Equals(metadata.Database, name, StringComparison.OrdinalIgnoreCase)) continue;
                var backupFile = metaFile[..^MetadataSuffix.Length];
                if (!File.Exists(backupFile)) continue;
                results.Add(metadata.ToResult(backupFile));
            }
        }
        IEnumerable<BackupResult> ordered = results.OrderByDescending(r => r.Start).ThenByDescending(r => r.FilePath[0], StringComparer.Ordinal);
        if (query.Since is DateTimeOffset since) ordered = ordered.Where(r => r.Start >= since);
        if (query.Last is int last) ordered = ordered.Take(last);
        return ordered.ToList();
    }

    /// <summary>Deletes a backup this module wrote: the file and its metadata file.</summary>
    public static void Delete(BackupResult backup)
    {
        foreach (var file in backup.FilePath)
        {
            if (!File.Exists(file + MetadataSuffix)) continue; // not ours: never deleted
            File.Delete(file);
            File.Delete(file + MetadataSuffix);
        }
    }
}
