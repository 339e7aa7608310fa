using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.Providers;

public static class FactoryDatabaseInputs
{
    /// <summary>
    /// The catalogs, logging and session databases New-OsRollbackPoint names, as targets beside <paramref name="platform"/>
    /// (its provider says how: databases on its instance with the same login, or files). Names of the other
    /// engine are refused before anything is written.
    /// </summary>
    public static FactoryDatabaseTargets Resolve(DatabaseTarget platform, IReadOnlyList<string> catalogNames, IReadOnlyList<string> catalogPaths, string? logging, string? session) =>
        DatabaseProviders.Default.For(platform).Addresses.FactoryDatabases(platform, catalogNames, catalogPaths, logging, session);
}
