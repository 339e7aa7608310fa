using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary>
/// <see cref="IFastRevertDatabase"/> over the provider's optional <see cref="IFastRevert"/> capability
/// (SQL Server); an engine without it (SQLite) has no snapshot or mark.
/// </summary>
public sealed class FastRevertAdapter : IFastRevertDatabase
{
    private readonly DatabaseProviders _providers;

    public FastRevertAdapter(DatabaseProviders? providers = null) => _providers = providers ?? DatabaseProviders.Default;

    /// <summary>With a SQL Server session opener and a clock (tests pass fakes).</summary>
    public FastRevertAdapter(Func<SqlServerTarget, string?, ISqlSession> openSqlSession, TimeProvider? time = null)
        : this(DatabaseProviders.Create(time, openSqlSession))
    {
    }

    /// <summary>The fast-revert port of a target's engine, or null when the engine has none.</summary>
    public static IFastRevertDatabase? For(DatabaseTarget? target, DatabaseProviders? providers = null)
    {
        providers ??= DatabaseProviders.Default;
        return target is not null && providers.For(target).FastRevert is not null ? new FastRevertAdapter(providers) : null;
    }

    /// <summary>The fast-revert port of an engine recorded in a rollback point, or null when the engine has none.</summary>
    public static IFastRevertDatabase? For(DatabaseEngineKind engine) =>
        DatabaseProviders.Default.For(engine).FastRevert is not null ? new FastRevertAdapter() : null;

    public Task<RollbackFastRevertInfo?> CreateAtRollbackPointAsync(DatabaseTarget target, BackupRecord fullBackup, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() => _providers.For(target).FastRevert is { } fast
            ? RollbackFastRevertInfo.From(fast.CreateAtRollbackPoint(target, new FastRevertOptions(), reporter, cancellationToken), fullBackup.LastLsn)
            : null, cancellationToken);

    public Task<RevertFacts> ReadFactsAsync(DatabaseTarget target, RollbackFastRevertInfo info, long databaseBytes, CancellationToken cancellationToken) =>
        CallerThread.Run(() => Fast(target).ReadFacts(target, info.ToSnapshot(), info.FullBackupLastLsn, databaseBytes, cancellationToken), cancellationToken);

    public Task<RevertResult> RevertToSnapshotAsync(DatabaseTarget target, RollbackFastRevertInfo info, string backupFolder, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() => Fast(target).RevertToSnapshot(target, info.ToSnapshot(), new FastRevertOptions { BackupFolder = backupFolder }, reporter, cancellationToken), cancellationToken);

    public Task<RevertResult> RestoreToMarkAsync(DatabaseTarget target, string fullBackupPath, RollbackFastRevertInfo info, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() => Fast(target).RestoreToMark(target, fullBackupPath, info.FullBackupLastLsn, info.ToSnapshot(), reporter, cancellationToken), cancellationToken);

    public Task<SharedServerFeatures?> ReadSharedServerAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
        CallerThread.Run(() => _providers.For(target).FastRevert?.ReadSharedServer(target, cancellationToken), cancellationToken);

    public Task DropAsync(DatabaseTarget target, RollbackFastRevertInfo info, CancellationToken cancellationToken) =>
        CallerThread.Run(() => _providers.For(target).FastRevert?.DropRollbackPointSnapshot(target, info.ToSnapshot(), cancellationToken), cancellationToken);

    private IFastRevert Fast(DatabaseTarget target) => _providers.For(target).FastRevert ?? throw new OsRollbackException("FastRevertNeedsSqlServer", OsErrorCategory.InvalidArgument,
        $"{target.DisplayName} is not a SQL Server database; snapshots and marked transactions exist only there.", target.DisplayName, "Plan again: SQLite rollbacks restore the full backup.");
}
