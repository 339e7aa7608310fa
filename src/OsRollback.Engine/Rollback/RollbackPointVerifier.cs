using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback;

/// <summary>One check of Test-OsRollbackPoint.</summary>
public sealed record RollbackPointCheck(string Name, bool Passed, string Message);

/// <summary>The result of Test-OsRollbackPoint: Passed is true when every check passed.</summary>
public sealed class RollbackPointTestResult
{
    public required string Id { get; init; }
    public required string Path { get; init; }
    public bool Passed => Checks.All(c => c.Passed);
    public bool BackupVerified { get; init; }
    public IReadOnlyList<RollbackPointCheck> Checks { get; init; } = [];
    public string[] Failures => Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Message}").ToArray();
}

/// <summary>Checks that a rollback point can be used: files present, checksums match, backup verifies.</summary>
public static class RollbackPointVerifier
{
    /// <summary>Checks files and checksums (no connection); each call hashes anew: within one command use a <see cref="RollbackPointVerification"/>.</summary>
    public static List<RollbackPointCheck> CheckFiles(RollbackPoint point) => new RollbackPointVerification(point).CheckAll();

    /// <summary>Files, checksums and (when <paramref name="database"/> is given) a verification of the backup.</summary>
    public static async Task<RollbackPointTestResult> TestAsync(RollbackPoint point, IRollbackDatabase? database, DatabaseTarget? target, IOperationReporter reporter, CancellationToken cancellationToken,
        RollbackPointVerification? verification = null)
    {
        var checks = (verification ?? new RollbackPointVerification(point)).CheckAll();
        var verified = false;
        var backup = point.Manifest.File(RollbackFileRoles.Backup);
        var backupFileOk = backup is not null && checks.Where(c => c.Name == RollbackFileRoles.Backup).All(c => c.Passed);
        if (database is not null && target is not null && backupFileOk)
        {
            reporter.Verbose($"Verifying the backup {backup!.Path}.");
            verified = await database.VerifyAsync(target, point.FullPath(backup.Path), reporter, cancellationToken).ConfigureAwait(false);
            checks.Add(new("BackupVerify", verified, verified ? "the backup verifies" : "the backup does not verify"));
            // Every catalog's backup too: the set is only usable when each member is.
            foreach (var catalog in point.Manifest.Catalogs)
            {
                var file = point.Manifest.File(catalog.BackupRole);
                var name = $"BackupVerify:{catalog.Database.DisplayName}";
                if (file is null || !checks.Where(c => c.Name == catalog.BackupRole).All(c => c.Passed))
                {
                    checks.Add(new(name, false, "the catalog's backup file is missing or changed"));
                    continue;
                }
                reporter.Verbose($"Verifying the backup {file.Path} of the catalog {catalog.Database.DisplayName}.");
                var ok = await database.VerifyAsync(catalog.ToTarget(target), point.FullPath(file.Path), reporter, cancellationToken).ConfigureAwait(false);
                checks.Add(new(name, ok, ok ? "the catalog's backup verifies" : "the catalog's backup does not verify"));
                verified &= ok;
            }
        }
        foreach (var failure in checks.Where(c => !c.Passed)) reporter.Warning($"Rollback point {point.Id}: {failure.Name}: {failure.Message}.");
        return new RollbackPointTestResult { Id = point.Id, Path = point.Path, Checks = checks, BackupVerified = verified };
    }

    /// <summary>
    /// Throws RollbackPointFileMissing / RollbackPointTampered unless the files of the roles (all when none
    /// given) exist with their recorded size and SHA-256. Get-OsSchemaDrift checks the schema snapshot
    /// with it: <c>EnsureIntact(point, RollbackFileRoles.SchemaSnapshot)</c>.
    /// </summary>
    public static void EnsureIntact(RollbackPoint point, params string[] roles) => new RollbackPointVerification(point).EnsureIntact(roles);
}
