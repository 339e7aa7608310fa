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
