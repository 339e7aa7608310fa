using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>The databases of a factory as New-OsRollbackPoint names them, turned into targets beside the platform database.</summary>
public sealed record FactoryDatabaseTargets(IReadOnlyList<DatabaseTarget> Catalogs, DatabaseTarget? Logging, DatabaseTarget? Session);

public static class FactoryDatabaseInputs
{
    /// <summary>
    /// SQL Server: catalog, logging and session names are databases on the platform's instance (same login).
    /// SQLite: catalogs are files (<paramref name="catalogPaths"/>), logging and session names are file paths.
    /// Names of the other engine are refused before anything is written.
    /// </summary>
    public static FactoryDatabaseTargets Resolve(DatabaseTarget platform, IReadOnlyList<string> catalogNames, IReadOnlyList<string> catalogPaths, string? logging, string? session)
    {
        switch (platform)
        {
            case SqlServerTarget sql:
                if (catalogPaths.Count > 0) throw Mismatch("-CatalogSqlitePath", "a SQL Server platform database", "Name the catalogs with -CatalogDatabase (databases on the same instance).");
                return new(catalogNames.Select(n => (DatabaseTarget)sql.WithDatabase(n)).ToList(), Named(sql, logging), Named(sql, session));
            case SqliteTarget:
                if (catalogNames.Count > 0) throw Mismatch("-CatalogDatabase", "a SQLite platform database (-SqlitePath)", "Give the catalog files with -CatalogSqlitePath.");
                return new(catalogPaths.Select(p => (DatabaseTarget)new SqliteTarget(p)).ToList(),
                    logging is null ? null : new SqliteTarget(logging), session is null ? null : new SqliteTarget(session));
            default:
                throw new ArgumentException($"Unsupported database target {platform.GetType().Name}.", nameof(platform));
        }
    }

    private static DatabaseTarget? Named(SqlServerTarget sql, string? name) => string.IsNullOrEmpty(name) ? null : sql.WithDatabase(name);

    private static OsRollbackException Mismatch(string parameter, string platform, string action) =>
        new("CatalogParameterMismatch", OsErrorCategory.InvalidArgument, $"{parameter} does not go with {platform}; nothing was written.", parameter, action);
}
