using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Database;

/// <summary>The identity of a platform database and its published module versions (SQL Server and SQLite).</summary>
public sealed class DatabaseIdentityReader : IDatabaseIdentitySource
{
    internal const string SqlServerIdentity =
        "SELECT @@SERVERNAME AS server_name, DB_NAME() AS database_name,\n" +
        "       CAST(database_guid AS nvarchar(36)) AS database_guid, CAST(recovery_fork_guid AS nvarchar(36)) AS recovery_fork_guid\n" +
        "FROM sys.database_recovery_status\n" +
        "WHERE database_id = DB_ID();";

    /// <summary>One text for both engines (the metamodel convention).</summary>
    internal const string PublishedModules =
        "SELECT e.SS_KEY AS module_key, v.SS_KEY AS version_key FROM OSSYS_ESPACE e JOIN OSSYS_ESPACE_VERSION v ON v.ID = e.VERSION_ID WHERE e.IS_ACTIVE = 1\n" +
        "UNION ALL\n" +
        "SELECT x.SS_KEY AS module_key, v.SS_KEY AS version_key FROM OSSYS_EXTENSION x JOIN OSSYS_EXTENSION_VERSION v ON v.ID = x.VERSION_ID WHERE x.IS_ACTIVE = 1;";

    internal const string SqlitePlatformSchema = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'OSSYS\\_%' ESCAPE '\\' ORDER BY name;";

    private readonly Func<SqlServerTarget, ISqlSession> _openSqlServer;

    public DatabaseIdentityReader(Func<SqlServerTarget, ISqlSession>? openSqlServer = null) => _openSqlServer = openSqlServer ?? (t => SqlClientSession.Open(t));

    public Task<DatabaseIdentity> ReadIdentityAsync(DatabaseTarget target, CancellationToken cancellationToken) => Task.Run(() =>
    {
        switch (target)
        {
            case SqlServerTarget sql:
                using (var session = _openSqlServer(sql))
                {
                    var row = session.ExecuteReader(SqlServerIdentity, cancellationToken: cancellationToken).FirstOrNull()
                        ?? throw new OsRollbackException("DatabaseIdentityUnavailable", OsErrorCategory.ResourceUnavailable, $"{sql.DisplayName} reports no recovery status.", sql.DisplayName,
                            "Check that the login may read sys.database_recovery_status (VIEW DATABASE STATE).");
                    return new DatabaseIdentity(DatabaseEngineKind.SqlServer, row.String("server_name") ?? sql.SqlInstance, row.String("database_name") ?? sql.Database,
                        row.String("database_guid"), row.String("recovery_fork_guid"), null);
                }
            case SqliteTarget lite:
                using (var connection = lite.OpenConnection(SqliteOpenMode.ReadOnly))
                    return new DatabaseIdentity(DatabaseEngineKind.Sqlite, "", lite.Path, null, null, Fingerprint(connection));
            default:
                throw new OsRollbackException("DatabaseIdentityUnavailable", OsErrorCategory.InvalidArgument, $"Unknown database engine of {target.DisplayName}.", target.DisplayName, "Use SQL Server or SQLite.");
        }
    }, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> ReadPublishedModulesAsync(DatabaseTarget target, CancellationToken cancellationToken) => Task.Run<IReadOnlyDictionary<string, string>>(() =>
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (target is SqlServerTarget sql)
        {
            using var session = _openSqlServer(sql);
            foreach (var row in session.ExecuteReader(PublishedModules, cancellationToken: cancellationToken))
                if (row.String("module_key") is { } key) result[key] = row.String("version_key") ?? "";
            return result;
        }
        using var connection = ((SqliteTarget)target).OpenConnection(SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = PublishedModules;
        using var reader = command.ExecuteReader();
        while (reader.Read()) result[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        return result;
    }, cancellationToken);

    private static string Fingerprint(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SqlitePlatformSchema;
        using var reader = command.ExecuteReader();
        var text = new StringBuilder();
        while (reader.Read()) text.Append(reader.GetString(0)).Append('\n').Append(reader.IsDBNull(1) ? "" : reader.GetString(1)).Append('\n');
        if (text.Length == 0)
        {
            throw new OsRollbackException("RollbackPointDatabaseMismatch", OsErrorCategory.InvalidData, "The SQLite file holds no OutSystems platform tables (OSSYS_*).", null,
                "Give the environment's platform database with -SqlitePath.");
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
    }
}
