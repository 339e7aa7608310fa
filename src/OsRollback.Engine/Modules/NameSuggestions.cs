namespace OsRollback.Engine.Modules;

/// <summary>Finds the known names closest to a mistyped one, for "did you mean" messages.</summary>
public static class NameSuggestions
{
    public static IReadOnlyList<string> Closest(string wanted, IEnumerable<string> known, int max)
    {
        var threshold = Math.Max(2, wanted.Length / 3);
        return known
            .Select(k => (Name: k, Distance: Score(wanted, k)))
            .Where(x => x.Distance <= threshold)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
            .Take(max)
            .Select(x => x.Name)
            .ToList();
    }

    /// <summary>Edit distance, with a containing name scored as close (typing a prefix is common).</summary>
    private static int Score(string a, string b)
    {
        if (b.Contains(a, StringComparison.OrdinalIgnoreCase) || a.Contains(b, StringComparison.OrdinalIgnoreCase)) return 1;
        a = a.ToLowerInvariant(); b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
