using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// Where the Database strategy does not apply, from what LifeTime says of the environment
/// (Swagger definitions.Environment: IsCloudEnvironment, DatabaseProvider [SqlServer|Oracle]).
/// </summary>
public static class PlatformLimits
{
    /// <summary>Why the Database strategy cannot be planned for <paramref name="target"/>, or null when it can.</summary>
    public static string? DatabaseStrategyRefusal(PlatformEnvironmentInfo target)
    {
        if (target.IsCloud)
            return $"{target.Name} runs on OutSystems Cloud, where customers cannot restore the platform database; OutSystems Support does: the plan carries a support request ready to send (SupportRequest; in the plan's Markdown)";
        if (IsOracle(target.DatabaseProvider))
            return $"the platform database of {target.Name} is on Oracle, and OsRollback backs up and restores SQL Server only; restore it with the Oracle tools your DBAs use (the other strategies work)";
        return null;
    }

    /// <summary>
    /// Refuses, before anything is written, a backup of <paramref name="database"/> as the platform
    /// database of an environment LifeTime says runs on Oracle: a SQL Server or SQLite database
    /// cannot be that database, and a rollback point built on it would restore the wrong data.
    /// </summary>
    public static void EnsureBackupPossible(PlatformEnvironmentInfo environment, string database)
    {
        if (!IsOracle(environment.DatabaseProvider)) return;
        throw new OsRollbackException("OracleDatabaseNotSupported", OsErrorCategory.InvalidOperation,
            $"LifeTime says the platform database of {environment.Name} is on Oracle (DatabaseProvider), and OsRollback backs up, reads and restores SQL Server (and the SQLite sandbox) only, so {database} cannot be that database; no rollback point was taken.",
            environment.Name,
            $"Back up the platform database of {environment.Name} with Oracle's own tools (RMAN or Data Pump) before the deploy, and roll back with LifeTime (redeploy the earlier versions); OsRollback's Database strategy and database cmdlets do not apply to Oracle.");
    }

    public static bool IsOracle(string? provider) => string.Equals(provider?.Trim(), "Oracle", StringComparison.OrdinalIgnoreCase);
}
