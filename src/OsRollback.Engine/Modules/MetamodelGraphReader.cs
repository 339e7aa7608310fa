using System.Data.Common;
using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Modules;

/// <summary>
/// Reads the module graph from the OutSystems platform database (OSSYS_* tables). The query
/// text is written so that SQL Server and SQLite both accept it: the same text runs against
/// the sandbox's SQLite platform database and is ScriptDom-checked for SQL Server.
/// </summary>
public static class MetamodelGraphReader
{
    /// <summary>Active modules (eSpaces and extensions) with the application each belongs to.</summary>
    public const string ModulesQuery = """
        SELECT e.NAME AS MODULE_NAME, 'eSpace' AS MODULE_KIND, a.NAME AS APPLICATION_NAME
        FROM OSSYS_ESPACE e
        LEFT JOIN OSSYS_MODULE m ON m.ESPACE_ID = e.ID
        LEFT JOIN OSSYS_APP_DEFINITION_MODULE adm ON adm.MODULE_ID = m.ID
        LEFT JOIN OSSYS_APPLICATION a ON a.ID = adm.APPLICATION_ID AND a.IS_ACTIVE = 1
        WHERE e.IS_ACTIVE = 1
        UNION ALL
        SELECT x.NAME AS MODULE_NAME, 'Extension' AS MODULE_KIND, a.NAME AS APPLICATION_NAME
        FROM OSSYS_EXTENSION x
        LEFT JOIN OSSYS_MODULE m ON m.EXTENSION_ID = x.ID
        LEFT JOIN OSSYS_APP_DEFINITION_MODULE adm ON adm.MODULE_ID = m.ID
        LEFT JOIN OSSYS_APPLICATION a ON a.ID = adm.APPLICATION_ID AND a.IS_ACTIVE = 1
        WHERE x.IS_ACTIVE = 1
        """;

    /// <summary>References of each active eSpace's published version to its producers.</summary>
    public const string ReferencesQuery = """
        SELECT e.NAME AS CONSUMER_NAME, r.PRODUCER_NAME AS PRODUCER_NAME
        FROM OSSYS_ESPACE e
        INNER JOIN OSSYS_ESPACE_REFERENCE r ON r.CONSUMER_VERSION_ID = e.VERSION_ID
        WHERE e.IS_ACTIVE = 1
        """;

    public static IReadOnlyList<ModuleDefinition> Read(DatabaseTarget target, IOperationReporter? reporter = null)
    {
        reporter ??= NullReporter.Instance;
        reporter.Verbose($"Reading the module graph from the platform database {target.DisplayName}.");
        using var connection = target.OpenConnection();
        return Read(connection, target.DisplayName, reporter);
    }

    public static IReadOnlyList<ModuleDefinition> Read(DbConnection connection, string displayName, IOperationReporter reporter)
    {
        var modules = new Dictionary<string, (ModuleKind Kind, string? Application)>(StringComparer.OrdinalIgnoreCase);
        var references = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var row in Query(connection, ModulesQuery))
            {
                var name = row[0]!;
                var kind = row[1] == "Extension" ? ModuleKind.Extension : ModuleKind.eSpace;
                // A module listed in several applications keeps the first one that is named.
                if (!modules.TryGetValue(name, out var existing) || existing.Application is null)
                    modules[name] = (kind, row[2]);
            }
            foreach (var row in Query(connection, ReferencesQuery))
            {
                if (!references.TryGetValue(row[0]!, out var list)) references[row[0]!] = list = new List<string>();
                if (row[1] is { Length: > 0 } producer) list.Add(producer);
            }
        }
        catch (DbException ex)
        {
            throw new OsRollbackException("PlatformDatabaseUnreadable", OsErrorCategory.ReadError,
                $"Cannot read the module graph from {displayName}: {ex.Message}", displayName,
                "Check that the database is an OutSystems platform database (OSSYS_* tables) and that the login may read it.", ex);
        }
        reporter.Verbose($"Read {modules.Count} modules and {references.Values.Sum(r => r.Count)} references.");
        return modules
            .Select(m => new ModuleDefinition(m.Key, m.Value.Kind, m.Value.Application,
                references.TryGetValue(m.Key, out var producers) ? producers : []))
            .ToList();
    }

    private static IEnumerable<string?[]> Query(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            yield return row;
        }
    }
}
