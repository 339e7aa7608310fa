using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback;

/// <summary>Finds an environment by name or key, as the rollback point and the plan both name it.</summary>
internal static class PlatformEnvironments
{
    public static PlatformEnvironmentInfo Find(IReadOnlyList<PlatformEnvironmentInfo> environments, string name)
    {
        var found = environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Key, name, StringComparison.OrdinalIgnoreCase));
        if (found is not null) return found;
        var close = NameSuggestions.Closest(name, environments.Select(e => e.Name).ToList(), 3);
        throw new OsRollbackException("UnknownEnvironment", OsErrorCategory.ObjectNotFound,
            $"No environment named '{name}' exists" + (close.Count > 0 ? $" (did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?)." : "."),
            name, $"Use one of: {string.Join(", ", environments.Select(e => e.Name))}.");
    }
}
