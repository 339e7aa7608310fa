using System.Text.RegularExpressions;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// A step's target as a report shows it: a file or folder by its name (not a long temporary path),
/// server\database and environment names as they are, anything longer cut in the middle. The full
/// value goes beside it (a title attribute), so nothing is lost.
/// </summary>
public static partial class ShortTarget
{
    public const int MaxLength = 48;

    public static string Of(string? target)
    {
        if (string.IsNullOrEmpty(target)) return "";
        var text = target.Trim();
        if (LooksLikePath(text))
        {
            var name = LastSegment().Match(text.TrimEnd('/', '\\')).Value;
            if (name.Length > 0) text = name;
        }
        return text.Length <= MaxLength ? text : text[..(MaxLength / 2 - 1)] + "…" + text[^(MaxLength / 2)..];
    }

    // Rooted on this OS, a Windows drive or UNC path on any OS, or relative to the home folder.
    private static bool LooksLikePath(string text) =>
        Path.IsPathRooted(text) || WindowsPath().IsMatch(text) || text.StartsWith("~/", StringComparison.Ordinal) || text.StartsWith("./", StringComparison.Ordinal);

    [GeneratedRegex(@"^([A-Za-z]:[\\/]|\\\\)")]
    private static partial Regex WindowsPath();

    [GeneratedRegex(@"[^\\/]+$")]
    private static partial Regex LastSegment();
}
