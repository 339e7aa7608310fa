namespace OsRollback.Sandbox.Hosting;

/// <summary>
/// A route template of the subset the sandbox uses: literal segments, {name} and a final {**rest},
/// matched case-insensitively and ignoring a trailing slash, like ASP.NET Core routing.
/// </summary>
internal sealed class RouteTemplate
{
    private enum Kind { Literal, Parameter, CatchAll }

    private readonly (Kind Kind, string Text)[] _segments;

    public RouteTemplate(string template)
    {
        RawText = "/" + template.Trim('/') + (template.EndsWith('/') && template.Trim('/').Length > 0 ? "/" : "");
        _segments = Split(template).Select(s =>
            s.StartsWith("{**", StringComparison.Ordinal) ? (Kind.CatchAll, s[3..^1])
            : s.StartsWith('{') ? (Kind.Parameter, s[1..^1])
            : (Kind.Literal, s)).ToArray();
    }

    public string RawText { get; }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Route values when <paramref name="path"/> matches, else null.</summary>
    public Dictionary<string, string>? Match(string path)
    {
        var parts = Split(path);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < _segments.Length; i++)
        {
            var (kind, text) = _segments[i];
            if (kind == Kind.CatchAll)
            {
                values[text] = string.Join('/', parts.Skip(i).Select(Uri.UnescapeDataString));
                return values;
            }
            if (i >= parts.Length) return null;
            var part = Uri.UnescapeDataString(parts[i]);
            if (kind == Kind.Literal && !string.Equals(part, text, StringComparison.OrdinalIgnoreCase)) return null;
            if (kind == Kind.Parameter) values[text] = part;
        }
        return parts.Length == _segments.Length ? values : null;
    }

    /// <summary>Orders matches like ASP.NET Core: a literal segment beats a parameter, which beats a catch-all.</summary>
    public int CompareSpecificity(RouteTemplate other)
    {
        for (var i = 0; i < Math.Min(_segments.Length, other._segments.Length); i++)
        {
            var byKind = other._segments[i].Kind.CompareTo(_segments[i].Kind);
            if (byKind != 0) return byKind;
        }
        return _segments.Length.CompareTo(other._segments.Length);
    }
}
