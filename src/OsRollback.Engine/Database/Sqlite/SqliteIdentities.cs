using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// SQLite: the database's identity (full path and a fingerprint of the platform tables), its
/// published modules, and the high-water marks in sqlite_sequence of the AUTOINCREMENT tables; a
/// table without AUTOINCREMENT has no sequence (SQLite hands out MAX(rowid)+1), so it cannot be
/// reseeded: it is reported as a warning.
/// </summary>
internal static class SqliteIdentities
{
    internal const string SqlitePlatformSchema = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'OSSYS\\_%' ESCAPE '\\' ORDER BY name;";

    public static DatabaseIdentity ReadIdentity(SqliteTarget lite)
    {
        using var connection = lite.OpenConnection(SqliteOpenMode.ReadOnly);
        return new DatabaseIdentity(DatabaseEngineKind.Sqlite, "", lite.Path, null, null, Fingerprint(connection));
    }

    public static IReadOnlyDictionary<string, string> ReadPublishedModules(SqliteTarget lite)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var connection = lite.OpenConnection(SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = PublishedModulesQuery.Text;
        using var reader = command.ExecuteReader();
        while (reader.Read()) result[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
        return result;
    }

    public static List<IdentityHighWater> ReadHighWater(SqliteTarget target)
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

    public static IdentityReseedReport Reseed(SqliteTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter)
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
