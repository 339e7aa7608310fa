using System.Data.Common;
using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Schema;

/// <summary>
/// Captures a <see cref="SchemaSnapshot"/> of the application tables, read only: the target's provider reads
/// the tables from its engine's catalog (<see cref="ISchemaReader"/>), and the OutSystems entity mapping is read
/// here with the same SQL on every engine.
/// </summary>
public static class SchemaSnapshotReader
{
    // The OutSystems metamodel: the same text on every engine (ScriptDom-checked for SQL Server in the tests).
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
        reporter ??= NullReporter.Instance;
        reporter.Verbose($"Capturing the schema of {target.DisplayName}.");
        var provider = DatabaseProviders.Default.For(target);
        using var connection = provider.Schema.OpenReadOnly(target);
        return Capture(connection, provider, target.DisplayName, options, reporter);
    }

    private static SchemaSnapshot Capture(DbConnection connection, IDatabaseProvider provider, string source, SchemaCaptureOptions? options, IOperationReporter reporter)
    {
        options ??= new SchemaCaptureOptions();
        var snapshot = new SchemaSnapshot { CapturedAt = DateTimeOffset.UtcNow, Source = source, Engine = provider.Kind };
        try
        {
            snapshot.Tables = provider.Schema.ReadTables(connection, options);
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
            DbRows.ForEach(connection, EntitiesQuery, r =>
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
            DbRows.ForEach(connection, AttributesQuery, r =>
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
}
