using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// A recording stand-in for SQL Server: every statement is recorded in order (with the database
/// the session was opened on); answers and failures are scripted by statement prefix.
/// </summary>
public sealed class FakeSqlServer
{
    public List<(string Database, string Sql, bool LongRunning)> Statements { get; } = new();
    public List<(Func<string, bool> Match, Func<IReadOnlyList<SqlRow>> Rows)> Readers { get; } = new();
    public List<(Func<string, bool> Match, Func<Exception> Error)> Failures { get; } = new();
    public Dictionary<string, string[]> InfoMessages { get; } = new();
    public HashSet<string> ExistingDatabases { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int EngineEdition { get; set; } = 3;
    public string Edition { get; set; } = "Enterprise Edition (64-bit)";
    public int SessionsOpened { get; private set; }
    /// <summary>The family GUID the server reports for its databases (and backups of them carry in their header).</summary>
    public Guid FamilyGuid { get; set; } = Guid.Parse("11111111-1111-1111-1111-111111111111");

    public IEnumerable<string> Sql => Statements.Select(s => s.Sql);

    public ISqlSession Open(SqlServerTarget target, string? database)
    {
        SessionsOpened++;
        return new Session(this, database ?? target.Database);
    }

    public DatabaseBackupService Service(TimeProvider? time = null) => new(time ?? TimeProvider.System, Open);

    public void FailOn(string prefix, Func<Exception> error) => Failures.Add((s => s.TrimStart().StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || s.Contains("\n" + prefix, StringComparison.OrdinalIgnoreCase), error));

    public void Answer(string contains, Func<IReadOnlyList<SqlRow>> rows) => Readers.Insert(0, (s => s.Contains(contains, StringComparison.OrdinalIgnoreCase), rows));

    public static SqlRow Row(params (string Key, object? Value)[] values)
    {
        var row = new SqlRow();
        foreach (var (k, v) in values) row[k] = v;
        return row;
    }

    public FakeSqlServer()
    {
        Answer("SERVERPROPERTY('EngineEdition')", () => [Row(("EngineEdition", EngineEdition), ("Edition", Edition), ("MajorVersion", 16), ("ServerName", "SQL01"),
            ("DefaultBackupPath", @"D:\Backup"), ("DefaultDataPath", @"D:\Data\"), ("DefaultLogPath", @"L:\Log\"), ("PathSeparator", "\\"))]);
        Answer("FROM sys.databases AS d\nWHERE d.name = @database", () => [Row(("name", "outsystems"), ("recovery_model_desc", "FULL"), ("state_desc", "ONLINE"), ("user_access_desc", "MULTI_USER"))]);
        Answer("RESTORE HEADERONLY", () => [Row(("DatabaseName", "outsystems"), ("ServerName", "SQL01"), ("FamilyGUID", FamilyGuid), ("BackupType", 1),
            ("BackupStartDate", new DateTime(2026, 11, 26, 10, 0, 0)), ("BackupSize", 1000L), ("HasBackupChecksums", true))]);
        Answer("FROM sys.database_recovery_status", () => [Row(("family_guid", FamilyGuid), ("database_guid", Guid.Parse("22222222-2222-2222-2222-222222222222")))]);
        Answer("RESTORE FILELISTONLY", () =>
        [
            Row(("LogicalName", "outsystems"), ("PhysicalName", @"E:\SQL\outsystems.mdf"), ("Type", "D")),
            Row(("LogicalName", "outsystems_2"), ("PhysicalName", @"E:\SQL\outsystems_2.ndf"), ("Type", "D")),
            Row(("LogicalName", "outsystems_log"), ("PhysicalName", @"E:\SQL\outsystems_log.ldf"), ("Type", "L")),
        ]);
        Answer("FROM msdb.dbo.backupset", () =>
        [
            Row(("backup_set_id", 42L), ("database_name", "outsystems"), ("server_name", "SQL01"), ("backup_start_date", new DateTime(2026, 11, 26, 10, 0, 0)),
                ("backup_finish_date", new DateTime(2026, 11, 26, 10, 1, 0)), ("backup_size", 2_000_000L), ("compressed_backup_size", 500_000L),
                ("first_lsn", 100m), ("last_lsn", 200m), ("is_copy_only", true), ("has_backup_checksums", true), ("recovery_model", "FULL"),
                ("description", "OsRollback"), ("physical_device_name", @"D:\Backup\outsystems_SQL01_20261126_100000.bak"), ("family_sequence_number", 1)),
        ]);
    }

    private sealed class Session(FakeSqlServer server, string database) : ISqlSession
    {
        public int ExecuteNonQuery(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default)
        {
            Record(sql, longRunning, onInfoMessage);
            return 0;
        }

        public IReadOnlyList<SqlRow> ExecuteReader(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default)
        {
            Record(sql, longRunning, onInfoMessage);
            foreach (var (match, rows) in server.Readers)
                if (match(sql)) return rows();
            return [];
        }

        public object? ExecuteScalar(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default)
        {
            Record(sql, false, onInfoMessage);
            if (sql.Contains("DB_ID(@database)"))
                return server.ExistingDatabases.Contains(parameters!.Single(p => p.Name == "@database").Value as string ?? "") ? 1 : 0;
            return null;
        }

        private void Record(string sql, bool longRunning, Action<string>? onInfo)
        {
            server.Statements.Add((database, sql, longRunning));
            foreach (var (match, error) in server.Failures)
                if (match(sql)) throw error();
            foreach (var (prefix, messages) in server.InfoMessages)
                if (sql.TrimStart().StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || sql.Contains("\n" + prefix))
                    foreach (var m in messages) onInfo?.Invoke(m);
        }

        public void Dispose() { }
    }
}
