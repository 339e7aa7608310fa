using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Drift;

/// <summary>
/// The verified backup taken before Import-OsDataDelta writes. It goes through the database
/// layer's backup engine and safety policy (<see cref="SafetyBackupChecker"/>), as Restore-OsDatabase does.
/// </summary>
public interface ISafetyBackup
{
    /// <summary>Backs up the target into <paramref name="directory"/>, verifies the copy, returns its path.</summary>
    string Take(DatabaseTarget target, string directory, IOperationReporter reporter);

    /// <summary>Checks that an existing backup is usable; throws an <see cref="OsRollbackException"/> when it is not.</summary>
    void Verify(DatabaseTarget target, string backupPath, IOperationReporter reporter);
}

/// <summary>
/// The safety backup as a file in the folder given, for engines whose backups are local files (SQLite:
/// the online backup API, quick_check, checksum and metadata) and the safety policy's file check.
/// Engines whose server writes its backups are refused here (<see cref="BackupServiceSafetyBackup"/> takes those).
/// </summary>
public sealed class SqliteSafetyBackup : ISafetyBackup
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string Take(DatabaseTarget target, string directory, IOperationReporter reporter)
    {
        var provider = LocalFileProvider(target, $"This file safety backup cannot back up {target.DisplayName}: its server writes its backups.",
            "Use BackupServiceSafetyBackup (the default), or back it up with Backup-OsDatabase and pass the backup file with -SafetyBackupPath.");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, provider.TableData.SafetyBackupFileName(target, Time.GetUtcNow()));
        reporter.Verbose($"Taking the safety backup of {target.DisplayName} to {path}.");
        // The engine checks the copy (quick_check) and records its checksum: no second full read here.
        var backup = provider.Backup(target, new BackupOptions { FilePath = [path] }, reporter, CancellationToken.None);
        return backup.FilePath[0];
    }

    public void Verify(DatabaseTarget target, string backupPath, IOperationReporter reporter)
    {
        var full = Path.GetFullPath(backupPath);
        if (!File.Exists(full))
            throw new OsRollbackException("SafetyBackupNotFound", OsErrorCategory.ObjectNotFound,
                $"The safety backup '{full}' does not exist.", full, "Give the path of an existing, verified backup with -SafetyBackupPath, or leave it out to take one.");
        var provider = LocalFileProvider(target, $"This file safety backup cannot check a server's backup for {target.DisplayName}.", "Use BackupServiceSafetyBackup (the default).");
        SafetyFailures.AsNotVerified(full, () => provider.VerifySafetyBackup(target, provider.TableData.GivenSafetyBackup(target, full)));
        reporter.Verbose($"Safety backup {full} passed its file check (metadata, checksum, quick_check, source).");
    }

    private IDatabaseProvider LocalFileProvider(DatabaseTarget target, string message, string action)
    {
        var provider = DatabaseProviders.Create(Time).For(target);
        return provider.TableData.BackupsAreLocalFiles ? provider
            : throw new OsRollbackException("SafetyBackupRequired", OsErrorCategory.InvalidOperation, message, target.DisplayName, action);
    }
}

/// <summary>Import-OsDataDelta reports every refused safety backup (<see cref="SafetyBackupRefusedException"/>) as SafetyBackupNotVerified, with the precise reason inside.</summary>
internal static class SafetyFailures
{
    public static void AsNotVerified(string file, Action check)
    {
        try
        {
            check();
        }
        catch (SafetyBackupRefusedException ex)
        {
            throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidData,
                $"The safety backup '{file}' failed its check ({ex.ErrorId}): {ex.Message}", file,
                "Nothing was imported. " + ex.RecommendedAction, ex);
        }
    }
}
