using System.Text.RegularExpressions;

namespace OsRollback.Engine.Data;

/// <summary>Table, entity and module name patterns as users type them: * and ? wildcards, case-insensitive.</summary>
public static class NamePatterns
{
    /// <summary>True when a name matches any of the patterns. An empty pattern list matches everything.</summary>
    public static bool MatchesAny(string? name, IReadOnlyCollection<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0) return true;
        if (name is null) return false;
        foreach (var pattern in patterns)
        {
            var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            if (Regex.IsMatch(name, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)) return true;
        }
        return false;
    }
}
