using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// The database operations a rollback needs. Adapter: OsRollback.Engine.Database (SQL Server
/// and SQLite). Every method is idempotent for the same arguments: a repeated call after a
/// crash must leave the same end state (a backup to the same file name replaces it; a restore
/// over the target replaces the database; a parallel restore replaces the parallel copy).
/// Messages and exceptions never contain a password.
/// </summary>
public interface IRollbackDatabase
{
    /// <summary>
    /// Takes a full (copy-only on SQL Server) backup of <paramref name="target"/> into
    /// <paramref name="folder"/> as <paramref name="fileName"/> (the adapter may add its usual
    /// extension), verifies it (RESTORE VERIFYONLY / integrity check) and returns the record.
    /// A backup that does not verify is an <see cref="OsRollbackException"/>.
    /// </summary>
    Task<BackupRecord> BackupAsync(DatabaseTarget target, string folder, string fileName, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Verifies an existing backup file (readable, complete, checksums). Returns false when it does not verify; throws only when it cannot check.</summary>
    Task<bool> VerifyAsync(DatabaseTarget target, string backupPath, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Restores <paramref name="backupPath"/> over <paramref name="target"/> (WITH REPLACE; existing connections are closed by the adapter).</summary>
    Task RestoreAsync(DatabaseTarget target, string backupPath, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>
    /// Restores like <see cref="RestoreAsync(DatabaseTarget, string, IOperationReporter, CancellationToken)"/>, with
    /// <paramref name="preRollback"/> (the run's pre-rollback backup) as the safety backup: its
    /// <see cref="BackupRecord.Evidence"/>, issued by this process, is re-checked cheaply instead of a second backup being taken.
    /// </summary>
    Task RestoreAsync(DatabaseTarget target, string backupPath, BackupRecord? preRollback, IOperationReporter reporter, CancellationToken cancellationToken) =>
        RestoreAsync(target, backupPath, reporter, cancellationToken);

    /// <summary>
    /// Restores like <see cref="RestoreAsync(DatabaseTarget, string, BackupRecord?, IOperationReporter, CancellationToken)"/> only the
    /// approved file: a backup whose SHA-256 is not <paramref name="approvedSha256"/> is refused (BackupContentMismatch)
    /// before anything is replaced. The adapter hashes while it restores; this default hashes first.
    /// </summary>
    Task RestoreApprovedAsync(DatabaseTarget target, string backupPath, string approvedSha256, BackupRecord? preRollback, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        Database.Safety.SourceContentHash.Ensure(backupPath, approvedSha256, cancellationToken);
        return RestoreAsync(target, backupPath, preRollback, reporter, cancellationToken);
    }

    /// <summary>
    /// Restores <paramref name="backupPath"/> as a new database beside <paramref name="target"/>
    /// (same server, or same folder for SQLite), named from <paramref name="suffix"/>
    /// (e.g. <c>outsystems_OsRollback_20261126T1200</c>), replacing a previous copy of that
    /// name. Returns the display name of the parallel database (no secret).
    /// </summary>
    Task<string> RestoreAsParallelAsync(DatabaseTarget target, string backupPath, string suffix, IOperationReporter reporter, CancellationToken cancellationToken);
}
