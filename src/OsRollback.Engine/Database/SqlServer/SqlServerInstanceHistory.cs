using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// Full backups of every user database on an instance, from msdb.dbo.backupset and
/// backupmediafamily, the way dbatools' Get-DbaDbBackupHistory lists them when no database is named:
/// one object per backup set (its stripes grouped), copy-only backups of other tools left out unless
/// asked for, mirrored media counted once.
/// </summary>
internal sealed class SqlServerInstanceHistory(Func<SqlServerTarget, string?, ISqlSession> open) : IInstanceBackupHistory
{
    /// <summary>
    /// User databases that exist now (sys.databases, database_id above the four system databases),
    /// so history of a dropped database is not listed, as dbatools walks the server's databases.
    /// </summary>
    public const string Query = """
        SELECT bs.backup_set_id, bs.database_name, bs.server_name, bs.backup_start_date, bs.backup_finish_date,
               bs.backup_size, bs.compressed_backup_size, bs.first_lsn, bs.last_lsn, bs.is_copy_only,
               bs.has_backup_checksums, bs.recovery_model, bs.description, bmf.physical_device_name, bmf.family_sequence_number
        FROM msdb.dbo.backupset AS bs
        INNER JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id AND bmf.mirror = 0
        INNER JOIN sys.databases AS d ON d.name = bs.database_name AND d.database_id > 4
        WHERE bs.type = 'D'
          AND (@since IS NULL OR bs.backup_start_date >= @since)
          AND (@includeCopyOnly = 1 OR bs.is_copy_only = 0 OR bs.description = @description)
          AND (@onlyOwn = 0 OR bs.description = @description)
        ORDER BY bs.database_name, bs.backup_start_date DESC, bs.backup_set_id DESC, bmf.family_sequence_number;
        """;

    public IReadOnlyList<BackupResult> GetInstanceHistory(DatabaseTarget instance, BackupHistoryQuery query, CancellationToken ct = default)
    {
        var server = SqlServerProvider.Sql(instance);
        using var session = open(server, "msdb");
        var rows = session.ExecuteReader(Query,
        [
            new("@since", query.Since?.UtcDateTime),
            new("@includeCopyOnly", query.IncludeCopyOnly ? 1 : 0),
            new("@onlyOwn", query.OnlyOwn ? 1 : 0),
            new("@description", SqlServerScripts.BackupDescription),
        ], cancellationToken: ct);
        IEnumerable<BackupResult> results = SqlServerBackupEngine.ToResults(rows, server.SqlInstance);
        if (query.Path.Count > 0)
            results = results.Where(r => r.FilePath.Any(f => query.Path.Any(p => SqlServerBackupEngine.IsUnderFolder(f, p))));
        return results
            .GroupBy(r => r.Database, StringComparer.OrdinalIgnoreCase)
            .SelectMany(database => query.Last is int last ? database.Take(last) : database)
            .ToList();
    }
}
