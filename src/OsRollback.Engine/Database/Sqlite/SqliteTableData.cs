using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Locking;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// SQLite's side of comparing, exporting and importing rows: "..." names, one schema, explicit keys
/// written as they are, a backup that is itself a database file, and both set differences computed
/// by SQLite (the reference attached, EXCEPT in binary collation).
/// </summary>
internal sealed class SqliteTableData : ITableData, ISetDifference
{
    private const string ReferenceAlias = "osr_reference";

    public string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public string QuoteTable(string? schema, string table) => Quote(table);

    public string Literal(object? value) => SqlLiteral.Common(value) ?? value switch
    {
        string s => Text(s),
        DateTime dt => $"'{dt:yyyy-MM-dd HH:mm:ss.fffffff}'",
        DateTimeOffset o => $"'{o:o}'",
        TimeSpan t => $"'{t:c}'",
        Guid g => Text(g.ToString()),
        byte[] bytes => "X'" + Convert.ToHexString(bytes) + "'",
        var other => Text(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Text(string value) => "'" + value.Replace("'", "''") + "'";

    public string BeginTransaction => "BEGIN;";
    public string CommitTransaction => "COMMIT;";

    /// <summary>SQLite writes an explicit value into an INTEGER PRIMARY KEY as it is.</summary>
    public string? IdentityInsert(string? schema, string table, bool on) => null;

    public string SelectOrdered(string? schema, string table, IReadOnlyList<string> columns, IReadOnlyList<KeyColumn> key)
    {
        var order = key.Select(k =>
        {
            // A text key declared COLLATE NOCASE would otherwise sort case-insensitively.
            // Not on integer keys: a COLLATE there stops SQLite from reading in rowid order (it sorts).
            var integer = k.DataType is not null && (k.IsIdentity || k.DataType.Contains("INT", StringComparison.OrdinalIgnoreCase));
            return integer ? Quote(k.Name) : Quote(k.Name) + " COLLATE BINARY";
        });
        return $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {QuoteTable(schema, table)} ORDER BY {string.Join(", ", order)}";
    }

    public string DropIndex(string index, string? schema, string table) => $"DROP INDEX {Quote(index)};";

    public IReadOnlyList<string> DropColumn(string? schema, string table, string column, int number) =>
        [$"ALTER TABLE {QuoteTable(schema, table)} DROP COLUMN {Quote(column)};"];

    public DbConnection OpenReadOnly(DatabaseTarget target) => File(target).OpenConnection(SqliteOpenMode.ReadOnly);

    /// <summary>The same file by another path (a symbolic link, a relative path) is the same database.</summary>
    public bool IsSameDatabase(DatabaseTarget target, string recordedName)
    {
        var path = File(target).Path;
        if (string.Equals(recordedName, path, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)) return true;
        return FileIdentity.TryOf(recordedName) is { } recorded && recorded == FileIdentity.TryOf(path);
    }

    /// <summary>A SQLite backup is a database file: read directly (callers open it read-only).</summary>
    public DatabaseTarget? BackupAsDatabase(string backupFile) => new SqliteTarget(backupFile);

    public bool BackupsAreLocalFiles => true;

    public string SafetyBackupFileName(DatabaseTarget target, DateTimeOffset now) =>
        $"{Path.GetFileNameWithoutExtension(File(target).Path)}.before-import-{now:yyyyMMdd-HHmmss-fff}.db";

    public BackupResult GivenSafetyBackup(DatabaseTarget target, string file) =>
        new() { FilePath = [file], Engine = DatabaseEngineKind.Sqlite, Database = Path.GetFileNameWithoutExtension(file), Verified = true };

    public ISetDifference? SetDifference => this;

    public void Attach(DbConnection current, DatabaseTarget reference)
    {
        using var command = current.CreateCommand();
        command.CommandText = $"ATTACH DATABASE $reference AS {ReferenceAlias}";
        var p = command.CreateParameter();
        p.ParameterName = "$reference";
        p.Value = File(reference).Path;
        command.Parameters.Add(p);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Reference EXCEPT current (rows inserted or changed, as they are in the reference) or current
    /// EXCEPT reference (rows deleted or changed, as they are now). COLLATE BINARY on every value, so a
    /// NOCASE column still shows a change of case.
    /// </summary>
    public string ExceptQuery(string table, IReadOnlyList<string> columns, int keyCount, bool fromReference)
    {
        var list = string.Join(", ", columns.Select(c => $"{Quote(c)} COLLATE BINARY AS {Quote(c)}"));
        var main = "main." + Quote(table);
        var reference = ReferenceAlias + "." + Quote(table);
        var (first, second) = fromReference ? (reference, main) : (main, reference);
        var order = string.Join(", ", Enumerable.Range(1, keyCount));
        return $"SELECT {list} FROM {first} EXCEPT SELECT {list} FROM {second} ORDER BY {order}";
    }

    private static SqliteTarget File(DatabaseTarget target) => target as SqliteTarget
        ?? throw new OsRollbackException("UnsupportedDatabaseTarget", OsErrorCategory.InvalidArgument, "SQLite table data needs a SQLite target.", target.DisplayName, "Give -SqlitePath.");
}
