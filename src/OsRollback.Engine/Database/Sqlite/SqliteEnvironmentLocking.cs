using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Locking;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// The SQLite rollback lock: a lock file beside the database file's real path
/// (<see cref="EnvironmentDatabaseLock.SqliteLockPath"/>), kept open for the run, plus an OS lock on
/// the database file itself (<see cref="DatabaseFileGuard"/>), so a second run through a link, or
/// after the lock file was deleted, is refused.
/// </summary>
internal sealed class SqliteEnvironmentLocking : IEnvironmentLocking
{
    public async Task<IEnvironmentLock> AcquireAsync(DatabaseTarget database, EnvironmentLockRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var lite = SqliteProvider.File(database);
        var path = EnvironmentDatabaseLock.SqliteLockPath(lite);
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.ResourceUnavailable,
                $"The folder of {request.Environment}'s database {lite.DisplayName} does not exist, so its rollback lock cannot be taken there.", lite.DisplayName,
                "Run Invoke-OsRollback where the environment's database file is reachable, or give -SqlitePath with its path.");
        }
        var real = path[..^EnvironmentDatabaseLock.SqliteSuffix.Length];
        return await EnvironmentLock.AcquireFileAsync(path, request.Environment, request.PlanId, request.Wait, request.StaleAfter, request.PollInterval,
            request.Time, reporter, cancellationToken, database: real, releaseCommand: $"Unlock-OsEnvironment -SqlitePath '{real}'").ConfigureAwait(false);
    }
}
