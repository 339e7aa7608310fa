using System.Management.Automation;

namespace OsRollback.Cmdlets.Completion;

/// <summary>Turns candidate names into completion results: prefix match, quoted when needed.</summary>
internal static class CompletionMatch
{
    public static IEnumerable<CompletionResult> Results(IEnumerable<(string Value, string ToolTip)> candidates, string? wordToComplete)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        var pattern = WildcardPattern.ContainsWildcardCharacters(word)
            ? new WildcardPattern(word, WildcardOptions.IgnoreCase)
            : new WildcardPattern(WildcardPattern.Escape(word) + "*", WildcardOptions.IgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (value, toolTip) in candidates)
        {
            if (string.IsNullOrEmpty(value) || !pattern.IsMatch(value) || !seen.Add(value)) continue;
            yield return new CompletionResult(Quote(value), value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(toolTip) ? value : toolTip);
        }
    }

    public static IEnumerable<CompletionResult> Results(IEnumerable<string> names, string? wordToComplete) =>
        Results(names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).Select(n => (n, n)), wordToComplete);

    private static string Quote(string value) =>
        value.IndexOfAny([' ', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '@', '#', '&', '|']) < 0 ? value : "'" + value.Replace("'", "''") + "'";
}
