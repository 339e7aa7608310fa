using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary><see cref="IFastRevertDatabase"/> over <see cref="SqlServerFastRevert"/>; SQLite targets have no snapshot or mark.</summary>
public sealed class SqlServerFastRevertAdapter : IFastRevertDatabase
{
    private readonly SqlServerFastRevert _engine;
    private readonly Func<SqlServerTarget, string?, ISqlSession> _open;

    public SqlServerFastRevertAdapter(Func<SqlServerTarget, string?, ISqlSession>? openSqlSession = null, TimeProvider? time = null)
    {
        _open = openSqlSession ?? ((target, database) => SqlClientSession.Open(target, database));
        _engine = new SqlServerFastRevert(_open, time);
    }

    public Task<RollbackFastRevertInfo?> CreateAtRollbackPointAsync(DatabaseTarget target, BackupRecord fullBackup, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() => target is SqlServerTarget sql
            ? RollbackFastRevertInfo.From(_engine.CreateAtRollbackPoint(sql, new FastRevertOptions(), reporter, cancellationToken), fullBackup.LastLsn)
            : null, cancellationToken);

    public Task<RevertFacts> ReadFactsAsync(DatabaseTarget target, RollbackFastRevertInfo info, long databaseBytes, CancellationToken cancellationToken) =>
        Task.Run(() => _engine.ReadFacts(Sql(target), info.ToSnapshot(), info.FullBackupLastLsn, databaseBytes, cancellationToken), cancellationToken);

    public Task<RevertResult> RevertToSnapshotAsync(DatabaseTarget target, RollbackFastRevertInfo info, string backupFolder, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() => _engine.RevertToSnapshot(Sql(target), info.ToSnapshot(), new FastRevertOptions { BackupFolder = backupFolder }, reporter, cancellationToken), cancellationToken);

    public Task<RevertResult> RestoreToMarkAsync(DatabaseTarget target, string fullBackupPath, RollbackFastRevertInfo info, IOperationReporter reporter, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var sql = Sql(target);
            var full = new BackupResult { Database = sql.Database, SqlInstance = sql.SqlInstance, Engine = DatabaseEngineKind.SqlServer, FilePath = [fullBackupPath], LastLsn = info.FullBackupLastLsn };
            return _engine.RestoreToMark(sql, full, info.ToSnapshot(), reporter, cancellationToken);
        }, cancellationToken);

    public Task<SharedServerFeatures?> ReadSharedServerAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            if (target is not SqlServerTarget sql) return null;
            using var master = _open(sql, "master");
            return (SharedServerFeatures?)SharedServerFeatures.Read(master, sql.Database, cancellationToken);
        }, cancellationToken);

    public Task DropAsync(DatabaseTarget target, RollbackFastRevertInfo info, CancellationToken cancellationToken) =>
        Task.Run(() => { if (target is SqlServerTarget sql) _engine.DropRollbackPointSnapshot(sql, info.ToSnapshot(), cancellationToken); }, cancellationToken);

    private static SqlServerTarget Sql(DatabaseTarget target) => target as SqlServerTarget ?? throw new OsRollbackException("FastRevertNeedsSqlServer", OsErrorCategory.InvalidArgument,
        $"{target.DisplayName} is not a SQL Server database; snapshots and marked transactions exist only there.", target.DisplayName, "Plan again: SQLite rollbacks restore the full backup.");
}
