using System.Data;
using Microsoft.Data.SqlClient;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>One row of a result set, by column name (case-insensitive); DBNull becomes null.</summary>
public sealed class SqlRow : Dictionary<string, object?>
{
    public SqlRow() : base(StringComparer.OrdinalIgnoreCase) { }
    public string? String(string column) => TryGetValue(column, out var v) && v is not null ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;
    public long? Int64(string column) => TryGetValue(column, out var v) && v is not null ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : null;
    public decimal? Decimal(string column) => TryGetValue(column, out var v) && v is not null ? Convert.ToDecimal(v, System.Globalization.CultureInfo.InvariantCulture) : null;
    public bool Bool(string column) => TryGetValue(column, out var v) && v is not null && Convert.ToBoolean(v, System.Globalization.CultureInfo.InvariantCulture);
    public DateTime? Date(string column) => TryGetValue(column, out var v) && v is DateTime d ? d : null;
    public Guid? Guid(string column) => TryGetValue(column, out var v) ? v switch { System.Guid g => g, string s when System.Guid.TryParse(s, out var p) => p, _ => null } : null;
}

/// <summary>A SQL parameter (always sent as a parameter, never concatenated).</summary>
public sealed record SqlParameterValue(string Name, object? Value);

/// <summary>
/// The engine's view of a SQL Server connection: the seam that lets tests record statement
/// order and inject failures. Long-running statements (BACKUP, RESTORE, DBCC) run with no
/// command timeout; server info messages (BACKUP/RESTORE STATS) go to <c>onInfoMessage</c> as
/// they arrive.
/// </summary>
public interface ISqlSession : IDisposable
{
    int ExecuteNonQuery(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default);
    IReadOnlyList<SqlRow> ExecuteReader(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default);
    object? ExecuteScalar(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default);
}

/// <summary>The real session: one open <see cref="SqlConnection"/>, CommandTimeout=0 for long-running work.</summary>
public sealed class SqlClientSession : ISqlSession
{
    private readonly SqlConnection _connection;
    private readonly string _display;
    private Action<string>? _currentInfo;

    private SqlClientSession(SqlConnection connection, string display)
    {
        _connection = connection;
        _display = display;
        _connection.InfoMessage += (_, e) =>
        {
            var sink = _currentInfo;
            if (sink is null) return;
            foreach (SqlError error in e.Errors) sink(error.Message);
        };
    }

    /// <summary>Opens a session on the target's server (the target's database, or master when <paramref name="database"/> says so).</summary>
    public static SqlClientSession Open(SqlServerTarget target, string? database = null)
    {
        var effective = database is null ? target : target.WithDatabase(database);
        var connection = (SqlConnection)effective.OpenConnection();
        return new SqlClientSession(connection, effective.DisplayName);
    }

    /// <summary>Seconds for ordinary (short) statements.</summary>
    public int ShortCommandTimeoutSeconds { get; init; } = 60;

    public int ExecuteNonQuery(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default) =>
        Run(sql, parameters, longRunning, onInfoMessage, cmd => cmd.ExecuteNonQuery(), cancellationToken);

    public IReadOnlyList<SqlRow> ExecuteReader(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default) =>
        Run(sql, parameters, longRunning, onInfoMessage, cmd =>
        {
            var rows = new List<SqlRow>();
            using var reader = cmd.ExecuteReader();
            do
            {
                while (reader.Read())
                {
                    var row = new SqlRow();
                    for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    rows.Add(row);
                }
            } while (reader.NextResult());
            return (IReadOnlyList<SqlRow>)rows;
        }, cancellationToken);

    public object? ExecuteScalar(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default) =>
        Run(sql, parameters, false, onInfoMessage, cmd => { var v = cmd.ExecuteScalar(); return v is DBNull ? null : v; }, cancellationToken);

    private T Run<T>(string sql, IReadOnlyList<SqlParameterValue>? parameters, bool longRunning, Action<string>? onInfo, Func<SqlCommand, T> execute, CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.CommandType = CommandType.Text;
        command.CommandTimeout = longRunning ? 0 : ShortCommandTimeoutSeconds;
        foreach (var p in parameters ?? []) command.Parameters.AddWithValue(p.Name, p.Value ?? DBNull.Value);
        _currentInfo = onInfo;
        using var registration = cancellationToken.Register(() => { try { command.Cancel(); } catch (Exception) { } });
        try
        {
            return execute(command);
        }
        catch (SqlException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw SqlErrors.Map(ex.Number, ex.Class, ex.Message, _display, _connection.State != ConnectionState.Open, ex);
        }
        catch (InvalidOperationException ex) when (_connection.State != ConnectionState.Open)
        {
            throw SqlErrors.Map(0, 20, ex.Message, _display, true, ex);
        }
        finally
        {
            _currentInfo = null;
        }
    }

    public void Dispose() => _connection.Dispose();
}

/// <summary>Server errors that a DBA meets during backup and restore, as stable ErrorIds.</summary>
public static class SqlErrors
{
    public static OsRollbackException Map(int number, int severity, string message, string target, bool connectionLost, Exception? inner = null)
    {
        if (connectionLost || severity >= 20)
        {
            return new OsRollbackException("ConnectionLost", OsErrorCategory.ConnectionError,
                $"The connection to '{target}' was lost: {message}", target,
                "Check the server and network, then look at the database state (Get-OsDatabaseBackup shows whether the backup finished) and run the command again.", inner);
        }
        return number switch
        {
            3201 or 3203 or 3013 when ContainsAny(message, "Operating system error 2(", "Operating system error 3(", "cannot find the path", "No such file") =>
                new OsRollbackException("BackupPathNotFound", OsErrorCategory.ObjectNotFound,
                    $"SQL Server cannot open the backup file or folder: {message}", target,
                    "The path is resolved on the SQL Server machine, not on this one: check that the folder exists there and that the SQL Server service account can use it.", inner),
            3201 or 3202 or 3013 or 112 or 1105 when ContainsAny(message, "112(", "not enough space", "disk is full", "No space left") =>
                new OsRollbackException("DiskFull", OsErrorCategory.WriteError,
                    $"The disk is full: {message}", target,
                    "Free space on the backup or data volume, or write to another -Path; nothing was deleted.", inner),
            3201 or 3202 when ContainsAny(message, "Operating system error 5(", "Access is denied", "Permission denied") =>
                new OsRollbackException("BackupPathAccessDenied", OsErrorCategory.PermissionDenied,
                    $"SQL Server may not use the backup path: {message}", target,
                    "Grant the SQL Server service account read/write access to the folder.", inner),
            3183 or 3189 or 3241 or 3242 or 3243 or 3263 or 3013 when ContainsAny(message, "checksum", "damage", "corrupt", "incorrectly formed", "not a valid", "3183", "3189") =>
                new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
                    $"The backup is damaged (checksum or format failure): {message}", target,
                    "Do not restore from this backup; use an older verified backup (Get-OsDatabaseBackup) and check the storage it was written to.", inner),
            3154 => new OsRollbackException("BackupOfAnotherDatabase", OsErrorCategory.InvalidData,
                    $"The backup holds another database than the one it would replace: {message}", target,
                    "Check -FilePath; to restore it under another name use -DatabaseName.", inner),
            3101 or 5030 or 5061 or 5064 or 3102 => new OsRollbackException("DatabaseBusy", OsErrorCategory.ResourceBusy,
                    $"The database is in use and exclusive access could not be obtained: {message}", target,
                    "Take the applications offline (or stop the sessions using the database) and try again; the database was left in MULTI_USER.", inner),
            911 or 4060 => new OsRollbackException("DatabaseNotFound", OsErrorCategory.ObjectNotFound, message, target, "Check -Database.", inner),
            262 or 229 or 3110 or 916 or 18456 => new OsRollbackException("PermissionDenied", OsErrorCategory.PermissionDenied, message, target,
                    "Backup needs db_backupoperator (or sysadmin); restore needs dbcreator or sysadmin.", inner),
            _ => new OsRollbackException("SqlServerError", OsErrorCategory.InvalidOperation, $"SQL Server error {number}: {message}", target,
                    "Read the SQL Server message above; the database was left in MULTI_USER.", inner),
        };
    }

    private static bool ContainsAny(string text, params string[] parts) => parts.Any(p => text.Contains(p, StringComparison.OrdinalIgnoreCase));
}
