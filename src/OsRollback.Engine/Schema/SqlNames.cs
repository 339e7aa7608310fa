using OsRollback.Engine.Data;

namespace OsRollback.Engine.Schema;

/// <summary>Name patterns for table filters (quoting is each engine's: <c>IDatabaseProvider.TableData</c>).</summary>
public static class SqlNames
{
    /// <summary>
    /// True when a name matches any of the patterns (case-insensitive; * and ? wildcards).
    /// An empty pattern list matches everything.
    /// </summary>
    public static bool MatchesAny(string? name, IReadOnlyCollection<string>? patterns) => NamePatterns.MatchesAny(name, patterns);
}
