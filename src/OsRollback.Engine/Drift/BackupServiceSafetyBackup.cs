using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Drift;

/// <summary>
/// The safety backup before an import: SQLite through <see cref="SqliteSafetyBackup"/>, SQL Server
/// through the backup service (copy-only, CHECKSUM, then RESTORE VERIFYONLY), as Restore-OsDatabase does.
/// </summary>
public sealed class BackupServiceSafetyBackup : ISafetyBackup
{
    private readonly SqliteSafetyBackup _sqlite = new();
    private readonly DatabaseBackupService _service;

    public BackupServiceSafetyBackup(DatabaseBackupService? service = null) => _service = service ?? new DatabaseBackupService();

    public string Take(DatabaseTarget target, string directory, IOperationReporter reporter)
    {
        if (target is not SqlServerTarget sql) return _sqlite.Take(target, directory, reporter);
        // The delta's folder is a client path; the server writes to its default backup folder instead.
        var backup = _service.Backup(sql, new BackupOptions { Verify = true }, reporter);
        if (!backup.Verified || backup.FilePath.Length == 0)
        {
            throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidResult,
                $"The safety backup of {sql.DisplayName} did not verify; nothing was imported.", sql.DisplayName,
                "Check the backup folder of the server, or take a backup yourself and pass it with -SafetyBackupPath.");
        }
        return backup.FilePath[0];
    }

    public void Verify(DatabaseTarget target, string backupPath, IOperationReporter reporter)
    {
        if (target is not SqlServerTarget sql) { _sqlite.Verify(target, backupPath, reporter); return; }
        var verification = _service.Verify(sql, new VerifyOptions { FilePath = [backupPath] }, reporter);
        if (!verification.IsValid)
        {
            throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidResult,
                $"The safety backup '{backupPath}' does not verify on {sql.SqlInstance}; nothing was imported.", backupPath,
                "Give a backup that RESTORE VERIFYONLY accepts, or leave out -SafetyBackupPath to take a new one.");
        }
    }
}
