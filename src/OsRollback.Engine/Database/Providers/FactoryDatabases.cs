using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Providers;

/// <summary>Why a database of the factory is (or is not) part of a rollback's backups and restores.</summary>
public enum FactoryDatabaseRole { Platform, Catalog, Logging, Session }

/// <summary>One database of the factory and whether a rollback backs it up and restores it.</summary>
public sealed record FactoryDatabase(DatabaseTarget Target, FactoryDatabaseRole Role, bool HoldsApplicationTables, string Reason);

/// <summary>
/// Every database of an OutSystems 11 factory that a rollback must treat together. Verified from
/// public OutSystems documentation: eSpaces can be bound to other database catalogs (SQL Server) or
/// schemas (Oracle) than the platform (main) database, so application tables live in all of them
/// ("Multiple Database Catalogs and Schemas", success.outsystems.com); OutSystems 11 can keep log
/// data in a separate database ("Keep OutSystems log data in a separate database"). How the catalog
/// list is read from the platform database is not verified: see <see cref="UnverifiedCatalogQuery"/>.
/// </summary>
public sealed class FactoryDatabases
{
    private readonly List<FactoryDatabase> _all = new();

    /// <param name="platform">The platform (main) database: system tables and the applications bound to it.</param>
    /// <param name="catalogs">The other catalogs eSpaces are bound to (from Service Center, or <see cref="UnverifiedCatalogQuery"/>).</param>
    /// <param name="logging">The separate log database, if the factory has one.</param>
    /// <param name="session">The session database (ASP.NET session state), if separate.</param>
    public FactoryDatabases(DatabaseTarget platform, IEnumerable<DatabaseTarget>? catalogs = null, DatabaseTarget? logging = null, DatabaseTarget? session = null)
    {
        _all.Add(new FactoryDatabase(platform, FactoryDatabaseRole.Platform, true, "the platform database: system tables (OSSYS_*) and the entities of eSpaces bound to it"));
        foreach (var catalog in catalogs ?? [])
        {
            if (_all.Any(d => d.Target.DisplayName.Equals(catalog.DisplayName, StringComparison.OrdinalIgnoreCase))) continue;
            _all.Add(new FactoryDatabase(catalog, FactoryDatabaseRole.Catalog, true, "a database catalog that eSpaces are bound to: their entity tables live here"));
        }
        if (logging is not null)
            _all.Add(new FactoryDatabase(logging, FactoryDatabaseRole.Logging, false, "log data only: restoring it would erase the logs of the failed deploy, which the investigation needs"));
        if (session is not null)
            _all.Add(new FactoryDatabase(session, FactoryDatabaseRole.Session, false, "transient session state: restoring it would bring back stale sessions; it is emptied by the platform, not rolled back"));
    }

    public IReadOnlyList<FactoryDatabase> All => _all;
    /// <summary>The databases a rollback backs up and restores, platform first.</summary>
    public IReadOnlyList<FactoryDatabase> WithApplicationTables => _all.Where(d => d.HoldsApplicationTables).ToList();
    /// <summary>The databases left alone, each with its reason.</summary>
    public IReadOnlyList<FactoryDatabase> NotTouched => _all.Where(d => !d.HoldsApplicationTables).ToList();

    /// <summary>
    /// Backs up and verifies every database with application tables, platform first. All or nothing as
    /// evidence: a failure stops the set (the backups already taken are kept and named in the error).
    /// </summary>
    public IReadOnlyList<VerifiedBackup> BackupAll(DatabaseBackupService service, Func<FactoryDatabase, BackupOptions> options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var taken = new List<VerifiedBackup>();
        foreach (var database in WithApplicationTables)
        {
            try
            {
                taken.Add(service.BackupAndVerify(database.Target, options(database), reporter, ct));
            }
            catch (OsRollbackException ex)
            {
                throw new OsRollbackException("FactoryBackupIncomplete", ex.Category,
                    $"The backup of {database.Target.DisplayName} failed ({ex.ErrorId}: {ex.Message}); the set is incomplete. Taken so far: {string.Join(", ", taken.Select(t => t.Database))}.",
                    database.Target.DisplayName, "Fix the cause and back up the whole set again: a rollback needs every database of the factory at the same point.", ex);
            }
        }
        return taken;
    }

    /// <summary>
    /// Plans the restore of every database of the set first (so a backup of the wrong database, a shared-server
    /// feature or a missing file stops it before anything is replaced), then restores them in order.
    /// </summary>
    public IReadOnlyList<RestoreResult> RestoreAll(DatabaseBackupService service, IReadOnlyDictionary<FactoryDatabase, RestoreOptions> restores, IOperationReporter reporter, CancellationToken ct = default)
    {
        var missing = WithApplicationTables.Where(d => !restores.ContainsKey(d)).Select(d => d.Target.DisplayName).ToList();
        if (missing.Count > 0)
        {
            throw new OsRollbackException("FactoryRestoreIncomplete", OsErrorCategory.InvalidArgument,
                $"The restore set lacks {string.Join(", ", missing)}; restoring only part of the factory would leave its databases at different points.", missing[0],
                "Give a backup for every database with application tables (FactoryDatabases.WithApplicationTables). Nothing was changed.");
        }
        var plans = WithApplicationTables.Select(d => (Database: d, Plan: service.PlanRestore(d.Target, restores[d], reporter, ct))).ToList();
        return plans.Select(p => service.Restore(p.Plan, restores[p.Database], reporter, ct)).ToList();
    }
}

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
