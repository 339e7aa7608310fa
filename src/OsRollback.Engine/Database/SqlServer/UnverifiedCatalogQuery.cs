using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

// SQL Server's T-SQL, so it lives in the SQL Server folder; the namespace stays where New-OsRollbackPoint finds it.
namespace OsRollback.Engine.Database.Providers;

/// <summary>
/// UNVERIFIED: reading the other catalogs from the platform database. What public sources show
/// (docs/platform.md, "Database catalogs"): the platform database has a table OSSYS_DBCATALOG whose
/// main entry is named '(Main)' (OutSystems' database-clone guide updates it by that name), and
/// OSSYS_ESPACE.DBCATALOG_ID points into it (community metamodel queries, a data-migration vendor).
/// Not shown anywhere: that OSSYS_DBCATALOG.NAME is the SQL Server database name rather than a
/// logical name shown in Service Center. So the query only runs behind New-OsRollbackPoint
/// -DiscoverCatalogsUnverified, and a name that is not a database on the instance stops the command.
/// </summary>
public static class UnverifiedCatalogQuery
{
    public const bool Verified = false;

    /// <summary>Catalogs other than the main one that an active eSpace is bound to, and whether a database of that name exists.</summary>
    public const string Query =
        "SELECT DISTINCT c.NAME AS catalog_name, DB_ID(c.NAME) AS database_id\n" +
        "FROM dbo.OSSYS_DBCATALOG AS c\n" +
        "WHERE c.NAME <> N'(Main)'\n" +
        "  AND EXISTS (SELECT 1 FROM dbo.OSSYS_ESPACE AS e WHERE e.DBCATALOG_ID = c.ID AND e.IS_ACTIVE = 1);";

    /// <summary>The catalog database names on the platform's instance, read with <see cref="Query"/>; warns that the query is unverified.</summary>
    public static IReadOnlyList<string> Discover(DatabaseTarget platform, IOperationReporter reporter, Func<SqlServerTarget, ISqlSession>? open = null, CancellationToken ct = default)
    {
        if (platform is not SqlServerTarget sql)
        {
            throw new OsRollbackException("CatalogDiscoveryNeedsSqlServer", OsErrorCategory.InvalidArgument,
                $"Catalogs are read from a SQL Server platform database; {platform.DisplayName} is not one. Nothing was written.", platform.DisplayName,
                "Give the catalog files with -CatalogSqlitePath.");
        }
        reporter.Warning("The catalog list is read with a query that no public OutSystems source confirms (OSSYS_DBCATALOG.NAME taken as the database name); compare it with Service Center > Administration > Database Catalogs and prefer -CatalogDatabase.");
        using var session = (open ?? (t => SqlClientSession.Open(t)))(sql);
        var rows = session.ExecuteReader(Query, cancellationToken: ct);
        var unknown = rows.Where(r => r.Int64("database_id") is null).Select(r => r.String("catalog_name") ?? "").ToList();
        if (unknown.Count > 0)
        {
            throw new OsRollbackException("CatalogDiscoveryUnverified", OsErrorCategory.InvalidData,
                $"The platform database lists the catalogs {string.Join(", ", unknown.Select(n => $"'{n}'"))}, which are not databases on {sql.SqlInstance}: the unverified query does not give database names here. Nothing was written.",
                sql.DisplayName, "Name the catalogs' databases with -CatalogDatabase (as Service Center > Administration > Database Catalogs shows them).");
        }
        var names = rows.Select(r => r.String("catalog_name")).OfType<string>().ToList();
        reporter.Verbose(names.Count == 0 ? "The platform database lists no other catalog." : $"Catalogs read from the platform database: {string.Join(", ", names)}.");
        return names;
    }
}
