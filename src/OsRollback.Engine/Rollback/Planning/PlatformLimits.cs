using OsRollback.Engine.Data;
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
    /// Why a rollback point of <paramref name="environment"/> captures no database (its platform database is
    /// on Oracle and no database was given), or null when it captures one. Refuses, before anything is
    /// written, a SQL Server or SQLite database given for an Oracle environment: it cannot be the platform
    /// database, and a rollback point built on it would restore the wrong data.
    /// </summary>
    public static string? DatabaseNotCaptured(PlatformEnvironmentInfo environment, DatabaseTarget? database, IReadOnlyList<DatabaseTarget> catalogs)
    {
        if (!IsOracle(environment.DatabaseProvider)) return null;
        var given = database?.DisplayName ?? (catalogs.Count > 0 ? catalogs[0].DisplayName : null);
        if (given is not null)
        {
            throw new OsRollbackException("OracleDatabaseNotSupported", OsErrorCategory.InvalidOperation,
                $"LifeTime says the platform database of {environment.Name} is on Oracle (DatabaseProvider), and OsRollback backs up, reads and restores SQL Server (and the SQLite sandbox) only, so {given} cannot be that database; no rollback point was taken.",
                environment.Name,
                $"Run New-OsRollbackPoint without database parameters to capture the versions and the solution package only, and back up the platform database of {environment.Name} with Oracle's own tools (RMAN or Data Pump) before the deploy; OsRollback's Database strategy and database cmdlets do not apply to Oracle.");
        }
        return $"the platform database of {environment.Name} is on Oracle (LifeTime DatabaseProvider), and OsRollback backs up and reads SQL Server only; back it up with Oracle's own tools (RMAN or Data Pump). The LifeTime and Solution strategies work without it.";
    }

    public static bool IsOracle(string? provider) => string.Equals(provider?.Trim(), "Oracle", StringComparison.OrdinalIgnoreCase);
}
