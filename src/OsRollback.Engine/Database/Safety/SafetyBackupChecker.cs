using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Safety;

/// <summary>
/// The safety policy, one for every caller (Restore-OsDatabase, the rollback, Import-OsDataDelta):
/// a safety backup is needed when an online database is replaced; an existing one is acceptable
/// when it is of that database, not the backup being restored, verified and recent; and it is
/// checked as files right before the replace: fully when it comes from outside this run, cheaply
/// when this run has just verified it (<see cref="VerifiedBackup"/>).
/// </summary>
public sealed class SafetyBackupChecker
{
    /// <summary>Identifies this process: evidence carrying another id is checked fully.</summary>
    public static Guid RunId => VerifiedBackup.ThisRun;

    private readonly TimeProvider _time;

    public SafetyBackupChecker(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>A database that exists and is online holds something the restore would destroy.</summary>
    public static bool IsNeeded(bool targetExists, bool targetOnline) => targetExists && targetOnline;

    /// <summary>
    /// The rules on a given backup that need no file access: same database, not the restore source, verified, recent.
    /// <paramref name="localFiles"/>: the engine's backups are files on this machine (SQLite), so one that is gone is
    /// refused here; a server's backup paths are the server's to check.
    /// </summary>
    public void CheckAcceptable(BackupResult given, string database, string display, IReadOnlyList<string> restoreSource, TimeSpan maxAge, bool localFiles = false)
    {
        if (!string.Equals(given.Database, database, StringComparison.OrdinalIgnoreCase))
        {
            throw new SafetyBackupRefusedException("SafetyBackupOfAnotherDatabase", OsErrorCategory.InvalidData,
                $"The safety backup given is of '{given.Database}', not of '{database}', which the restore would replace.", display,
                "Pass a backup of the database being replaced.");
        }
        if (given.FilePath.Any(f => restoreSource.Contains(f, StringComparer.OrdinalIgnoreCase)))
        {
            throw new SafetyBackupRefusedException("SafetyBackupIsRestoreSource", OsErrorCategory.InvalidData,
                $"The safety backup given is the backup being restored ({string.Join(", ", given.FilePath)}); it does not protect what '{database}' holds now.", display,
                "Pass a backup of the current database taken just now, or let the cmdlet take one (omit -SafetyBackup).");
        }
        // A local backup file that is gone protects nothing.
        if (localFiles && given.FilePath.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            throw new SafetyBackupRefusedException("SafetyBackupFileMissing", OsErrorCategory.ObjectNotFound,
                $"The safety backup file '{missing}' does not exist.", display,
                "Pass an existing backup of the current database, or let the cmdlet take one (omit -SafetyBackup).");
        }
        if (!given.Verified)
        {
            throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidData,
                $"The safety backup of '{database}' taken {given.Start:u} is not verified.", display,
                "Verify it first (Test-OsDatabaseBackup, or Backup-OsDatabase -Verify), or let the cmdlet take one.");
        }
        var age = _time.GetUtcNow() - given.End;
        if (age > maxAge)
        {
            throw new SafetyBackupRefusedException("SafetyBackupTooOld", OsErrorCategory.InvalidData,
                $"The safety backup of '{database}' finished {given.End:u}, {age.TotalMinutes:0} minutes ago; at most {maxAge.TotalMinutes:0} minutes are accepted.", display,
                "Take a new backup of the current database, or let the cmdlet take one.");
        }
    }

    /// <summary>Now, on the checker's clock (evidence is stamped with it).</summary>
    public DateTimeOffset Now => _time.GetUtcNow();
}
