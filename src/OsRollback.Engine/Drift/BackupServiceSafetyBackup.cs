using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Drift;

/// <summary>
/// The safety backup before an import: as a file beside the delta where the engine's backups are
/// local files (<see cref="SqliteSafetyBackup"/>), otherwise through the backup service on the server
/// (SQL Server: copy-only, CHECKSUM, VERIFYONLY, header identity); and a given backup through the same
/// safety policy as Restore-OsDatabase.
/// </summary>
public sealed class BackupServiceSafetyBackup : ISafetyBackup
{
    private readonly SqliteSafetyBackup _file = new();
    private readonly DatabaseBackupService _service;

    public BackupServiceSafetyBackup(DatabaseBackupService? service = null) => _service = service ?? new DatabaseBackupService();

    private ITableData Data(DatabaseTarget target) => _service.EngineFor(target).TableData;

    public string Take(DatabaseTarget target, string directory, IOperationReporter reporter)
    {
        if (Data(target).BackupsAreLocalFiles) return _file.Take(target, directory, reporter);
        // The delta's folder is a client path; the server writes to its default backup folder instead.
        var evidence = _service.BackupAndVerify(target, new BackupOptions { Verify = true }, reporter);
        if (!evidence.Backup.Verified || evidence.Backup.FilePath.Length == 0)
        {
            throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidResult,
                $"The safety backup of {target.DisplayName} did not verify; nothing was imported.", target.DisplayName,
                "Check the backup folder of the server, or take a backup yourself and pass it with -SafetyBackupPath.");
        }
        return evidence.Backup.FilePath[0];
    }

    public void Verify(DatabaseTarget target, string backupPath, IOperationReporter reporter)
    {
        var data = Data(target);
        if (data.BackupsAreLocalFiles) { _file.Verify(target, backupPath, reporter); return; }
        SafetyFailures.AsNotVerified(backupPath, () => _service.VerifySafetyBackup(target, data.GivenSafetyBackup(target, backupPath)));
    }
}
