using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution;

namespace OsRollback.Engine.Database;

/// <summary>What a database lock needs to know (timeouts as for the file lock; the session factory is a test seam).</summary>
public sealed class EnvironmentLockRequest
{
    public required string Environment { get; init; }
    public required string PlanId { get; init; }
    public TimeSpan Wait { get; init; } = TimeSpan.Zero;
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Opens the dedicated session that holds a SQL Server lock (default: a new connection to master).</summary>
    public Func<SqlServerTarget, ISqlSession> OpenSession { get; init; } = target => SqlClientSession.Open(target, "master");
}

/// <summary>
/// One rollback per environment, whoever starts it and whatever catalog they use: the lock lives
/// with the environment's platform database. SQLite: a lock file beside the database file
/// (&lt;file&gt;.osrollback.lock, created atomically, holder = user/host/pid/plan, stale when its process
/// is gone or it is older than the stale age). SQL Server: <see cref="SqlServerEnvironmentLock"/>.
/// </summary>
public static class EnvironmentDatabaseLock
{
    public const string SqliteSuffix = ".osrollback.lock";

    public static string SqliteLockPath(SqliteTarget target) => Path.GetFullPath(target.Path) + SqliteSuffix;

    public static async Task<IDisposable> AcquireAsync(DatabaseTarget database, EnvironmentLockRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        switch (database)
        {
            case SqliteTarget lite:
                var path = SqliteLockPath(lite);
                if (!Directory.Exists(Path.GetDirectoryName(path)))
                {
                    throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.ResourceUnavailable,
                        $"The folder of {request.Environment}'s database {lite.DisplayName} does not exist, so its rollback lock cannot be taken there.", lite.DisplayName,
                        "Run Invoke-OsRollback where the environment's database file is reachable, or give -SqlitePath with its path.");
                }
                return await EnvironmentLock.AcquireFileAsync(path, request.Environment, request.PlanId, request.Wait, request.StaleAfter, request.PollInterval,
                    request.Time, reporter, cancellationToken).ConfigureAwait(false);
            case SqlServerTarget sql:
                return await SqlServerEnvironmentLock.AcquireAsync(sql, request, reporter, cancellationToken).ConfigureAwait(false);
            default:
                throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.InvalidArgument,
                    $"No rollback lock is known for the database {database.DisplayName}.", database.DisplayName, "Use a SQL Server or SQLite platform database.");
        }
    }
}
