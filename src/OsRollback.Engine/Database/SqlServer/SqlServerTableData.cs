using System.Data.Common;
using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// SQL Server's side of comparing, exporting and importing rows: [..] names in the dbo schema by
/// default, N'..' and typed CAST literals, IDENTITY_INSERT around explicit keys, text keys ordered
/// in BIN2, and default constraints dropped before their column. Backups are written by the server,
/// into its backup folder, and must be restored before their rows can be read.
/// </summary>
internal sealed class SqlServerTableData : ITableData
{
    public string Quote(string identifier) => "[" + identifier.Replace("]", "]]") + "]";

    public string QuoteTable(string? schema, string table) => Quote(string.IsNullOrEmpty(schema) ? "dbo" : schema) + "." + Quote(table);

    public string Literal(object? value) => SqlLiteral.Common(value) ?? value switch
    {
        string s => Text(s),
        DateTime dt => $"CAST(N'{dt:yyyy-MM-dd'T'HH:mm:ss.fffffff}' AS datetime2(7))",
        DateTimeOffset o => $"CAST(N'{o:o}' AS datetimeoffset(7))",
        TimeSpan t => $"CAST(N'{t:c}' AS time(7))",
        Guid g => Text(g.ToString()),
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        var other => Text(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Text(string value) => "N'" + value.Replace("'", "''") + "'";

    public string BeginTransaction => "BEGIN TRANSACTION;";
    public string CommitTransaction => "COMMIT TRANSACTION;";

    /// <summary>SQL Server allows IDENTITY_INSERT on one table per session at a time: on for a table, off before the next.</summary>
    public string? IdentityInsert(string? schema, string table, bool on) => $"SET IDENTITY_INSERT {QuoteTable(schema, table)} {(on ? "ON" : "OFF")}";

    public string SelectOrdered(string? schema, string table, IReadOnlyList<string> columns, IReadOnlyList<KeyColumn> key)
    {
        // A binary collation orders text keys by code point, as the merge expects.
        var order = key.Select(k => k.DataType?.ToLowerInvariant() is "nvarchar" or "varchar" or "nchar" or "char" ? Quote(k.Name) + " COLLATE Latin1_General_BIN2" : Quote(k.Name));
        return $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {QuoteTable(schema, table)} ORDER BY {string.Join(", ", order)}";
    }

    public string DropIndex(string index, string? schema, string table) => $"DROP INDEX {Quote(index)} ON {QuoteTable(schema, table)};";

    /// <summary>OutSystems columns carry a default constraint that must go first.</summary>
    public IReadOnlyList<string> DropColumn(string? schema, string table, string column, int number)
    {
        var quoted = QuoteTable(schema, table);
        var v = $"@df{number}";
        return
        [
            $"DECLARE {v} sysname = (SELECT dc.name FROM sys.default_constraints AS dc INNER JOIN sys.columns AS c ON c.object_id = dc.parent_object_id AND c.column_id = dc.parent_column_id WHERE dc.parent_object_id = OBJECT_ID({Text(quoted)}) AND c.name = {Text(column)});",
            $"IF {v} IS NOT NULL BEGIN DECLARE {v}sql nvarchar(max) = N'ALTER TABLE {quoted.Replace("'", "''")} DROP CONSTRAINT ' + QUOTENAME({v}); EXEC sys.sp_executesql {v}sql; END;",
            $"ALTER TABLE {quoted} DROP COLUMN {Quote(column)};",
        ];
    }

    /// <summary>SQL Server has no read-only connection mode here: the callers only read.</summary>
    public DbConnection OpenReadOnly(DatabaseTarget target) => target.OpenConnection();

    public bool IsSameDatabase(DatabaseTarget target, string recordedName) => string.Equals(recordedName, target.DisplayName, StringComparison.OrdinalIgnoreCase);

    public DatabaseTarget? BackupAsDatabase(string backupFile) => null;

    public bool BackupsAreLocalFiles => false;

    public string SafetyBackupFileName(DatabaseTarget target, DateTimeOffset now) => $"{Sql(target).Database}.before-import-{now:yyyyMMdd-HHmmss-fff}.bak";

    public BackupResult GivenSafetyBackup(DatabaseTarget target, string file)
    {
        var sql = Sql(target);
        return new BackupResult { FilePath = [file], Engine = DatabaseEngineKind.SqlServer, SqlInstance = sql.SqlInstance, Database = sql.Database, Verified = true };
    }

    public ISetDifference? SetDifference => null;

    private static SqlServerTarget Sql(DatabaseTarget target) => SqlServerProvider.Sql(target);
}
