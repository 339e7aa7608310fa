using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>SQL Server databases are named on an instance: a factory's other databases are on the platform's instance, under its login.</summary>
internal sealed class SqlServerAddresses : IDatabaseAddresses
{
    public string EngineName => "SQL Server";

    public bool DatabasesAreFiles => false;

    public StringComparison NameComparison => StringComparison.OrdinalIgnoreCase;

    public DatabaseAddress AddressOf(DatabaseTarget target)
    {
        var sql = SqlServerProvider.Sql(target);
        return new(DatabaseEngineKind.SqlServer, sql.DisplayName, Server: sql.SqlInstance, Database: sql.Database);
    }

    public DatabaseTarget? TargetAt(DatabaseAddress address, DatabaseTarget? server = null)
    {
        if (string.IsNullOrEmpty(address.Database)) return null;
        if (server is SqlServerTarget instance) return instance.WithDatabase(address.Database);
        return string.IsNullOrEmpty(address.Server) ? null : new SqlServerTarget(address.Server, address.Database);
    }

    /// <summary>Read from the server (database_guid), like the platform database's.</summary>
    public DatabaseIdentity? CatalogIdentity(DatabaseTarget catalog) => null;

    public FactoryDatabaseTargets FactoryDatabases(DatabaseTarget platform, IReadOnlyList<string> catalogNames, IReadOnlyList<string> catalogPaths, string? logging, string? session)
    {
        var sql = SqlServerProvider.Sql(platform);
        if (catalogPaths.Count > 0) throw FactoryDatabaseAddresses.Mismatch("-CatalogSqlitePath", "a SQL Server platform database", "Name the catalogs with -CatalogDatabase (databases on the same instance).");
        return new(catalogNames.Select(n => (DatabaseTarget)sql.WithDatabase(n)).ToList(), Named(sql, logging), Named(sql, session));
    }

    private static DatabaseTarget? Named(SqlServerTarget sql, string? name) => string.IsNullOrEmpty(name) ? null : sql.WithDatabase(name);
}
