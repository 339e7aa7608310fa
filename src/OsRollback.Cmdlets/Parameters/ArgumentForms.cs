using System.Collections;
using System.Management.Automation;

namespace OsRollback.Cmdlets.Parameters;

/// <summary>
/// What the transformation attributes share: PSObject unwrapping, arrays item by item, and
/// PowerShell paths. An attribute only decides the form of an argument; it reads nothing.
/// </summary>
internal static class ArgumentForms
{
    /// <summary>Null stays null (Mandatory and ValidateNotNull refuse it as for any parameter); a collection is transformed item by item.</summary>
    public static object? Each<T>(object? inputData, Func<object, T> transform)
    {
        var value = Unwrap(inputData);
        if (value is null) return null;
        if (value is IList list) return list.Cast<object?>().Select(item => Unwrap(item) is { } one ? transform(one) : default).ToArray();
        return transform(value);
    }

    /// <summary>PowerShell paths (relative, ~, PSDrives) as file-system paths; without a session (a test), the text unchanged.</summary>
    public static string FileSystemPath(EngineIntrinsics? engine, string path) =>
        engine is null ? path : engine.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>The first of the named properties an object has (a CSV row, a custom object); its value may itself be wrapped.</summary>
    public static string? TextProperty(PSObject value, params string[] names) =>
        names.Select(n => Unwrap(value.Properties[n]?.Value)).OfType<string>().FirstOrDefault(s => s.Length > 0);

    /// <summary>The Path property of an object.</summary>
    public static string? PathProperty(PSObject value) => TextProperty(value, "Path");

    public static bool LooksLikePath(string text) => text.IndexOfAny(['/', '\\']) >= 0 || text.StartsWith('.') || text.StartsWith('~');

    // A PSCustomObject keeps its wrapper: its properties (Path) live there.
    private static object? Unwrap(object? value) => value is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : value;
}
