using OsRollback.Engine.Data;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>
/// Everything that differs between database engines, behind one interface: backup, verify, restore
/// plan and restore (from <see cref="IBackupEngine"/>), the safety backup check, history and removal,
/// the database's identity, identity high-water marks and reseed. One implementation per engine, in
/// its own folder (<c>SqlServer/</c>, <c>Sqlite/</c>); <c>Providers/DatabaseProviders</c> picks it
/// from the target. Callers never ask which engine they have.
/// </summary>
public interface IDatabaseProvider : IBackupEngine
{
    /// <summary>Whether this provider serves <paramref name="target"/> (the one place a target's type is asked).</summary>
    bool Handles(DatabaseTarget target);

    /// <summary>The file extension of a backup this provider writes (".bak", ".sqlite").</summary>
    string BackupExtension { get; }

    /// <summary>
    /// Restores a backup into <paramref name="target"/> (under <see cref="RestoreOptions.DatabaseName"/> when the engine
    /// names databases). Replacing an existing database needs <see cref="RestoreOptions.WithReplace"/> and a verified
    /// safety backup of it (taken here by default, or <see cref="RestoreOptions.SafetyEvidence"/> re-checked).
    /// </summary>
    RestoreResult Restore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default);

    /// <summary>Removes what a backup to <paramref name="path"/> cut short by a crash left, so a repeated backup replaces it.</summary>
    void DiscardPartialBackup(string path);

    /// <summary>The full safety check of a backup from outside this run, as a file, against <paramref name="target"/>.</summary>
    VerifiedBackup VerifySafetyBackup(DatabaseTarget target, BackupResult backup, CancellationToken ct = default);

    /// <summary>Full backups of the target, newest first.</summary>
    IReadOnlyList<BackupResult> GetHistory(DatabaseTarget target, BackupHistoryQuery query, CancellationToken ct = default);

    /// <summary>Deletes one backup this module wrote; false when nothing could be deleted.</summary>
    bool RemoveBackup(BackupResult backup, IOperationReporter reporter);

    /// <summary>Where a backup of <paramref name="target"/> is restored as a parallel database named from <paramref name="suffix"/>, and how (never over the original).</summary>
    ParallelRestore PlanParallel(DatabaseTarget target, string backupPath, string suffix);

    /// <summary>The database's identity (server, name, guid; or path and fingerprint).</summary>
    DatabaseIdentity ReadIdentity(DatabaseTarget target, CancellationToken ct = default);

    /// <summary>Published version key of every active module, by module key (OSSYS_ESPACE/OSSYS_EXTENSION).</summary>
    IReadOnlyDictionary<string, string> ReadPublishedModules(DatabaseTarget target, CancellationToken ct = default);

    /// <summary>The highest key each application table (OSUSR_*) has handed out.</summary>
    IReadOnlyList<IdentityHighWater> ReadHighWater(DatabaseTarget target, CancellationToken ct = default);

    /// <summary>Moves every identity below its mark up to the mark (one at or above it is left alone).</summary>
    IdentityReseedReport Reseed(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken ct = default);

    /// <summary>Snapshot revert and restore to a mark; null when the engine has neither (an optional capability).</summary>
    IFastRevert? FastRevert { get; }

    /// <summary>What comparing, exporting and importing application rows needs from the engine (names, statements, read-only reads).</summary>
    ITableData TableData { get; }

    /// <summary>The shape of the database's tables, read from the engine's catalog.</summary>
    ISchemaReader Schema { get; }

    /// <summary>How the engine's databases are recorded in rollback points and found again.</summary>
    IDatabaseAddresses Addresses { get; }

    /// <summary>The environment lock, the timer and process tables, and scratch copies for a rehearsal.</summary>
    IPlatformOperations Operations { get; }

    /// <summary>The history of every database on the target's instance; null when the engine has no instance of many databases (an optional capability).</summary>
    IInstanceBackupHistory? InstanceHistory => null;

    /// <summary>What this engine's backup is (copy-only, always verified), for what a command says it would do.</summary>
    BackupTraits BackupTraits => BackupTraits.Plain;
}

/// <summary>A parallel restore: the new database, the options that restore into it, and the file of a previous copy it replaces (SQLite).</summary>
public sealed record ParallelRestore(DatabaseTarget Target, RestoreOptions Options, string? ReplacedFile = null);

/// <summary>
/// The fast way back to a rollback point, where an engine has one (SQL Server: a database snapshot
/// and a marked transaction). The planner asks for it; without it a Database rollback is a full restore.
/// </summary>
public interface IFastRevert
{
    RollbackPointSnapshot CreateAtRollbackPoint(DatabaseTarget target, FastRevertOptions options, IOperationReporter reporter, CancellationToken ct = default);
    RevertFacts ReadFacts(DatabaseTarget target, RollbackPointSnapshot point, decimal? fullBackupLastLsn, long databaseBytes, CancellationToken ct = default);
    RevertResult RevertToSnapshot(DatabaseTarget target, RollbackPointSnapshot point, FastRevertOptions options, IOperationReporter reporter, CancellationToken ct = default);
    RevertResult RestoreToMark(DatabaseTarget target, string fullBackupPath, decimal? fullBackupLastLsn, RollbackPointSnapshot point, IOperationReporter reporter, CancellationToken ct = default);
    SharedServerFeatures ReadSharedServer(DatabaseTarget target, CancellationToken ct = default);
    void DropRollbackPointSnapshot(DatabaseTarget target, RollbackPointSnapshot point, CancellationToken ct = default);
}
