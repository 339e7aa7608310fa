using System.Text.RegularExpressions;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// Defence in depth for text written to journals and reports: ports must never put a secret in
/// a message, and this removes bearer tokens, basic credentials and key=value secrets if one does.
/// </summary>
public static class SecretScrubber
{
    private static readonly Regex[] Patterns =
    [
        new(@"(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/=]+", RegexOptions.Compiled),
        new(@"(?i)(\bbasic\s+)[A-Za-z0-9+/=]{8,}", RegexOptions.Compiled),
        new(@"(?i)(\b(?:password|pwd|passwd|token|secret|api[_-]?key|access[_-]?token)\b\s*[=:]\s*)(""[^""]*""|'[^']*'|[^;,\s""']+)", RegexOptions.Compiled),
        new(@"(?i)(://[^/:@\s]+:)[^@/\s]+(@)", RegexOptions.Compiled),
    ];

    public static string Scrub(string text)
    {
        foreach (var pattern in Patterns)
            text = pattern.Replace(text, m => m.Groups.Count > 2 && m.Groups[2].Value == "@" ? m.Groups[1].Value + "***@" : m.Groups[1].Value + "***");
        return text;
    }
}
