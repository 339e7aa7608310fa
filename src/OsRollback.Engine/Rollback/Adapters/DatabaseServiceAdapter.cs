using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary>
/// <see cref="IRollbackDatabase"/> over <see cref="DatabaseBackupService"/> (SQL Server and SQLite).
/// Restores over the target take a fresh verified safety backup first, unless the run's own verified
/// pre-rollback backup is given (then it is re-checked cheaply).
/// </summary>
public sealed class DatabaseServiceAdapter : IRollbackDatabase
{
    private readonly DatabaseBackupService _service;

    /// <summary>Backups this adapter took and verified, by full path (the evidence is only trusted within this process).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Database.Safety.VerifiedBackup> _verified = new(StringComparer.OrdinalIgnoreCase);

    public DatabaseServiceAdapter(DatabaseBackupService? service = null) => _service = service ?? new DatabaseBackupService();

    public Task<BackupRecord> BackupAsync(DatabaseTarget target, string folder, string fileName, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            Directory.CreateDirectory(folder);
            var path = BackupFilePath(target, folder, fileName);
            // Idempotent: a backup cut short by a crash is replaced, never appended to.
            if (target is SqliteTarget) DeleteIfPresent(path);
            var evidence = _service.BackupAndVerify(target, BackupOptionsFor(path), reporter, cancellationToken);
            var result = evidence.Backup;
            if (result.Verified) _verified[Path.GetFullPath(path)] = evidence;
            if (!result.Verified)
            {
                throw new OsRollbackException("BackupNotVerified", OsErrorCategory.InvalidResult,
                    $"The backup of {target.DisplayName} at '{path}' did not verify.", path,
                    "Check the disk and the database, then run the step again (Invoke-OsRollback -Resume).");
            }
            return new BackupRecord(result.FilePath.FirstOrDefault() ?? path, result.End, result.Verified, result.Size) { LastLsn = result.LastLsn };
        }, cancellationToken);

    /// <summary>The file a run's backup is written to (also named by -OutputScriptOnly).</summary>
    public static string BackupFilePath(DatabaseTarget target, string folder, string fileName) =>
        Path.Combine(folder, fileName + (target is SqliteTarget ? SqliteBackupEngine.Extension : ".bak"));

    /// <summary>How a run's backup is taken: one file, overwritten, verified (also scripted by -OutputScriptOnly).</summary>
    public static BackupOptions BackupOptionsFor(string path) => new() { FilePath = [path], Verify = true, Initialize = true };

    /// <summary>The name of the parallel database of a SQL Server database (also named by -OutputScriptOnly).</summary>
    public static string ParallelDatabaseName(string database, string suffix) => $"{database}_{suffix}";

    public Task<bool> VerifyAsync(DatabaseTarget target, string backupPath, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            try
            {
                return _service.Verify(target as SqlServerTarget, new VerifyOptions { FilePath = [backupPath] }, reporter, cancellationToken).IsValid;
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

    public Task RestoreAsync(DatabaseTarget target, string backupPath, string? safetyBackupPath, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Restore(target, backupPath, null, safetyBackupPath, reporter, cancellationToken);

    /// <summary>The approved content is hashed by the restore itself (SQLite: while its pages are copied, checked before it commits).</summary>
    public Task RestoreApprovedAsync(DatabaseTarget target, string backupPath, string approvedSha256, string? safetyBackupPath, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Restore(target, backupPath, approvedSha256, safetyBackupPath, reporter, cancellationToken);

    private Task Restore(DatabaseTarget target, string backupPath, string? approvedSha256, string? safetyBackupPath, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            // With the run's pre-rollback backup given, this is the outage restore of a rollback point's backup:
            // that backup was verified fully when the point was taken and when the plan was made, so it gets only
            // the cheap checks here (header, size, recorded checksum), and is read once, by the copy (hashed on the way when
            // the approved SHA-256 is given, and refused before the restore commits if it differs).
            var sourceCheck = safetyBackupPath is null ? RestoreSourceCheck.Full : RestoreSourceCheck.Cheap;
            // The pre-rollback backup, verified by this process, is the safety backup: re-checked cheaply, not taken twice.
            var options = safetyBackupPath is not null && _verified.TryGetValue(Path.GetFullPath(safetyBackupPath), out var evidence)
                ? new RestoreOptions { FilePath = [backupPath], WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyEvidence = evidence, SourceCheck = sourceCheck, ExpectedSourceSha256 = approvedSha256 }
                : new RestoreOptions { FilePath = [backupPath], WithReplace = true, SourceCheck = sourceCheck, ExpectedSourceSha256 = approvedSha256 };
            _service.Restore(target, options, reporter, cancellationToken);
        }, cancellationToken);

    public Task<string> RestoreAsParallelAsync(DatabaseTarget target, string backupPath, string suffix, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            switch (target)
            {
                case SqliteTarget sqlite:
                    var parallel = new SqliteTarget(Path.Combine(Path.GetDirectoryName(sqlite.Path)!, $"{Path.GetFileNameWithoutExtension(sqlite.Path)}_{suffix}{Path.GetExtension(sqlite.Path)}"));
                    // A previous parallel copy of this run is replaced; it only ever holds this backup.
                    DeleteIfPresent(parallel.Path);
                    _service.Restore(parallel, new RestoreOptions { FilePath = [backupPath] }, reporter, cancellationToken);
                    return parallel.DisplayName;
                case SqlServerTarget sql:
                    var name = ParallelDatabaseName(sql.Database, suffix);
                    _service.Restore(sql.WithDatabase(name), new RestoreOptions { FilePath = [backupPath], DatabaseName = name, WithReplace = true, AllowOtherDatabase = true }, reporter, cancellationToken);
                    return sql.WithDatabase(name).DisplayName;
                default:
                    throw new ArgumentException($"Unsupported database target {target.GetType().Name}.", nameof(target));
            }
        }, cancellationToken);

    private static void DeleteIfPresent(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
            if (File.Exists(file)) File.Delete(file);
    }
}
