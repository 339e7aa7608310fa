using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Drift;

/// <summary>
/// Which tables an import may write: application tables only. OutSystems names the table of an
/// entity of an application module OSUSR_&lt;prefix&gt;_&lt;entity&gt;; the platform's own tables are
/// OSSYS_* (users, roles, modules, the metamodel), OSLTM_* (LifeTime) and others, and are never
/// written by a delta (docs/platform.md, "Physical table names"). When the target's metamodel
/// (OSSYS_ENTITY) is readable, a table it marks as a system entity is refused too. Every table the
/// header lists is checked, whether or not -Table selects it: a header that lists a platform table
/// was not written by Export-OsDataDelta.
/// </summary>
public static class DataDeltaTableRules
{
    public const string ApplicationPrefix = "OSUSR_";

    internal const string SystemEntitiesQuery = "SELECT PHYSICAL_TABLE_NAME FROM OSSYS_ENTITY WHERE IS_SYSTEM = 1";

    private static readonly string[] ApplicationSchemas = ["", "dbo", "main"];

    public static bool IsApplicationTableName(string table, string? schema) =>
        table.StartsWith(ApplicationPrefix, StringComparison.OrdinalIgnoreCase) && ApplicationSchemas.Contains(schema ?? "", StringComparer.OrdinalIgnoreCase);

    public static void EnsureApplicationTables(string path, IEnumerable<DataDeltaTable> tables, DatabaseTarget target)
    {
        HashSet<string>? system = null;
        foreach (var table in tables)
        {
            if (!IsApplicationTableName(table.Table, table.Schema))
                throw NotAllowed(path, table, $"it is not an application table (the import writes only {ApplicationPrefix}* tables in the default schema)");
            system ??= SystemEntityTables(target);
            if (system.Contains(table.Table))
                throw NotAllowed(path, table, "the platform's metamodel marks it as the table of a system entity");
        }
    }

    /// <summary>The physical tables of system entities in the target's metamodel; empty when it cannot be read.</summary>
    private static HashSet<string> SystemEntityTables(DatabaseTarget target)
    {
        var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var connection = DatabaseProviders.Default.For(target).TableData.OpenReadOnly(target);
            using var command = connection.CreateCommand();
            command.CommandText = SystemEntitiesQuery;
            using var reader = command.ExecuteReader();
            while (reader.Read())
                if (!reader.IsDBNull(0)) result.Add(reader.GetString(0).Split('.').Last().Trim('[', ']', '"'));
        }
        catch (System.Data.Common.DbException)
        {
            // No metamodel here (or no IS_SYSTEM column): the name rule alone applies.
        }
        return result;
    }

    private static OsRollbackException NotAllowed(string path, DataDeltaTable table, string why) =>
        new("DataDeltaTableNotAllowed", OsErrorCategory.SecurityError,
            $"The data delta '{path}' lists the table {(table.Schema is null ? "" : table.Schema + ".")}{table.Table}, which an import never writes: {why}. Nothing was imported.",
            table.Table, "Import only deltas written by Export-OsDataDelta, unchanged; platform tables (OSSYS_*) are restored with the database, never through a delta.");
}
