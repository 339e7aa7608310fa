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
    /// <summary>Checks files and checksums (fast, no connection).</summary>
    public static List<RollbackPointCheck> CheckFiles(RollbackPoint point)
    {
        var checks = new List<RollbackPointCheck> { new("Manifest", true, $"{RollbackCatalog.ManifestFileName} matches its SHA-256") };
        foreach (var file in point.Manifest.Files)
        {
            var full = point.FullPath(file.Path);
            if (!File.Exists(full)) { checks.Add(new(file.Role, false, $"file '{file.Path}' is missing")); continue; }
            var size = new FileInfo(full).Length;
            if (size != file.SizeBytes) { checks.Add(new(file.Role, false, $"file '{file.Path}' has {size} bytes, expected {file.SizeBytes}")); continue; }
            var sha = RollbackJson.Sha256OfFile(full);
            checks.Add(string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase)
                ? new(file.Role, true, $"'{file.Path}' SHA-256 matches")
                : new(file.Role, false, $"file '{file.Path}' was changed (SHA-256 {sha}, expected {file.Sha256})"));
        }
        if (point.Manifest.File(RollbackFileRoles.Backup) is null) checks.Add(new(RollbackFileRoles.Backup, false, "the manifest lists no database backup"));
        return checks;
    }

    /// <summary>Files, checksums and (when <paramref name="database"/> is given) a verification of the backup.</summary>
    public static async Task<RollbackPointTestResult> TestAsync(RollbackPoint point, IRollbackDatabase? database, DatabaseTarget? target, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var checks = CheckFiles(point);
        var verified = false;
        var backup = point.Manifest.File(RollbackFileRoles.Backup);
        var backupFileOk = backup is not null && checks.Where(c => c.Name == RollbackFileRoles.Backup).All(c => c.Passed);
        if (database is not null && target is not null && backupFileOk)
        {
            reporter.Verbose($"Verifying the backup {backup!.Path}.");
            verified = await database.VerifyAsync(target, point.FullPath(backup.Path), reporter, cancellationToken).ConfigureAwait(false);
            checks.Add(new("BackupVerify", verified, verified ? "the backup verifies" : "the backup does not verify"));
        }
        foreach (var failure in checks.Where(c => !c.Passed)) reporter.Warning($"Rollback point {point.Id}: {failure.Name}: {failure.Message}.");
        return new RollbackPointTestResult { Id = point.Id, Path = point.Path, Checks = checks, BackupVerified = verified };
    }

    /// <summary>Throws when a file check fails (used before planning and executing).</summary>
    public static void EnsureIntact(RollbackPoint point, params string[] roles)
    {
        var failed = CheckFiles(point).Where(c => !c.Passed && (roles.Length == 0 || roles.Contains(c.Name))).ToList();
        if (failed.Count == 0) return;
        var missing = failed.Any(f => f.Message.Contains("missing"));
        throw new OsRollbackException(missing ? "RollbackPointFileMissing" : "RollbackPointTampered", OsErrorCategory.InvalidData,
            $"The rollback point '{point.Id}' cannot be used: {string.Join("; ", failed.Select(f => $"{f.Name}: {f.Message}"))}.", point.Id,
            "Run Test-OsRollbackPoint for details; restore the file from a copy, or use another rollback point.");
    }
}
