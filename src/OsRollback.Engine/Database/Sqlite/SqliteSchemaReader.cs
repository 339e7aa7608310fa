using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>The application tables' shape from sqlite_master and the pragma table functions; INTEGER PRIMARY KEY is the identity.</summary>
internal sealed class SqliteSchemaReader : ISchemaReader
{
    public DbConnection OpenReadOnly(DatabaseTarget target) => SqliteProvider.File(target).OpenConnection(SqliteOpenMode.ReadOnly);

    public List<TableSnapshot> ReadTables(DbConnection connection, SchemaCaptureOptions options)
    {
        var result = new List<TableSnapshot>();
        var names = new List<string>();
        DbRows.ForEach(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name", r => names.Add(r.GetString(0)));
        foreach (var name in names.Where(options.Includes))
        {
            var table = new TableSnapshot { Name = name };
            var pk = new SortedDictionary<int, string>();
            DbRows.ForEach(connection, "SELECT name, type, \"notnull\", pk FROM pragma_table_info($t) ORDER BY cid", r =>
            {
                var column = ParseSqliteType(r.GetString(0), r.IsDBNull(1) ? "" : r.GetString(1));
                column.IsNullable = r.GetInt64(2) == 0;
                var pkOrdinal = (int)r.GetInt64(3);
                if (pkOrdinal > 0) pk[pkOrdinal] = column.Name;
                table.Columns.Add(column);
            }, ("$t", name));
            table.PrimaryKey = pk.Values.ToList();
            // INTEGER PRIMARY KEY is the rowid: SQLite's autonumber.
            if (table.PrimaryKey.Count == 1 && table.FindColumn(table.PrimaryKey[0]) is { } key
                && key.DataType.Equals("INTEGER", StringComparison.OrdinalIgnoreCase))
            {
                key.IsIdentity = true;
                table.IdentityColumn = key.Name;
            }

            var indexes = new List<(string Name, bool Unique, string Origin)>();
            DbRows.ForEach(connection, "SELECT name, \"unique\", origin FROM pragma_index_list($t)", r =>
                indexes.Add((r.GetString(0), r.GetInt64(1) != 0, r.GetString(2))), ("$t", name));
            foreach (var (indexName, unique, origin) in indexes.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var index = new IndexSnapshot { Name = indexName, IsUnique = unique, IsPrimaryKey = origin == "pk" };
                DbRows.ForEach(connection, "SELECT name FROM pragma_index_info($i) ORDER BY seqno", r => index.Columns.Add(r.IsDBNull(0) ? "" : r.GetString(0)), ("$i", indexName));
                table.Indexes.Add(index);
            }

            DbRows.ForEach(connection, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($t) ORDER BY id, seq", r =>
            {
                var id = "fk" + r.GetInt64(0).ToString(CultureInfo.InvariantCulture);
                var fk = table.ForeignKeys.FirstOrDefault(f => f.Name == id);
                if (fk is null) table.ForeignKeys.Add(fk = new ForeignKeySnapshot { Name = id, ReferencedTable = r.GetString(1) });
                fk.Columns.Add(r.GetString(2));
                fk.ReferencedColumns.Add(r.IsDBNull(3) ? "" : r.GetString(3));
            }, ("$t", name));

            var quoted = Quote(name);
            if (options.IncludeRowCounts)
                DbRows.ForEach(connection, $"SELECT COUNT(*) FROM {quoted}", r => table.RowCount = r.GetInt64(0));
            if (table.IdentityColumn is { } identity)
                DbRows.ForEach(connection, $"SELECT MAX({Quote(identity)}) FROM {quoted}", r =>
                    table.HighestIdentity = r.IsDBNull(0) ? null : r.GetInt64(0));
            result.Add(table);
        }
        return result;
    }

    private static readonly Regex SqliteTypePattern = new(@"^\s*(?<name>[^(]*?)\s*(\(\s*(?<a>-?\d+)\s*(,\s*(?<b>-?\d+)\s*)?\))?\s*$", RegexOptions.CultureInvariant);

    internal static ColumnSnapshot ParseSqliteType(string name, string declared)
    {
        var column = new ColumnSnapshot { Name = name, DataType = declared };
        var match = SqliteTypePattern.Match(declared);
        if (!match.Success) return column;
        column.DataType = match.Groups["name"].Value;
        if (match.Groups["a"].Success)
        {
            var a = int.Parse(match.Groups["a"].Value, CultureInfo.InvariantCulture);
            if (match.Groups["b"].Success)
            {
                column.Precision = a;
                column.Scale = int.Parse(match.Groups["b"].Value, CultureInfo.InvariantCulture);
            }
            else if (column.DataType.Contains("DEC", StringComparison.OrdinalIgnoreCase) || column.DataType.Contains("NUMERIC", StringComparison.OrdinalIgnoreCase))
            {
                column.Precision = a;
                column.Scale = 0;
            }
            else column.MaxLength = a;
        }
        return column;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
