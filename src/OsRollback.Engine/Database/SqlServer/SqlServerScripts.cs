using System.Text;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>A backup device: a file on the server's disk or an Azure Blob URL.</summary>
public sealed record BackupDevice(string Location, bool IsUrl = false, bool IsVariable = false)
{
    /// <summary>A device whose path is the T-SQL variable <see cref="DefaultFolderVariable"/> (scripts written without a server).</summary>
    public static BackupDevice InDefaultFolder(string fileName) => new(fileName, IsVariable: true);

    public const string DefaultFolderVariable = "@backupFile";

    public string ToSql() => IsVariable ? "DISK = " + DefaultFolderVariable : (IsUrl ? "URL = " : "DISK = ") + SqlText.Literal(Location);
}

/// <summary>
/// Every T-SQL statement the SQL Server engine emits, built from quoted names and literals
/// only. Tests enumerate these builders and parse each variant with ScriptDom.
/// </summary>
public static class SqlServerScripts
{
    public const string BackupDescription = "OsRollback";

    /// <summary>One probe for everything that decides how to back up: edition, compression, default folders, OS.</summary>
    public const string ProbeServer = """
        SELECT CAST(SERVERPROPERTY('EngineEdition') AS int) AS EngineEdition,
               CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS Edition,
               CAST(SERVERPROPERTY('ProductMajorVersion') AS int) AS MajorVersion,
               CAST(@@SERVERNAME AS nvarchar(128)) AS ServerName,
               CAST(SERVERPROPERTY('InstanceDefaultBackupPath') AS nvarchar(4000)) AS DefaultBackupPath,
               CAST(SERVERPROPERTY('InstanceDefaultDataPath') AS nvarchar(4000)) AS DefaultDataPath,
               CAST(SERVERPROPERTY('InstanceDefaultLogPath') AS nvarchar(4000)) AS DefaultLogPath,
               CASE WHEN CAST(SERVERPROPERTY('PathSeparator') AS nchar(1)) = N'/' THEN N'/' ELSE N'\' END AS PathSeparator;
        """;

    public const string DatabaseInfo = """
        SELECT d.name, d.recovery_model_desc, d.state_desc, d.user_access_desc
        FROM sys.databases AS d
        WHERE d.name = @database;
        """;

    /// <summary>
    /// BACKUP DATABASE. <paramref name="initialize"/> adds FORMAT, INIT: the file(s) are overwritten
    /// instead of getting another backup set appended (VERIFYONLY and RESTORE read FILE = 1).
    /// </summary>
    public static string Backup(string database, IReadOnlyList<BackupDevice> devices, bool copyOnly, bool compress, int stats, string backupSetName, IEnumerable<string>? headerComments = null, bool initialize = false)
    {
        var sql = new StringBuilder();
        foreach (var line in headerComments ?? []) sql.AppendLine(SqlText.Comment(line));
        if (devices.FirstOrDefault(d => d.IsVariable) is { } inDefault)
            sql.AppendLine(DeclareDefaultFolderFile(inDefault.Location));
        sql.Append("BACKUP DATABASE ").Append(SqlText.QuoteName(database)).AppendLine()
           .Append("TO ").AppendJoin(",\n   ", devices.Select(d => d.ToSql())).AppendLine()
           .Append("WITH ");
        var options = new List<string>();
        if (initialize)
        {
            options.Add("FORMAT");
            options.Add("INIT");
        }
        if (copyOnly) options.Add("COPY_ONLY");
        options.Add("CHECKSUM");
        options.Add(compress ? "COMPRESSION" : "NO_COMPRESSION");
        options.Add("NAME = " + SqlText.Literal(backupSetName));
        options.Add("DESCRIPTION = " + SqlText.Literal(BackupDescription));
        options.Add("STATS = " + SqlText.Number(stats));
        sql.AppendJoin(", ", options).Append(';');
        return sql.ToString();
    }

    // Reading from URL uses the Shared Access Signature credential named after the container
    // URL (CREATE CREDENTIAL [https://<account>.blob.core.windows.net/<container>] ...), so the
    // RESTORE statements carry no CREDENTIAL option.

    /// <summary>
    /// The file in the server's default backup folder, computed by the server itself, for scripts
    /// written without a connection: SERVERPROPERTY('InstanceDefaultBackupPath') and the server's path separator.
    /// </summary>
    public static string DeclareDefaultFolderFile(string fileName) =>
        "DECLARE " + BackupDevice.DefaultFolderVariable + " nvarchar(4000) = CAST(SERVERPROPERTY('InstanceDefaultBackupPath') AS nvarchar(4000)) + " +
        "CASE WHEN CAST(SERVERPROPERTY('PathSeparator') AS nchar(1)) = N'/' THEN N'/' ELSE N'\\' END + " + SqlText.Literal(fileName) + ";";

    public static string VerifyOnly(IReadOnlyList<BackupDevice> devices, int stats = 10) =>
        "RESTORE VERIFYONLY FROM " + string.Join(", ", devices.Select(d => d.ToSql())) +
        " WITH CHECKSUM, STATS = " + SqlText.Number(stats) + ";";

    public static string HeaderOnly(IReadOnlyList<BackupDevice> devices) =>
        "RESTORE HEADERONLY FROM " + string.Join(", ", devices.Select(d => d.ToSql())) + ";";

    public static string FileListOnly(IReadOnlyList<BackupDevice> devices) =>
        "RESTORE FILELISTONLY FROM " + string.Join(", ", devices.Select(d => d.ToSql())) + ";";

    /// <summary>
    /// The restore batch. When the database exists (and is online), SINGLE_USER WITH ROLLBACK
    /// IMMEDIATE runs in the same batch as the RESTORE. That narrows the window in which another
    /// session can take the one connection between the two statements; it does not close it. The
    /// caller sets MULTI_USER afterwards in any case (<see cref="SetMultiUser"/>), also after a failure.
    /// </summary>
    public static string Restore(string database, IReadOnlyList<BackupDevice> devices, IReadOnlyList<FileMove> moves, bool replace, int stats, bool setSingleUser)
    {
        var sql = new StringBuilder();
        var name = SqlText.QuoteName(database);
        if (setSingleUser)
        {
            sql.Append("IF DB_ID(").Append(SqlText.Literal(database)).Append(") IS NOT NULL ALTER DATABASE ").Append(name)
               .AppendLine(" SET SINGLE_USER WITH ROLLBACK IMMEDIATE;");
        }
        sql.Append("RESTORE DATABASE ").Append(name).AppendLine()
           .Append("FROM ").AppendJoin(",\n     ", devices.Select(d => d.ToSql())).AppendLine()
           .Append("WITH ");
        var options = new List<string>();
        foreach (var move in moves) options.Add("MOVE " + SqlText.Literal(move.LogicalName) + " TO " + SqlText.Literal(move.PhysicalName));
        if (replace) options.Add("REPLACE");
        options.Add("CHECKSUM");
        options.Add("RECOVERY");
        options.Add("STATS = " + SqlText.Number(stats));
        sql.AppendJoin(",\n     ", options).Append(';');
        return sql.ToString();
    }

    /// <summary>
    /// Back to MULTI_USER; runs after every restore attempt, also a failed one. WITH ROLLBACK
    /// IMMEDIATE, so a session that took the single slot cannot keep the database SINGLE_USER.
    /// </summary>
    public static string SetMultiUser(string database) =>
        "IF DB_ID(" + SqlText.Literal(database) + ") IS NOT NULL AND DATABASEPROPERTYEX(" + SqlText.Literal(database) +
        ", 'UserAccess') <> 'MULTI_USER' AND DATABASEPROPERTYEX(" + SqlText.Literal(database) + ", 'Status') = 'ONLINE' ALTER DATABASE " +
        SqlText.QuoteName(database) + " SET MULTI_USER WITH ROLLBACK IMMEDIATE;";

    public static string CheckDb(string database) =>
        "DBCC CHECKDB (" + SqlText.QuoteName(database) + ") WITH NO_INFOMSGS, ALL_ERRORMSGS;";

    /// <summary>Drops a scratch database created by a test restore (and only one that exists).</summary>
    public static string DropScratch(string database) =>
        "IF DB_ID(" + SqlText.Literal(database) + ") IS NOT NULL BEGIN ALTER DATABASE " + SqlText.QuoteName(database) +
        " SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE " + SqlText.QuoteName(database) + "; END;";

    /// <summary>The logical and physical names of an existing database's files (a restore over it keeps them in place).</summary>
    public const string DatabaseFiles = """
        SELECT mf.name, mf.physical_name, mf.type_desc
        FROM sys.master_files AS mf
        WHERE mf.database_id = DB_ID(@database);
        """;

    public const string DatabaseExists = "SELECT CASE WHEN DB_ID(@database) IS NULL THEN 0 ELSE 1 END;";

    /// <summary>Reads one backup set back from msdb by the unique NAME the backup was given.</summary>
    public const string BackupSetByName = """
        SELECT bs.backup_set_id, bs.database_name, bs.server_name, bs.backup_start_date, bs.backup_finish_date,
               bs.backup_size, bs.compressed_backup_size, bs.first_lsn, bs.last_lsn, bs.is_copy_only,
               bs.has_backup_checksums, bs.recovery_model, bs.description, bmf.physical_device_name, bmf.family_sequence_number
        FROM msdb.dbo.backupset AS bs
        INNER JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id
        WHERE bs.name = @name AND bs.database_name = @database
        ORDER BY bs.backup_set_id DESC, bmf.family_sequence_number;
        """;

    /// <summary>Full backups of one database, newest first, with their files.</summary>
    public const string History = """
        SELECT bs.backup_set_id, bs.database_name, bs.server_name, bs.backup_start_date, bs.backup_finish_date,
               bs.backup_size, bs.compressed_backup_size, bs.first_lsn, bs.last_lsn, bs.is_copy_only,
               bs.has_backup_checksums, bs.recovery_model, bs.description, bmf.physical_device_name, bmf.family_sequence_number
        FROM msdb.dbo.backupset AS bs
        INNER JOIN msdb.dbo.backupmediafamily AS bmf ON bmf.media_set_id = bs.media_set_id
        WHERE bs.database_name = @database
          AND bs.type = 'D'
          AND (@since IS NULL OR bs.backup_start_date >= @since)
          AND (@includeCopyOnly = 1 OR bs.is_copy_only = 0 OR bs.description = @description)
          AND (@onlyOwn = 0 OR bs.description = @description)
        ORDER BY bs.backup_start_date DESC, bs.backup_set_id DESC, bmf.family_sequence_number;
        """;

    /// <summary>Azure SQL Database: the rollback backup is a transactionally consistent copy.</summary>
    public static string CreateCopy(string copyName, string database) =>
        "CREATE DATABASE " + SqlText.QuoteName(copyName) + " AS COPY OF " + SqlText.QuoteName(database) + ";";

    public const string CopyState = """
        SELECT d.state_desc, c.percent_complete, c.error_desc
        FROM sys.databases AS d
        LEFT OUTER JOIN sys.dm_database_copies AS c ON c.database_id = d.database_id
        WHERE d.name = @name;
        """;

    public static string Rename(string from, string to) =>
        "ALTER DATABASE " + SqlText.QuoteName(from) + " MODIFY NAME = " + SqlText.QuoteName(to) + ";";

    public static string DropDatabase(string database) => "DROP DATABASE " + SqlText.QuoteName(database) + ";";
}
