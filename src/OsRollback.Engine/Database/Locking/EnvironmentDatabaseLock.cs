using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Locking;

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
/// One rollback per environment, whoever starts it, whatever catalog they use and whatever path
/// reaches the database: the lock lives with the environment's platform database. SQLite: a lock
/// file beside the database file's real path (&lt;real path&gt;.osrollback.lock, symbolic links
/// resolved), kept open for the run, plus an OS lock on the database file itself
/// (<see cref="DatabaseFileGuard"/>), so a second run through a link, or after the lock file was
/// deleted, is refused. SQL Server: <see cref="SqlServerEnvironmentLock"/>.
/// </summary>
public static class EnvironmentDatabaseLock
{
    public const string SqliteSuffix = ".osrollback.lock";

    /// <summary>The lock file of a SQLite database: beside its real path, so every alias of the file meets the same lock.</summary>
    public static string SqliteLockPath(SqliteTarget target) => FileIdentity.RealPath(target.Path) + SqliteSuffix;

    public static async Task<IEnvironmentLock> AcquireAsync(DatabaseTarget database, EnvironmentLockRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
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
                var real = path[..^SqliteSuffix.Length];
                return await EnvironmentLock.AcquireFileAsync(path, request.Environment, request.PlanId, request.Wait, request.StaleAfter, request.PollInterval,
                    request.Time, reporter, cancellationToken, database: real, releaseCommand: $"Unlock-OsEnvironment -SqlitePath '{real}'").ConfigureAwait(false);
            case SqlServerTarget sql:
                return await SqlServerEnvironmentLock.AcquireAsync(sql, request, reporter, cancellationToken).ConfigureAwait(false);
            default:
                throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.InvalidArgument,
                    $"No rollback lock is known for the database {database.DisplayName}.", database.DisplayName, "Use a SQL Server or SQLite platform database.");
        }
    }
}
