using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Drift;

/// <summary>
/// The safety backup before an import: SQLite through <see cref="SqliteSafetyBackup"/>, SQL Server
/// through the backup service (copy-only, CHECKSUM, VERIFYONLY, header identity), and a given backup
/// through the same safety policy as Restore-OsDatabase.
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
        var evidence = _service.BackupAndVerify(sql, new BackupOptions { Verify = true }, reporter);
        if (!evidence.Backup.Verified || evidence.Backup.FilePath.Length == 0)
        {
            throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidResult,
                $"The safety backup of {sql.DisplayName} did not verify; nothing was imported.", sql.DisplayName,
                "Check the backup folder of the server, or take a backup yourself and pass it with -SafetyBackupPath.");
        }
        return evidence.Backup.FilePath[0];
    }

    public void Verify(DatabaseTarget target, string backupPath, IOperationReporter reporter)
    {
        if (target is not SqlServerTarget sql) { _sqlite.Verify(target, backupPath, reporter); return; }
        var backup = new BackupResult { FilePath = [backupPath], Engine = DatabaseEngineKind.SqlServer, SqlInstance = sql.SqlInstance, Database = sql.Database, Verified = true };
        SafetyFailures.AsNotVerified(backupPath, () => _service.VerifySafetyBackup(sql, backup));
    }
}
