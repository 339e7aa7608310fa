using System.Text;
using OsRollback.Engine.Database.FastRevert;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// The T-SQL of the fast revert paths: database snapshot at rollback-point time, a marked
/// transaction in the FULL recovery model, and the revert (tail-log backup, drop other snapshots,
/// RESTORE ... FROM DATABASE_SNAPSHOT, full backup). Built from quoted names and literals only;
/// every builder is parsed with ScriptDom in the tests.
/// </summary>
public static class FastRevertScripts
{
    /// <summary>A mark is a transaction name: an identifier of at most 32 characters (BEGIN TRANSACTION).</summary>
    public static string MarkName(DateTimeOffset at) => "OsRollback_" + at.UtcDateTime.ToString("yyyyMMdd_HHmmss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Everything the chooser and the snapshot step need to know, in one batch: edition (snapshots exist
    /// in every edition since SQL Server 2016 SP1; not in Azure SQL Database, engine edition 5), version,
    /// recovery model, read-only/compressed filegroups (a revert refuses them), and per data file its
    /// size and the free bytes of its volume.
    /// </summary>
    public const string Probe = """
        SELECT CAST(SERVERPROPERTY('EngineEdition') AS int) AS EngineEdition,
               CAST(SERVERPROPERTY('ProductMajorVersion') AS int) AS MajorVersion,
               CAST(SERVERPROPERTY('ProductLevel') AS nvarchar(128)) AS ProductLevel,
               d.recovery_model_desc,
               CAST(CASE WHEN EXISTS (SELECT 1 FROM sys.master_files AS ro WHERE ro.database_id = d.database_id AND ro.is_read_only = 1) THEN 1 ELSE 0 END AS bit) AS has_read_only_files,
               mf.name AS logical_name, mf.physical_name, mf.type_desc,
               CAST(mf.size AS bigint) * 8192 AS size_bytes,
               vs.available_bytes
        FROM sys.databases AS d
        INNER JOIN sys.master_files AS mf ON mf.database_id = d.database_id
        CROSS APPLY sys.dm_os_volume_stats(mf.database_id, mf.file_id) AS vs
        WHERE d.name = @database;
        """;

    /// <summary>Snapshots of the database (sys.databases.source_database_id).</summary>
    public const string Snapshots = """
        SELECT s.name, s.create_date
        FROM sys.databases AS s
        WHERE s.source_database_id = DB_ID(@database)
        ORDER BY s.create_date;
        """;

    /// <summary>Bytes the snapshot's sparse files hold on disk: the pages changed since it was created (what a revert copies back).</summary>
    public const string SnapshotSizeOnDisk = """
        SELECT CAST(SUM(vfs.size_on_disk_bytes) AS bigint) AS size_on_disk_bytes
        FROM sys.dm_io_virtual_file_stats(DB_ID(@snapshot), NULL) AS vfs;
        """;

    /// <summary>The log backups since the rollback point's full backup, in LSN order (msdb history), to find gaps.</summary>
    public const string LogChain = """
        SELECT bs.backup_set_id, bs.first_lsn, bs.last_lsn, bs.database_backup_lsn, bmf.physical_device_name, bmf.family_sequence_number
        FROM msdb.dbo.backupset AS bs
        INNER JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id
        WHERE bs.database_name = @database AND bs.type = 'L' AND bs.last_lsn > @fromLsn
        ORDER BY bs.first_lsn, bmf.family_sequence_number;
        """;

    /// <summary>The mark, once committed, as msdb records it.</summary>
    public const string MarkHistory = """
        SELECT TOP (1) lmh.mark_name, lmh.lsn, lmh.mark_time
        FROM msdb.dbo.logmarkhistory AS lmh
        WHERE lmh.database_name = @database AND lmh.mark_name = @mark
        ORDER BY lmh.mark_time DESC;
        """;

    /// <summary>CREATE DATABASE ... AS SNAPSHOT OF, with one sparse file per data file (the log has none).</summary>
    public static string CreateSnapshot(string snapshot, string database, IReadOnlyList<SparseFile> files)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE DATABASE ").Append(SqlText.QuoteName(snapshot)).AppendLine(" ON")
           .AppendJoin(",\n", files.Select(f => $"    (NAME = {SqlText.QuoteName(f.LogicalName)}, FILENAME = {SqlText.Literal(f.SparsePath)})")).AppendLine()
           .Append("AS SNAPSHOT OF ").Append(SqlText.QuoteName(database)).Append(';');
        return sql.ToString();
    }

    public static string DropSnapshot(string snapshot) =>
        $"IF DB_ID({SqlText.Literal(snapshot)}) IS NOT NULL DROP DATABASE {SqlText.QuoteName(snapshot)};";

    /// <summary>The tool's own one-row-per-mark table: a marked transaction is only logged when it writes something.</summary>
    /// <remarks>Run in a session opened on the database itself.</remarks>
    public const string EnsureMarkTable = """
        IF OBJECT_ID(N'dbo.OsRollbackDeployMark', N'U') IS NULL
            CREATE TABLE dbo.OsRollbackDeployMark (MarkName nvarchar(128) NOT NULL PRIMARY KEY, MarkedAtUtc datetime2(3) NOT NULL);
        """;

    /// <summary>BEGIN TRANSACTION ... WITH MARK and a tiny write: RESTORE LOG ... STOPBEFOREMARK can then stop at the deploy.</summary>
    /// <remarks>Run in a session opened on the database itself. Transaction names are at most 32 characters.</remarks>
    public static string MarkTransaction(string mark, string description) => $"""
        BEGIN TRANSACTION {SqlText.QuoteName(mark)} WITH MARK {SqlText.Literal(description.Length > 255 ? description[..255] : description)};
        INSERT INTO dbo.OsRollbackDeployMark (MarkName, MarkedAtUtc) VALUES ({SqlText.Literal(mark)}, SYSUTCDATETIME());
        COMMIT TRANSACTION {SqlText.QuoteName(mark)};
        """;

    /// <summary>
    /// The tail: a normal log backup WITH CHECKSUM that leaves the database ONLINE (not NORECOVERY:
    /// the revert needs it online, and the log backup alone keeps every transaction since the deploy,
    /// so full + log chain + this tail rebuild the pre-rollback database in parallel).
    /// </summary>
    public static string BackupTailLog(string database, IReadOnlyList<BackupDevice> devices) =>
        $"BACKUP LOG {SqlText.QuoteName(database)}\nTO {string.Join(",\n   ", devices.Select(d => d.ToSql()))}\nWITH CHECKSUM, FORMAT, INIT, STATS = 10, DESCRIPTION = {SqlText.Literal(SqlServerScripts.BackupDescription)}, NAME = {SqlText.Literal("OsRollback tail before revert")};";

    public static string SetSingleUser(string database) =>
        $"ALTER DATABASE {SqlText.QuoteName(database)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE;";

    /// <summary>RESTORE DATABASE ... FROM DATABASE_SNAPSHOT: copies the changed pages back, then rebuilds the log (the chain breaks).</summary>
    public static string RevertToSnapshot(string database, string snapshot) =>
        $"RESTORE DATABASE {SqlText.QuoteName(database)} FROM DATABASE_SNAPSHOT = {SqlText.Literal(snapshot)};";

    /// <summary>RESTORE LOG ... WITH STOPBEFOREMARK (NORECOVERY for all but the last).</summary>
    public static string RestoreLogToMark(string database, IReadOnlyList<BackupDevice> devices, string mark, bool recover) =>
        $"RESTORE LOG {SqlText.QuoteName(database)}\nFROM {string.Join(",\n   ", devices.Select(d => d.ToSql()))}\nWITH CHECKSUM, {(recover ? "RECOVERY" : "NORECOVERY")}, STOPBEFOREMARK = {SqlText.Literal(mark)}, STATS = 10;";

    /// <summary>The full backup's restore before the logs: WITH NORECOVERY, REPLACE.</summary>
    public static string RestoreFullNoRecovery(string database, IReadOnlyList<BackupDevice> devices) =>
        $"RESTORE DATABASE {SqlText.QuoteName(database)}\nFROM {string.Join(",\n   ", devices.Select(d => d.ToSql()))}\nWITH CHECKSUM, NORECOVERY, REPLACE, STATS = 10;";
}
