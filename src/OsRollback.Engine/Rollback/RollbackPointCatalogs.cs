using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Rollback;

/// <summary>
/// A database catalog (other than the platform database) that eSpaces are bound to, as a rollback
/// point records it: which database, its identity and the role of its backup in the manifest's
/// file list (so the checksum checks of Test-OsRollbackPoint and of planning cover it like any file).
/// </summary>
public sealed class RollbackCatalogDatabaseInfo
{
    public RollbackDatabaseInfo Database { get; set; } = new();

    /// <summary>SQL Server: server, name and database_guid. SQLite: the path only (a catalog has no OSSYS_* tables to fingerprint, and its own tables change with every deploy).</summary>
    public Database.DatabaseIdentity? Identity { get; set; }

    /// <summary>The role of its backup in <see cref="RollbackPointManifest.Files"/> (<see cref="RollbackFileRoles.CatalogBackup"/>).</summary>
    public string BackupRole { get; set; } = "";
    public DateTimeOffset BackupTakenAt { get; set; }
    public bool Verified { get; set; }

    /// <summary>
    /// The database to back up, restore or verify: a SQL Server catalog lives on the platform's instance,
    /// so it takes the given platform target's server and credential; a SQLite catalog is its recorded file.
    /// </summary>
    public DatabaseTarget ToTarget(DatabaseTarget? platform) =>
        DatabaseProviders.Default.For(Database.Engine).Addresses.TargetAt(Database.ToAddress(), platform)
        ?? throw new Diagnostics.OsRollbackException("CatalogDatabaseUnknown", Diagnostics.OsErrorCategory.InvalidData,
            $"The rollback point records the catalog {Database.DisplayName} without a server and database or a file.", Database.DisplayName,
            "Take a new rollback point with -CatalogDatabase or -CatalogSqlitePath.");
}

/// <summary>A database of the factory a rollback never touches, with the reason (logging, session).</summary>
public sealed class RollbackUntouchedDatabaseInfo
{
    public FactoryDatabaseRole Role { get; set; }
    public string DisplayName { get; set; } = "";
    public string Reason { get; set; } = "";
}

/// <summary>What a rollback point says about the databases it does not cover.</summary>
public static class UntouchedDatabases
{
    /// <summary>Said in every Database plan, also when no logging or session database was named.</summary>
    public const string Rule = "Logging and session databases are never backed up or restored: restoring the log database would erase the logs of the failed deploy, which the investigation needs; session state is transient and restoring it would bring back stale sessions.";

    public static IEnumerable<string> Lines(RollbackPointManifest manifest) =>
        manifest.NotTouched.Select(d => $"Not touched: {d.DisplayName} ({d.Role}): {d.Reason}.");
}
