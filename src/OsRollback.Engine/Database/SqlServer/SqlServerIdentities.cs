using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// SQL Server: the database's identity (sys.database_recovery_status), its published modules, and
/// the identity high-water marks of the application tables (sys.identity_columns and MAX() of the
/// identity column), reseeded with DBCC CHECKIDENT (..., RESEED, n).
/// </summary>
internal sealed class SqlServerIdentities(Func<SqlServerTarget, ISqlSession> openSqlServer)
{
    internal const string IdentityQuery =
        "SELECT @@SERVERNAME AS server_name, DB_NAME() AS database_name,\n" +
        "       CAST(database_guid AS nvarchar(36)) AS database_guid, CAST(recovery_fork_guid AS nvarchar(36)) AS recovery_fork_guid\n" +
        "FROM sys.database_recovery_status\n" +
        "WHERE database_id = DB_ID();";

    public const string IdentityColumns =
        "SELECT s.name AS schema_name, t.name AS table_name, c.name AS column_name, CAST(c.last_value AS bigint) AS last_value\n" +
        "FROM sys.identity_columns AS c\n" +
        "JOIN sys.tables AS t ON t.object_id = c.object_id\n" +
        "JOIN sys.schemas AS s ON s.schema_id = t.schema_id\n" +
        "WHERE t.name LIKE N'OSUSR[_]%'\n" +
        "ORDER BY s.name, t.name;";

    internal static string MaxQuery(string schema, string table, string column) =>
        $"SELECT CAST(MAX({SqlText.QuoteName(column)}) AS bigint) AS max_value FROM {SqlText.QuoteName(schema)}.{SqlText.QuoteName(table)};";

    public static string ReseedStatement(string schema, string table, long value) =>
        $"DBCC CHECKIDENT ({SqlText.Literal($"{SqlText.QuoteName(schema)}.{SqlText.QuoteName(table)}")}, RESEED, {value.ToString(CultureInfo.InvariantCulture)}) WITH NO_INFOMSGS;";

    private readonly Func<SqlServerTarget, ISqlSession> _openSqlServer = openSqlServer;

    public DatabaseIdentity ReadIdentity(SqlServerTarget sql, CancellationToken cancellationToken)
    {
        using var session = _openSqlServer(sql);
        var row = session.ExecuteReader(IdentityQuery, cancellationToken: cancellationToken).FirstOrNull()
            ?? throw new OsRollbackException("DatabaseIdentityUnavailable", OsErrorCategory.ResourceUnavailable, $"{sql.DisplayName} reports no recovery status.", sql.DisplayName,
                "Check that the login may read sys.database_recovery_status (VIEW DATABASE STATE).");
        return new DatabaseIdentity(DatabaseEngineKind.SqlServer, row.String("server_name") ?? sql.SqlInstance, row.String("database_name") ?? sql.Database,
            row.String("database_guid"), row.String("recovery_fork_guid"), null);
    }

    public IReadOnlyDictionary<string, string> ReadPublishedModules(SqlServerTarget sql, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var session = _openSqlServer(sql);
        foreach (var row in session.ExecuteReader(PublishedModulesQuery.Text, cancellationToken: cancellationToken))
            if (row.String("module_key") is { } key) result[key] = row.String("version_key") ?? "";
        return result;
    }

    public List<IdentityHighWater> ReadHighWater(SqlServerTarget target, CancellationToken ct)
    {
        using var session = _openSqlServer(target);
        return session.ExecuteReader(IdentityColumns, cancellationToken: ct).Select(row =>
        {
            string schema = row.String("schema_name")!, table = row.String("table_name")!, column = row.String("column_name")!;
            var max = session.ExecuteReader(MaxQuery(schema, table, column), cancellationToken: ct).FirstOrNull()?.Int64("max_value") ?? 0;
            return new IdentityHighWater($"{schema}.{table}", column, Math.Max(max, row.Int64("last_value") ?? 0), true);
        }).ToList();
    }

    public IdentityReseedReport Reseed(SqlServerTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken ct)
    {
        using var session = _openSqlServer(target);
        var now = session.ExecuteReader(IdentityColumns, cancellationToken: ct)
            .ToDictionary(r => $"{r.String("schema_name")}.{r.String("table_name")}", r => r, StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        var reseeded = 0;
        foreach (var mark in marks.Where(m => m.Reseedable))
        {
            if (!now.TryGetValue(mark.Table, out var row)) { warnings.Add($"{mark.Table} is not in the restored database; nothing to reseed."); continue; }
            string schema = row.String("schema_name")!, table = row.String("table_name")!;
            var current = Math.Max(row.Int64("last_value") ?? 0,
                session.ExecuteReader(MaxQuery(schema, table, row.String("column_name")!), cancellationToken: ct).FirstOrNull()?.Int64("max_value") ?? 0);
            if (current >= mark.Value) continue;
            session.ExecuteNonQuery(ReseedStatement(schema, table, mark.Value), cancellationToken: ct);
            reporter.Verbose($"Reseeded {mark.Table} to {mark.Value}.");
            reseeded++;
        }
        return new IdentityReseedReport(reseeded, warnings);
    }
}
