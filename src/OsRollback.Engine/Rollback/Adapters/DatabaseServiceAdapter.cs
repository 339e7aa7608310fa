using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary>
/// <see cref="IRollbackDatabase"/> straight over the target's database provider (the providers of the given
/// <see cref="DatabaseBackupService"/>). Restores over the target take a fresh verified safety backup first,
/// unless the run's own verified pre-rollback backup is given with its evidence (then it is re-checked cheaply).
/// Every call runs on the caller's thread (<see cref="CallerThread"/>).
/// </summary>
public sealed class DatabaseServiceAdapter : IRollbackDatabase
{
    private readonly DatabaseProviders _providers;

    public DatabaseServiceAdapter(DatabaseBackupService? service = null) => _providers = (service ?? new DatabaseBackupService()).Providers;

    public Task<BackupRecord> BackupAsync(DatabaseTarget target, string folder, string fileName, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() =>
        {
            Directory.CreateDirectory(folder);
            var provider = _providers.For(target);
            var path = Path.Combine(folder, fileName + provider.BackupExtension);
            // Idempotent: a backup cut short by a crash is replaced, never appended to.
            provider.DiscardPartialBackup(path);
            var evidence = provider.BackupAndVerify(target, BackupOptionsFor(path), reporter, cancellationToken);
            var result = evidence.Backup;
            if (!result.Verified)
            {
                throw new OsRollbackException("BackupNotVerified", OsErrorCategory.InvalidResult,
                    $"The backup of {target.DisplayName} at '{path}' did not verify.", path,
                    "Check the disk and the database, then run the step again (Invoke-OsRollback -Resume).");
            }
            return new BackupRecord(result.FilePath.FirstOrDefault() ?? path, result.End, result.Verified, result.Size) { LastLsn = result.LastLsn, Evidence = evidence };
        }, cancellationToken);

    /// <summary>The file a run's backup is written to (also named by -OutputScriptOnly).</summary>
    public static string BackupFilePath(DatabaseTarget target, string folder, string fileName) =>
        Path.Combine(folder, fileName + DatabaseProviders.Default.For(target).BackupExtension);

    /// <summary>How a run's backup is taken: one file, overwritten, verified (also scripted by -OutputScriptOnly).</summary>
    public static BackupOptions BackupOptionsFor(string path) => new() { FilePath = [path], Verify = true, Initialize = true };

    /// <summary>The parallel database of a run's restore (also named by -OutputScriptOnly).</summary>
    public static ParallelRestore ParallelOf(DatabaseTarget target, string backupPath, string suffix) =>
        DatabaseProviders.Default.For(target).PlanParallel(target, backupPath, suffix);

    public Task<bool> VerifyAsync(DatabaseTarget target, string backupPath, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() =>
        {
            try
            {
                return _providers.For(target).Verify(target, new VerifyOptions { FilePath = [backupPath] }, reporter ?? NullReporter.Instance, cancellationToken).IsValid;
            }
            catch (OsRollbackException ex) when (ex.Category is not (OsErrorCategory.ConnectionError or OsErrorCategory.AuthenticationError or OsErrorCategory.PermissionDenied))
            {
                // A file that is missing, damaged or not a backup does not verify; only "cannot check" throws.
                reporter.Warning(ex.Message);
                return false;
            }
        }, cancellationToken);

    public Task RestoreAsync(DatabaseTarget target, string backupPath, IOperationReporter reporter, CancellationToken cancellationToken) =>
        RestoreAsync(target, backupPath, null, reporter, cancellationToken);

    public Task RestoreAsync(DatabaseTarget target, string backupPath, BackupRecord? preRollback, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Restore(target, backupPath, null, preRollback, reporter, cancellationToken);

    /// <summary>The approved content is hashed by the restore itself (SQLite: while its pages are copied, checked before it commits).</summary>
    public Task RestoreApprovedAsync(DatabaseTarget target, string backupPath, string approvedSha256, BackupRecord? preRollback, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Restore(target, backupPath, approvedSha256, preRollback, reporter, cancellationToken);

    /// <summary>The restore over the target: its provider, straight, with the evidence as the object it was issued as.</summary>
    private Task Restore(DatabaseTarget target, string backupPath, string? approvedSha256, BackupRecord? preRollback, IOperationReporter reporter, CancellationToken cancellationToken) => CallerThread.Run(() =>
    {
        // With the run's pre-rollback backup given, this is the outage restore of a rollback point's backup:
        // that backup was verified fully when the point was taken and when the plan was made, so it gets only
        // the cheap checks here (header, size, recorded checksum), and is read once, by the copy (hashed on the way when
        // the approved SHA-256 is given, and refused before the restore commits if it differs).
        var sourceCheck = preRollback is null ? RestoreSourceCheck.Full : RestoreSourceCheck.Cheap;
        // The pre-rollback backup, verified by this process, is the safety backup: re-checked cheaply, not taken twice.
        var options = preRollback?.Evidence is { } evidence
            ? new RestoreOptions { FilePath = [backupPath], WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyEvidence = evidence, SourceCheck = sourceCheck, ExpectedSourceSha256 = approvedSha256 }
            : new RestoreOptions { FilePath = [backupPath], WithReplace = true, SourceCheck = sourceCheck, ExpectedSourceSha256 = approvedSha256 };
        _providers.For(target).Restore(target, options, reporter ?? NullReporter.Instance, cancellationToken);
    }, cancellationToken);

    public Task<string> RestoreAsParallelAsync(DatabaseTarget target, string backupPath, string suffix, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() =>
        {
            var provider = _providers.For(target);
            var parallel = provider.PlanParallel(target, backupPath, suffix);
            // A previous parallel copy of this run is replaced; it only ever holds this backup.
            if (parallel.ReplacedFile is { } replaced) provider.DiscardPartialBackup(replaced);
            provider.Restore(parallel.Target, parallel.Options, reporter, cancellationToken);
            return parallel.Target.DisplayName;
        }, cancellationToken);
}
