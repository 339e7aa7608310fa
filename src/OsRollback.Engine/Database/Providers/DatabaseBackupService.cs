using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.Providers;

/// <summary>
/// The database safety net, usable without PowerShell (the rollback runbook calls it): back up,
/// verify, restore (with the safety-backup rule), history and retention, on SQL Server and
/// SQLite behind one API. Failures are <see cref="OsRollbackException"/>s with stable ErrorIds.
/// </summary>
public sealed class DatabaseBackupService
{
    private readonly TimeProvider _time;
    private readonly SafetyBackupChecker _safety;

    /// <param name="time">Clock (tests pass a fake one).</param>
    /// <param name="openSqlSession">Opens a SQL Server session on the target's server in the given database (null: the target's); tests pass a recording fake.</param>
    public DatabaseBackupService(TimeProvider? time = null, Func<SqlServerTarget, string?, ISqlSession>? openSqlSession = null)
        : this(DatabaseProviders.Create(time, openSqlSession), time)
    {
    }

    /// <summary>Over the given providers (an engine added in a test).</summary>
    public DatabaseBackupService(DatabaseProviders providers, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _safety = new SafetyBackupChecker(_time);
        Providers = providers;
    }

    /// <summary>The provider of each engine.</summary>
    public DatabaseProviders Providers { get; }

    /// <summary>The engine for a target.</summary>
    public IDatabaseProvider EngineFor(DatabaseTarget target) => Providers.For(target);

    /// <summary>The restore plan, computed once: -WhatIf shows <see cref="RestorePlan.Describe"/>, -OutputScriptOnly writes <see cref="RenderScript"/>, <see cref="Restore(RestorePlan, RestoreOptions, IOperationReporter, CancellationToken)"/> runs it.</summary>
    public RestorePlan PlanRestore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        EngineFor(target).PlanRestore(target, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>Runs a plan from <see cref="PlanRestore"/> without re-planning (the safety backup is taken or checked first).</summary>
    public RestoreResult Restore(RestorePlan plan, RestoreOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        EngineFor(plan.Target).Restore(plan, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>The T-SQL of a SQL Server plan: its notes as comments, then its statements.</summary>
    public static string RenderScript(RestorePlan plan) => SqlServerBackupEngine.Render(plan);

    /// <summary>The safety policy every caller shares (Restore-OsDatabase, the rollback, Import-OsDataDelta).</summary>
    public SafetyBackupChecker SafetyPolicy => _safety;

    /// <summary>Takes a full backup (copy-only by default) and reads it back as a <see cref="BackupResult"/>.</summary>
    public BackupResult Backup(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        EngineFor(target).Backup(target, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>
    /// Backs up and verifies, and returns the evidence (<see cref="VerifiedBackup"/>) that a restore
    /// accepts as <see cref="RestoreOptions.SafetyEvidence"/> and re-checks only cheaply in this run.
    /// </summary>
    public VerifiedBackup BackupAndVerify(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        EngineFor(target).BackupAndVerify(target, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>
    /// The full safety check of a backup from outside this run, as a file: SQLite metadata, size,
    /// header, checksum, quick_check and source path; SQL Server HEADERONLY identity and VERIFYONLY WITH CHECKSUM.
    /// </summary>
    public VerifiedBackup VerifySafetyBackup(DatabaseTarget target, BackupResult backup, CancellationToken cancellationToken = default) =>
        EngineFor(target).VerifySafetyBackup(target, backup, cancellationToken);

    /// <summary>The T-SQL a SQL Server backup would run, without connecting (assumptions stated in comments at the top).</summary>
    public string ScriptBackup(SqlServerTarget target, BackupOptions options) => Providers.SqlServer.Engine.ScriptBackup(target, options);

    /// <summary>Checks a backup. <paramref name="server"/> is the SQL Server that reads it; null for a SQLite backup file.</summary>
    public BackupVerification Verify(SqlServerTarget? server, VerifyOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        Verify((DatabaseTarget?)server, options, reporter, cancellationToken);

    /// <summary>Checks a backup of <paramref name="target"/>'s engine (SQL Server: read by that server; SQLite: the file alone).</summary>
    public BackupVerification Verify(DatabaseTarget? target, VerifyOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        (target is null ? FileEngine : EngineFor(target)).Verify(target, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>The engine that checks a backup with no server to read it: the one whose databases are files (SQLite).</summary>
    private IDatabaseProvider FileEngine => Providers.All.First(p => p.Addresses.DatabasesAreFiles);

    /// <summary>
    /// Restores a backup into <paramref name="target"/> (SQL Server: under <see cref="RestoreOptions.DatabaseName"/>
    /// when given). Replacing an existing database needs <see cref="RestoreOptions.WithReplace"/> and a
    /// verified safety backup of it (taken here by default).
    /// </summary>
    public RestoreResult Restore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        EngineFor(target).Restore(target, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>Azure SQL Database: makes the copy <paramref name="copyDatabaseName"/> the database by swapping names (the replaced database is kept, renamed).</summary>
    public RestoreResult RestoreCopy(SqlServerTarget target, string copyDatabaseName, RestoreOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        Providers.SqlServer.Engine.RestoreCopy(target, copyDatabaseName, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>The restore script for SQL Server (reads the backup's header and file list; changes nothing).</summary>
    public string ScriptRestore(SqlServerTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default) =>
        Providers.SqlServer.Engine.ScriptRestore(target, options, reporter ?? NullReporter.Instance, cancellationToken);

    /// <summary>Full backups of the target, newest first (msdb for SQL Server; metadata files under <see cref="BackupHistoryQuery.Path"/> for SQLite).</summary>
    public IReadOnlyList<BackupResult> GetHistory(DatabaseTarget target, BackupHistoryQuery query, CancellationToken cancellationToken = default) =>
        EngineFor(target).GetHistory(target, query, cancellationToken);

    /// <summary>The backups retention would remove: only ones this module wrote, beyond the newest <see cref="RetentionOptions.KeepLast"/> or older than <see cref="RetentionOptions.OlderThan"/>.</summary>
    public IReadOnlyList<BackupResult> SelectForRemoval(DatabaseTarget target, RetentionOptions options, CancellationToken cancellationToken = default)
    {
        if (options.KeepLast is null && options.OlderThan is null)
        {
            throw new OsRollbackException("RetentionRuleRequired", OsErrorCategory.InvalidArgument,
                "Retention needs a rule.", target.DisplayName, "Give -KeepLast N or -OlderThan <age>.");
        }
        if (options.KeepLast is < 1)
        {
            throw new OsRollbackException("RetentionKeepsNothing", OsErrorCategory.InvalidArgument,
                "-KeepLast must keep at least one backup.", target.DisplayName, "Give -KeepLast 1 or more.");
        }
        if (options.Path.Count == 0)
        {
            throw new OsRollbackException("RetentionPathRequired", OsErrorCategory.InvalidArgument,
                "Retention needs the backup folder(s) it applies to.", target.DisplayName,
                "Give -Path with the folder(s) your scheduled backups write to; retention never reaches beyond them.");
        }
        var own = GetHistory(target, new BackupHistoryQuery { Path = options.Path, OnlyOwn = true }, cancellationToken)
            .Where(b => b.WrittenByOsRollback && b.Kind == BackupKind.Full)
            // A rollback point's backup belongs to the point (Remove-OsRollbackPoint), never to backup retention.
            .Where(b => !b.FilePath.Any(IsInsideRollbackPoint))
            .OrderByDescending(b => b.Start)
            .ToList();
        IEnumerable<BackupResult> remove = own;
        if (options.KeepLast is int keep) remove = remove.Skip(keep);
        if (options.OlderThan is TimeSpan age)
        {
            var cutoff = _time.GetUtcNow() - age;
            remove = remove.Where(b => b.Start < cutoff);
        }
        return remove.ToList();
    }

    private static bool IsInsideRollbackPoint(string file)
    {
        var directory = Path.GetDirectoryName(file);
        for (var depth = 0; depth < 4 && !string.IsNullOrEmpty(directory); depth++)
        {
            if (File.Exists(Path.Combine(directory, "rollback-point.json"))) return true;
            directory = Path.GetDirectoryName(directory);
        }
        return false;
    }

    /// <summary>
    /// Applies retention: removes each selected backup for which <paramref name="confirm"/> says yes
    /// (the cmdlet's ShouldProcess). SQL Server backup files are deleted when this machine can reach
    /// their path; otherwise a warning names them. Returns the backups removed.
    /// </summary>
    public IReadOnlyList<BackupResult> RemoveOld(DatabaseTarget target, RetentionOptions options, Func<BackupResult, bool> confirm, IOperationReporter reporter, CancellationToken cancellationToken = default)
    {
        reporter ??= NullReporter.Instance;
        var removed = new List<BackupResult>();
        foreach (var backup in SelectForRemoval(target, options, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!confirm(backup)) continue;
            if (!RemoveBackup(target, backup, reporter)) continue;
            reporter.Verbose($"Removed the backup of {backup.Database} taken {backup.Start:u}: {string.Join(", ", backup.FilePath)}.");
            removed.Add(backup);
        }
        return removed;
    }

    /// <summary>
    /// Deletes one backup this module wrote (SQLite: the file and its metadata file; SQL Server:
    /// the backup files this machine can reach; msdb history is left to the server's own cleanup).
    /// Returns false when nothing could be deleted.
    /// </summary>
    public static bool RemoveBackup(DatabaseTarget target, BackupResult backup, IOperationReporter reporter)
    {
        reporter ??= NullReporter.Instance;
        if (!backup.WrittenByOsRollback)
        {
            throw new OsRollbackException("BackupNotWrittenByOsRollback", OsErrorCategory.InvalidOperation,
                $"The backup of {backup.Database} taken {backup.Start:u} was not written by OsRollback; it is never removed.", backup.BackupId,
                "Remove it with the tool that wrote it.");
        }
        return DatabaseProviders.Default.For(target).RemoveBackup(backup, reporter);
    }
}
