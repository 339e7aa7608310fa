using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Schema;

/// <summary>
/// Captures a <see cref="SchemaSnapshot"/> of the application tables: SQL Server through the
/// sys catalog views, SQLite through sqlite_master and the pragma table functions. Read only.
/// </summary>
public static class SchemaSnapshotReader
{
    // ---- SQL Server (every statement is ScriptDom-checked in the tests) ----
    public const string SqlServerTablesQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME
        FROM sys.tables AS t
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE t.is_ms_shipped = 0
        ORDER BY s.name, t.name
        """;

    public const string SqlServerColumnsQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, c.name AS COLUMN_NAME, ty.name AS TYPE_NAME,
               c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity
        FROM sys.columns AS c
        INNER JOIN sys.tables AS t ON t.object_id = c.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        INNER JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
        WHERE t.is_ms_shipped = 0
        ORDER BY s.name, t.name, c.column_id
        """;

    public const string SqlServerIndexesQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, i.name AS INDEX_NAME, i.is_unique, i.is_primary_key, c.name AS COLUMN_NAME
        FROM sys.indexes AS i
        INNER JOIN sys.tables AS t ON t.object_id = i.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        INNER JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
        INNER JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE t.is_ms_shipped = 0 AND i.type > 0 AND ic.key_ordinal > 0
        ORDER BY s.name, t.name, i.name, ic.key_ordinal
        """;

    public const string SqlServerForeignKeysQuery = """
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

    public const string SqlServerRowCountsQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, SUM(p.rows) AS ROW_COUNT
        FROM sys.partitions AS p
        INNER JOIN sys.tables AS t ON t.object_id = p.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE p.index_id IN (0, 1) AND t.is_ms_shipped = 0
        GROUP BY s.name, t.name
        """;

    public const string SqlServerIdentityQuery = """
        SELECT s.name AS SCHEMA_NAME, t.name AS TABLE_NAME, CONVERT(bigint, ic.last_value) AS LAST_VALUE
        FROM sys.identity_columns AS ic
        INNER JOIN sys.tables AS t ON t.object_id = ic.object_id
        INNER JOIN sys.schemas AS s ON s.schema_id = t.schema_id
        WHERE t.is_ms_shipped = 0
        """;

    // ---- Both engines: the OutSystems metamodel (same text on SQL Server and SQLite) ----
    public const string EntitiesQuery = """
        SELECT e.ID, e.NAME, e.PHYSICAL_TABLE_NAME, e.IS_ACTIVE, m.NAME AS MODULE_NAME
        FROM OSSYS_ENTITY e
        LEFT JOIN OSSYS_ESPACE m ON m.ID = e.ESPACE_ID
        """;

    /// <summary>All attribute columns: the physical column name's column differs by platform version.</summary>
    public const string AttributesQuery = "SELECT * FROM OSSYS_ENTITY_ATTR";

    public static SchemaSnapshot Capture(DatabaseTarget target, SchemaCaptureOptions? options, IOperationReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(target);
        options ??= new SchemaCaptureOptions();
        reporter ??= NullReporter.Instance;
        reporter.Verbose($"Capturing the schema of {target.DisplayName}.");
        using var connection = target is SqliteTarget sqlite
            ? sqlite.OpenConnection(Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly)
            : target.OpenConnection();
        return Capture(connection, target.Engine, target.DisplayName, options, reporter);
    }

    public static SchemaSnapshot Capture(DbConnection connection, DatabaseEngineKind engine, string source, SchemaCaptureOptions? options, IOperationReporter reporter)
    {
        options ??= new SchemaCaptureOptions();
        var snapshot = new SchemaSnapshot { CapturedAt = DateTimeOffset.UtcNow, Source = source, Engine = engine };
        try
        {
            snapshot.Tables = engine == DatabaseEngineKind.SqlServer
                ? ReadSqlServer(connection, options)
                : ReadSqlite(connection, options);
        }
        catch (DbException ex)
        {
            throw new OsRollbackException("SchemaUnreadable", OsErrorCategory.ReadError,
                $"Cannot read the schema of {source}: {ex.Message}", source,
                "Check that the login may read the catalog views (VIEW DEFINITION) and the tables.", ex);
        }
        if (options.IncludeEntityMapping) ApplyEntityMapping(connection, snapshot, reporter);
        reporter.Verbose($"Captured {snapshot.Tables.Count} tables, {snapshot.Tables.Sum(t => t.Columns.Count)} columns from {source}.");
        return snapshot;
    }

    private static List<TableSnapshot> ReadSqlServer(DbConnection connection, SchemaCaptureOptions options)
    {
        var tables = new Dictionary<(string, string), TableSnapshot>();
        TableSnapshot? Find(DbDataReader r) => tables.TryGetValue((r.GetString(0), r.GetString(1)), out var t) ? t : null;

        Read(connection, SqlServerTablesQuery, r =>
        {
            var name = r.GetString(1);
            if (SqlNames.MatchesAny(name, options.TablePatterns))
                tables[(r.GetString(0), name)] = new TableSnapshot { Schema = r.GetString(0), Name = name };
        });
        Read(connection, SqlServerColumnsQuery, r =>
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
        Read(connection, SqlServerIndexesQuery, r =>
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
        Read(connection, SqlServerForeignKeysQuery, r =>
        {
            if (Find(r) is not { } table) return;
            var name = r.GetString(2);
            var fk = table.ForeignKeys.FirstOrDefault(f => f.Name == name);
            if (fk is null) table.ForeignKeys.Add(fk = new ForeignKeySnapshot { Name = name, ReferencedTable = r.GetString(4) });
            fk.Columns.Add(r.GetString(3));
            fk.ReferencedColumns.Add(r.GetString(5));
        });
        if (options.IncludeRowCounts)
            Read(connection, SqlServerRowCountsQuery, r => { if (Find(r) is { } t) t.RowCount = Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture); });
        Read(connection, SqlServerIdentityQuery, r =>
        {
            if (Find(r) is { } t && !r.IsDBNull(2)) t.HighestIdentity = r.GetInt64(2);
        });
        return tables.Values.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static List<TableSnapshot> ReadSqlite(DbConnection connection, SchemaCaptureOptions options)
    {
        var result = new List<TableSnapshot>();
        var names = new List<string>();
        Read(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name", r => names.Add(r.GetString(0)));
        foreach (var name in names.Where(n => SqlNames.MatchesAny(n, options.TablePatterns)))
        {
            var table = new TableSnapshot { Name = name };
            var pk = new SortedDictionary<int, string>();
            Read(connection, "SELECT name, type, \"notnull\", pk FROM pragma_table_info($t) ORDER BY cid", r =>
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
            Read(connection, "SELECT name, \"unique\", origin FROM pragma_index_list($t)", r =>
                indexes.Add((r.GetString(0), r.GetInt64(1) != 0, r.GetString(2))), ("$t", name));
            foreach (var (indexName, unique, origin) in indexes.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                var index = new IndexSnapshot { Name = indexName, IsUnique = unique, IsPrimaryKey = origin == "pk" };
                Read(connection, "SELECT name FROM pragma_index_info($i) ORDER BY seqno", r => index.Columns.Add(r.IsDBNull(0) ? "" : r.GetString(0)), ("$i", indexName));
                table.Indexes.Add(index);
            }

            Read(connection, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($t) ORDER BY id, seq", r =>
            {
                var id = "fk" + r.GetInt64(0).ToString(CultureInfo.InvariantCulture);
                var fk = table.ForeignKeys.FirstOrDefault(f => f.Name == id);
                if (fk is null) table.ForeignKeys.Add(fk = new ForeignKeySnapshot { Name = id, ReferencedTable = r.GetString(1) });
                fk.Columns.Add(r.GetString(2));
                fk.ReferencedColumns.Add(r.IsDBNull(3) ? "" : r.GetString(3));
            }, ("$t", name));

            var quoted = SqlNames.Quote(DatabaseEngineKind.Sqlite, name);
            if (options.IncludeRowCounts)
                Read(connection, $"SELECT COUNT(*) FROM {quoted}", r => table.RowCount = r.GetInt64(0));
            if (table.IdentityColumn is { } identity)
                Read(connection, $"SELECT MAX({SqlNames.Quote(DatabaseEngineKind.Sqlite, identity)}) FROM {quoted}", r =>
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

    /// <summary>Names each table's entity and module, and each column's attribute, from OSSYS_*.</summary>
    private static void ApplyEntityMapping(DbConnection connection, SchemaSnapshot snapshot, IOperationReporter reporter)
    {
        var byTable = new Dictionary<string, List<TableSnapshot>>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in snapshot.Tables)
        {
            if (!byTable.TryGetValue(t.Name, out var list)) byTable[t.Name] = list = new();
            list.Add(t);
        }
        var tablesByEntity = new Dictionary<long, List<TableSnapshot>>();
        try
        {
            Read(connection, EntitiesQuery, r =>
            {
                if (r.IsDBNull(2)) return;
                var physical = r.GetString(2);
                // PHYSICAL_TABLE_NAME may carry a schema or brackets on some installations.
                if (!byTable.TryGetValue(physical, out var tables))
                {
                    var bare = physical.Split('.').Last().Trim('[', ']', '"');
                    if (!byTable.TryGetValue(bare, out tables)) return;
                }
                var active = !r.IsDBNull(3) && Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture) != 0;
                foreach (var table in tables)
                {
                    // An active entity wins over a deleted one that used the same table.
                    if (table.Entity is not null && table.EntityIsActive == true && !active) continue;
                    table.Entity = r.IsDBNull(1) ? null : r.GetString(1);
                    table.Module = r.IsDBNull(4) ? null : r.GetString(4);
                    table.EntityIsActive = active;
                }
                var id = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
                tablesByEntity[id] = tables;
            });
            Read(connection, AttributesQuery, r =>
            {
                int Ordinal(string name) { try { return r.GetOrdinal(name); } catch (IndexOutOfRangeException) { return -1; } catch (ArgumentException) { return -1; } }
                var entityOrdinal = Ordinal("ENTITY_ID");
                var nameOrdinal = Ordinal("NAME");
                if (entityOrdinal < 0 || nameOrdinal < 0 || r.IsDBNull(entityOrdinal) || r.IsDBNull(nameOrdinal)) return;
                if (!tablesByEntity.TryGetValue(Convert.ToInt64(r.GetValue(entityOrdinal), CultureInfo.InvariantCulture), out var tables)) return;
                var attribute = r.GetString(nameOrdinal);
                var physical = Platform.AttributeColumnName.Resolve(c => Ordinal(c) is var o && o >= 0 && !r.IsDBNull(o) ? Convert.ToString(r.GetValue(o), CultureInfo.InvariantCulture) : null, attribute);
                var activeOrdinal = Ordinal("IS_ACTIVE");
                bool? active = activeOrdinal >= 0 && !r.IsDBNull(activeOrdinal) ? Convert.ToInt64(r.GetValue(activeOrdinal), CultureInfo.InvariantCulture) != 0 : null;
                foreach (var table in tables)
                {
                    if (table.FindColumn(physical) is not { } column) continue;
                    if (column.Attribute is not null && column.AttributeIsActive == true && active == false) continue;
                    column.Attribute = attribute;
                    column.AttributeIsActive = active;
                }
            });
        }
        catch (DbException ex)
        {
            reporter.Warning($"The OutSystems entity mapping (OSSYS_ENTITY, OSSYS_ENTITY_ATTR) could not be read from {snapshot.Source}; tables are listed without entity and module names. {ex.Message}");
        }
    }

    internal static void Read(DbConnection connection, string sql, Action<DbDataReader> row, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        using var reader = command.ExecuteReader();
        while (reader.Read()) row(reader);
    }
}
