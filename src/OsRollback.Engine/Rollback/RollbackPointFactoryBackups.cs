using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback;

/// <summary>
/// The catalogs of a rollback point: checked before anything is written (same engine as the platform
/// database, SQLite files present, logging/session databases not also named as catalogs), then backed
/// up and verified after the platform database, each recorded with its identity and checksum.
/// </summary>
internal static class RollbackPointFactoryBackups
{
    public static FactoryDatabases Compose(RollbackPointRequest request, DatabaseTarget platform)
    {
        var factory = new FactoryDatabases(platform, request.Catalogs, request.LoggingDatabase, request.SessionDatabase);
        var engine = DatabaseProviders.Default.For(platform);
        foreach (var catalog in factory.WithApplicationTables.Skip(1))
        {
            if (!engine.Handles(catalog.Target))
            {
                throw Invalid("CatalogEngineMismatch", $"The catalog {catalog.Target.DisplayName} is {catalog.Target.Engine}, the platform database {platform.DisplayName} is {platform.Engine}.",
                    catalog.Target.DisplayName, "Give SQL Server catalogs with -CatalogDatabase (names on the platform's instance) and SQLite catalogs with -CatalogSqlitePath.");
            }
            if (engine.Addresses.AddressOf(catalog.Target).File is { } file && !File.Exists(file))
            {
                throw new OsRollbackException("CatalogDatabaseNotFound", OsErrorCategory.ObjectNotFound, $"The catalog file '{file}' does not exist; nothing was written.", file,
                    "Check -CatalogSqlitePath: give the SQLite files that hold the application tables of the catalogs.");
            }
        }
        foreach (var untouched in factory.NotTouched)
        {
            if (factory.WithApplicationTables.Any(d => d.Target.DisplayName.Equals(untouched.Target.DisplayName, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid("FactoryDatabaseRoleConflict", $"{untouched.Target.DisplayName} is named as the {untouched.Role} database and as a database with application tables.",
                    untouched.Target.DisplayName, "Name each database once: the platform database and catalogs are restored, logging and session databases never are.");
            }
        }
        return factory;
    }

    public static async Task BackupCatalogsAsync(FactoryDatabases factory, RollbackPointManifest manifest, string folder, IRollbackDatabase database,
        IDatabaseIdentitySource? identities, Func<string, string, RollbackFileInfo> describe, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var catalogs = factory.WithApplicationTables.Where(d => d.Role == FactoryDatabaseRole.Catalog).ToList();
        for (var i = 0; i < catalogs.Count; i++)
        {
            var target = catalogs[i].Target;
            reporter.Verbose($"Backing up the catalog {target.DisplayName} (full, verified).");
            BackupRecord backup;
            try
            {
                backup = await database.BackupAsync(target, Path.Combine(folder, "database"), $"catalog-{i + 1}-{FileNamePart(target)}", reporter, cancellationToken).ConfigureAwait(false);
                if (!backup.Verified) throw Invalid("BackupNotVerified", $"The backup of {target.DisplayName} did not verify.", target.DisplayName, "Check the backup location and the database.");
            }
            catch (OsRollbackException ex)
            {
                throw new OsRollbackException("FactoryBackupIncomplete", ex.Category,
                    $"The backup of the catalog {target.DisplayName} failed ({ex.ErrorId}: {ex.Message}); a rollback point must hold every database with application tables at the same point, so none was written.",
                    target.DisplayName, "Fix the cause and take the rollback point again.", ex);
            }
            var role = RollbackFileRoles.CatalogBackup(target.DisplayName);
            manifest.Files.Add(describe(role, backup.Path));
            manifest.Catalogs.Add(new RollbackCatalogDatabaseInfo
            {
                Database = RollbackDatabaseInfo.From(target),
                Identity = await IdentityOfAsync(target, identities, cancellationToken).ConfigureAwait(false),
                BackupRole = role,
                BackupTakenAt = backup.TakenAt,
                Verified = true,
            });
        }
        manifest.NotTouched.AddRange(factory.NotTouched.Select(d => new RollbackUntouchedDatabaseInfo { Role = d.Role, DisplayName = d.Target.DisplayName, Reason = d.Reason }));
    }

    /// <summary>Recorded without a query where the engine knows it (SQLite: the path), else read from the database.</summary>
    private static async Task<DatabaseIdentity?> IdentityOfAsync(DatabaseTarget target, IDatabaseIdentitySource? identities, CancellationToken cancellationToken) =>
        DatabaseProviders.Default.For(target).Addresses.CatalogIdentity(target)
        ?? (identities is null ? null : await identities.ReadIdentityAsync(target, cancellationToken).ConfigureAwait(false));

    private static string FileNamePart(DatabaseTarget target)
    {
        var name = DatabaseProviders.Default.For(target).Addresses.AddressOf(target).Name;
        return string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
    }

    private static OsRollbackException Invalid(string id, string message, string target, string action) => new(id, OsErrorCategory.InvalidArgument, message, target, action);
}
