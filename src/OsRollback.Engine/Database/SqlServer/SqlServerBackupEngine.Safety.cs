using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>SQL Server: the safety backup taken or checked before anything is replaced.</summary>
internal sealed partial class SqlServerBackupEngine
{
    /// <summary>
    /// The safety policy on SQL Server: take a copy-only backup (BACKUP ... CHECKSUM + VERIFYONLY) and
    /// prove from its header that it is of this database; or check a given one fully (HEADERONLY
    /// identity + VERIFYONLY WITH CHECKSUM), or cheaply when this run issued its evidence.
    /// </summary>
    internal VerifiedBackup EnsureSafetyBackup(ISqlSession session, RestoreOptions options, string database, string serverName, string display, Func<BackupResult> take, IOperationReporter reporter, CancellationToken ct)
    {
        if (options.SafetyBackupPolicy == SafetyBackupPolicy.TakeAndVerify)
        {
            reporter.Verbose($"Taking a copy-only safety backup of {database} before replacing it.");
            var taken = take();
            if (!taken.Verified)
            {
                throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidResult,
                    $"The safety backup of '{database}' could not be verified, so the restore was not started.", display,
                    "Check the backup folder and run again; nothing was replaced.");
            }
            // VERIFYONLY just ran; the header proves it is this database (taken a moment ago: no second look).
            var evidence = _safety.VerifySqlServer(session, taken, database, serverName, verifyOnlyDone: true, ct);
            reporter.Verbose($"Safety backup verified: {string.Join(", ", taken.FilePath)}.");
            return evidence;
        }
        if (options.SafetyEvidence is { } given)
        {
            _safety.CheckAcceptable(given.Backup, database, display, options.FilePath, options.SafetyBackupMaxAge);
            return _safety.RecheckSqlServer(session, given, database, serverName, ct);
        }
        var backup = options.SafetyBackup ?? throw ReplaceRules.SafetyMissing(database, display);
        _safety.CheckAcceptable(backup, database, display, options.FilePath, options.SafetyBackupMaxAge);
        reporter.Verbose($"Checking the given safety backup {string.Join(", ", backup.FilePath)} (HEADERONLY identity, VERIFYONLY WITH CHECKSUM).");
        return _safety.VerifySqlServer(session, backup, database, serverName, verifyOnlyDone: false, ct);
    }
}
