using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.Locking;

/// <summary>What a database lock needs to know (timeouts as for the file lock).</summary>
public sealed class EnvironmentLockRequest
{
    public required string Environment { get; init; }
    public required string PlanId { get; init; }
    public TimeSpan Wait { get; init; } = TimeSpan.Zero;
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Where a database file's rollback lock lives: a lock file beside the file's real path
/// (&lt;real path&gt;.osrollback.lock, symbolic links resolved), so every alias of the file meets the
/// same lock. The SQLite provider takes it (<see cref="IEnvironmentLocking"/>); Unlock-OsEnvironment releases it.
/// </summary>
public static class EnvironmentDatabaseLock
{
    public const string SqliteSuffix = ".osrollback.lock";

    /// <summary>The lock file of a SQLite database: beside its real path, so every alias of the file meets the same lock.</summary>
    public static string SqliteLockPath(SqliteTarget target) => FileIdentity.RealPath(target.Path) + SqliteSuffix;
}
