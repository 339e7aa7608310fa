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

    public static bool IsOracle(string? provider) => string.Equals(provider?.Trim(), "Oracle", StringComparison.OrdinalIgnoreCase);
}
