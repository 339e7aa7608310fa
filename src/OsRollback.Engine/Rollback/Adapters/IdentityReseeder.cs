using System.Globalization;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Database;

/// <summary>
/// Reads and raises the identity high-water marks of the application tables (OSUSR_*).
/// SQL Server: sys.identity_columns (last_value) and MAX() of the identity column, reseeded with
/// DBCC CHECKIDENT (..., RESEED, n). SQLite: sqlite_sequence of the AUTOINCREMENT tables; a table
/// without AUTOINCREMENT has no sequence (SQLite hands out MAX(rowid)+1), so it cannot be reseeded:
/// it is reported as a warning.
/// </summary>
public sealed class IdentityReseeder : IIdentityReseeder
{
    public const string SqlServerIdentityColumns =
        "SELECT s.name AS schema_name, t.name AS table_name, c.name AS column_name, CAST(c.last_value AS bigint) AS last_value\n" +
        "FROM sys.identity_columns AS c\n" +
        "JOIN sys.tables AS t ON t.object_id = c.object_id\n" +
        "JOIN sys.schemas AS s ON s.schema_id = t.schema_id\n" +
        "WHERE t.name LIKE N'OSUSR[_]%'\n" +
        "ORDER BY s.name, t.name;";

    internal static string SqlServerMax(string schema, string table, string column) =>
        $"SELECT CAST(MAX({SqlText.QuoteName(column)}) AS bigint) AS max_value FROM {SqlText.QuoteName(schema)}.{SqlText.QuoteName(table)};";

    public static string SqlServerReseed(string schema, string table, long value) =>
        $"DBCC CHECKIDENT ({SqlText.Literal($"{SqlText.QuoteName(schema)}.{SqlText.QuoteName(table)}")}, RESEED, {value.ToString(CultureInfo.InvariantCulture)}) WITH NO_INFOMSGS;";

    private readonly Func<SqlServerTarget, ISqlSession> _openSqlServer;

    public IdentityReseeder(Func<SqlServerTarget, ISqlSession>? openSqlServer = null) => _openSqlServer = openSqlServer ?? (t => SqlClientSession.Open(t));

    public Task<IReadOnlyList<IdentityHighWater>> ReadHighWaterAsync(DatabaseTarget target, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<IdentityHighWater>>(() => target switch
        {
            SqlServerTarget sql => ReadSqlServer(sql, cancellationToken),
            SqliteTarget lite => ReadSqlite(lite),
            _ => throw Unsupported(target),
        }, cancellationToken);

    public Task<IdentityReseedReport> ReseedAsync(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() => target switch
        {
            SqlServerTarget sql => ReseedSqlServer(sql, marks, reporter, cancellationToken),
            SqliteTarget lite => ReseedSqlite(lite, marks, reporter),
            _ => throw Unsupported(target),
        }, cancellationToken);

    private List<IdentityHighWater> ReadSqlServer(SqlServerTarget target, CancellationToken ct)
    {
        using var session = _openSqlServer(target);
        return session.ExecuteReader(SqlServerIdentityColumns, cancellationToken: ct).Select(row =>
        {
            string schema = row.String("schema_name")!, table = row.String("table_name")!, column = row.String("column_name")!;
            var max = session.ExecuteReader(SqlServerMax(schema, table, column), cancellationToken: ct).FirstOrNull()?.Int64("max_value") ?? 0;
            return new IdentityHighWater($"{schema}.{table}", column, Math.Max(max, row.Int64("last_value") ?? 0), true);
        }).ToList();
    }

    private IdentityReseedReport ReseedSqlServer(SqlServerTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken ct)
    {
        using var session = _openSqlServer(target);
        var now = session.ExecuteReader(SqlServerIdentityColumns, cancellationToken: ct)
            .ToDictionary(r => $"{r.String("schema_name")}.{r.String("table_name")}", r => r, StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        var reseeded = 0;
        foreach (var mark in marks.Where(m => m.Reseedable))
        {
            if (!now.TryGetValue(mark.Table, out var row)) { warnings.Add($"{mark.Table} is not in the restored database; nothing to reseed."); continue; }
            string schema = row.String("schema_name")!, table = row.String("table_name")!;
            var current = Math.Max(row.Int64("last_value") ?? 0,
                session.ExecuteReader(SqlServerMax(schema, table, row.String("column_name")!), cancellationToken: ct).FirstOrNull()?.Int64("max_value") ?? 0);
            if (current >= mark.Value) continue;
            session.ExecuteNonQuery(SqlServerReseed(schema, table, mark.Value), cancellationToken: ct);
            reporter.Verbose($"Reseeded {mark.Table} to {mark.Value}.");
            reseeded++;
        }
        return new IdentityReseedReport(reseeded, warnings);
    }

    private static List<IdentityHighWater> ReadSqlite(SqliteTarget target)
    {
        using var connection = target.OpenConnection(SqliteOpenMode.ReadOnly);
        var sequences = Sequences(connection);
        var marks = new List<IdentityHighWater>();
        foreach (var table in ApplicationTables(connection))
        {
            if (sequences.TryGetValue(table, out var seq)) marks.Add(new IdentityHighWater(table, null, Math.Max(seq, MaxRowId(connection, table)), true));
            else if (HasAutoincrement(connection, table)) marks.Add(new IdentityHighWater(table, null, MaxRowId(connection, table), true));
            else marks.Add(new IdentityHighWater(table, null, MaxRowId(connection, table), false));
        }
        return marks;
    }

    private static IdentityReseedReport ReseedSqlite(SqliteTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter)
    {
        using var connection = target.OpenConnection(SqliteOpenMode.ReadWrite);
        var tables = ApplicationTables(connection).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sequences = Sequences(connection);
        var warnings = new List<string>();
        var reseeded = 0;
        using var transaction = connection.BeginTransaction();
        foreach (var mark in marks)
        {
            if (!tables.Contains(mark.Table)) { warnings.Add($"{mark.Table} is not in the restored database; nothing to reseed."); continue; }
            if (!mark.Reseedable || !HasAutoincrement(connection, mark.Table))
            {
                if (MaxRowId(connection, mark.Table) < mark.Value)
                    warnings.Add($"{mark.Table} has no AUTOINCREMENT, so it cannot be reseeded: new rows get ids from {MaxRowId(connection, mark.Table) + 1}, which rows lost by the restore (up to {mark.Value}) also had; recover them with care.");
                continue;
            }
            if (sequences.TryGetValue(mark.Table, out var seq) && seq >= mark.Value) continue;
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sequences.ContainsKey(mark.Table)
                ? "UPDATE sqlite_sequence SET seq = $seq WHERE name = $name;"
                : "INSERT INTO sqlite_sequence (name, seq) VALUES ($name, $seq);";
            command.Parameters.Add(new SqliteParameter("$name", mark.Table));
            command.Parameters.Add(new SqliteParameter("$seq", mark.Value));
            command.ExecuteNonQuery();
            reporter.Verbose($"Reseeded {mark.Table} to {mark.Value}.");
            reseeded++;
        }
        transaction.Commit();
        return new IdentityReseedReport(reseeded, warnings);
    }

    private static List<string> ApplicationTables(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'OSUSR\\_%' ESCAPE '\\' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static Dictionary<string, long> Sequences(System.Data.Common.DbConnection connection)
    {
        var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence';";
        if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0) return result;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, seq FROM sqlite_sequence;";
        using var reader = command.ExecuteReader();
        while (reader.Read()) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }

    private static bool HasAutoincrement(System.Data.Common.DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $name;";
        command.Parameters.Add(new SqliteParameter("$name", table));
        return (command.ExecuteScalar() as string)?.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase) == true;
    }

    private static long MaxRowId(System.Data.Common.DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(rowid), 0) FROM \"{table.Replace("\"", "\"\"")}\";";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static OsRollbackException Unsupported(DatabaseTarget target) =>
        new("IdentityReseedUnsupported", OsErrorCategory.InvalidArgument, $"Identities of {target.DisplayName} cannot be reseeded: unknown database engine.", target.DisplayName,
            "Use a SQL Server or SQLite platform database.");
}
