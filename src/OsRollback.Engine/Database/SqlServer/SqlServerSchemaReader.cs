using System.Data.Common;
using System.Globalization;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>The application tables' shape from SQL Server's catalog views (sys.tables, sys.columns, sys.indexes, sys.foreign_keys, sys.partitions, sys.identity_columns).</summary>
internal sealed class SqlServerSchemaReader : ISchemaReader
{
    // Every statement is ScriptDom-checked in the tests.
    public const string TablesQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME
        FROM sys.tables AS t
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE t.is_ms_shipped = 0
        ORDER BY s.name, t.name
        """;

    public const string ColumnsQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, c.name AS COLUMN_NAME, ty.name AS TYPE_NAME,
               c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity
        FROM sys.columns AS c
        INNER JOIN sys.tables AS t ON t.object_id = c.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        INNER JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
        WHERE t.is_ms_shipped = 0
        ORDER BY s.name, t.name, c.column_id
        """;

    public const string IndexesQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, i.name AS INDEX_NAME, i.is_unique, i.is_primary_key, c.name AS COLUMN_NAME
        FROM sys.indexes AS i
        INNER JOIN sys.tables AS t ON t.object_id = i.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        INNER JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
        INNER JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE t.is_ms_shipped = 0 AND i.type > 0 AND ic.key_ordinal > 0
        ORDER BY s.name, t.name, i.name, ic.key_ordinal
        """;

    public const string ForeignKeysQuery = """
        SELECT ps.name AS SCHEMA_NAME, pt.name AS TABLE_NAME, fk.name AS FK_NAME, pc.name AS COLUMN_NAME,
               rt.name AS REFERENCED_TABLE, rc.name AS REFERENCED_COLUMN
        FROM sys.foreign_keys AS fk
        INNER JOIN sys.tables AS pt ON pt.object_id = fk.parent_object_id
        INNER JOIN sys.schemas AS ps ON ps.schema_id = pt.schema_id
        INNER JOIN sys.tables AS rt ON rt.object_id = fk.referenced_object_id
        INNER JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
        INNER JOIN sys.columns AS pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
        INNER JOIN sys.columns AS rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
        ORDER BY ps.name, pt.name, fk.name, fkc.constraint_column_id
        """;

    public const string RowCountsQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, SUM(p.rows) AS ROW_COUNT
        FROM sys.partitions AS p
        INNER JOIN sys.tables AS t ON t.object_id = p.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE p.index_id IN (0, 1) AND t.is_ms_shipped = 0
        GROUP BY s.name, t.name
        """;

    public const string IdentityQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, CONVERT(bigint, ic.last_value) AS LAST_VALUE
        FROM sys.identity_columns AS ic
        INNER JOIN sys.tables AS t ON t.object_id = ic.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE t.is_ms_shipped = 0
        """;

    public DbConnection OpenReadOnly(DatabaseTarget target) => SqlServerProvider.Sql(target).OpenConnection();

    public List<TableSnapshot> ReadTables(DbConnection connection, SchemaCaptureOptions options)
    {
        var tables = new Dictionary<(string, string), TableSnapshot>();
        TableSnapshot? Find(DbDataReader r) => tables.TryGetValue((r.GetString(0), r.GetString(1)), out var t) ? t : null;

        DbRows.ForEach(connection, TablesQuery, r =>
        {
            var name = r.GetString(1);
            if (options.Includes(name))
                tables[(r.GetString(0), name)] = new TableSnapshot { Schema = r.GetString(0), Name = name };
        });
        DbRows.ForEach(connection, ColumnsQuery, r =>
        {
            if (Find(r) is not { } table) return;
            var type = r.GetString(3);
            var maxLength = Convert.ToInt32(r.GetValue(4), CultureInfo.InvariantCulture);
            var column = new ColumnSnapshot
            {
                Name = r.GetString(2),
                DataType = type,
                IsNullable = Convert.ToBoolean(r.GetValue(7), CultureInfo.InvariantCulture),
                IsIdentity = Convert.ToBoolean(r.GetValue(8), CultureInfo.InvariantCulture),
            };
            switch (type.ToLowerInvariant())
            {
                case "nvarchar" or "nchar":
                    column.MaxLength = maxLength == -1 ? -1 : maxLength / 2; break;
                case "varchar" or "char" or "varbinary" or "binary":
                    column.MaxLength = maxLength; break;
                case "decimal" or "numeric":
                    column.Precision = Convert.ToInt32(r.GetValue(5), CultureInfo.InvariantCulture);
                    column.Scale = Convert.ToInt32(r.GetValue(6), CultureInfo.InvariantCulture); break;
            }
            table.Columns.Add(column);
            if (column.IsIdentity) table.IdentityColumn = column.Name;
        });
        DbRows.ForEach(connection, IndexesQuery, r =>
        {
            if (Find(r) is not { } table) return;
            var name = r.GetString(2);
            var index = table.Indexes.FirstOrDefault(i => i.Name == name);
            if (index is null)
            {
                index = new IndexSnapshot
                {
                    Name = name,
                    IsUnique = Convert.ToBoolean(r.GetValue(3), CultureInfo.InvariantCulture),
                    IsPrimaryKey = Convert.ToBoolean(r.GetValue(4), CultureInfo.InvariantCulture),
                };
                table.Indexes.Add(index);
            }
            index.Columns.Add(r.GetString(5));
            if (index.IsPrimaryKey) table.PrimaryKey.Add(r.GetString(5));
        });
        DbRows.ForEach(connection, ForeignKeysQuery, r =>
        {
            if (Find(r) is not { } table) return;
            var name = r.GetString(2);
            var fk = table.ForeignKeys.FirstOrDefault(f => f.Name == name);
            if (fk is null) table.ForeignKeys.Add(fk = new ForeignKeySnapshot { Name = name, ReferencedTable = r.GetString(4) });
            fk.Columns.Add(r.GetString(3));
            fk.ReferencedColumns.Add(r.GetString(5));
        });
        if (options.IncludeRowCounts)
            DbRows.ForEach(connection, RowCountsQuery, r => { if (Find(r) is { } t) t.RowCount = Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture); });
        DbRows.ForEach(connection, IdentityQuery, r =>
        {
            if (Find(r) is { } t && !r.IsDBNull(2)) t.HighestIdentity = r.GetInt64(2);
        });
        return tables.Values.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }
}
