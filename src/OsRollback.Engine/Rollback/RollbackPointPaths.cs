using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback;

/// <summary>
/// The paths a rollback point's manifest lists: relative, canonical (no ".", "..", empty or rooted
/// part), and inside the point's folder once every symbolic link on the way is resolved. The check
/// compares resolved paths part by part, never as strings, so "../&lt;point&gt;-evil/x" and a link
/// to a file elsewhere are refused (RollbackPointInvalid).
/// </summary>
public static class RollbackPointPaths
{
    private const int MaxLinks = 40;
    private static readonly StringComparison PathComparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Throws RollbackPointInvalid unless <paramref name="relative"/> is a canonical path inside <paramref name="folder"/> (links resolved).</summary>
    public static void EnsureInside(string folder, string relative)
    {
        var problem = Problem(folder, relative);
        if (problem is null) return;
        throw new OsRollbackException("RollbackPointInvalid", OsErrorCategory.InvalidData,
            $"The rollback point '{folder}' lists a file outside its folder or by a path that is not canonical ('{relative}': {problem}).", folder,
            "Do not edit rollback-point.json or link files into a rollback point; take a new rollback point with New-OsRollbackPoint.");
    }

    /// <summary>Why the path is refused, or null.</summary>
    public static string? Problem(string folder, string relative)
    {
        if (string.IsNullOrWhiteSpace(relative)) return "the path is empty";
        if (Path.IsPathRooted(relative) || relative.StartsWith('/') || relative.StartsWith('\\')) return "the path is absolute";
        var parts = relative.Split('/', '\\');
        if (parts.Any(p => p is "" or "." or "..")) return "it has an empty, '.' or '..' part";
        var realFolder = Resolve(Path.GetFullPath(folder));
        var realFile = Resolve(Path.GetFullPath(Path.Combine(folder, relative)));
        if (realFile is null || realFolder is null) return "it goes through a loop of symbolic links";
        return IsUnder(realFolder, realFile) ? null : $"it resolves to '{realFile}'";
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or below it, compared part by part.</summary>
    private static bool IsUnder(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        if (relative == "." || Path.IsPathRooted(relative)) return false;
        var first = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return first != ".." && string.Equals(Path.GetFullPath(Path.Combine(folder, relative)), path, PathComparison);
    }

    /// <summary>The path with every symbolic link among its parts resolved (parts that do not exist are kept); null on a loop.</summary>
    private static string? Resolve(string full)
    {
        var root = Path.GetPathRoot(full)!;
        var pending = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        var links = 0;
        while (pending.Count > 0)
        {
            var next = Path.Combine(current, pending.Dequeue());
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (++links > MaxLinks) return null;
                var resolved = Path.GetFullPath(Path.Combine(current, target));
                // Start again from the link's target, then the parts still to come.
                var rest = pending.ToArray();
                var targetRoot = Path.GetPathRoot(resolved)!;
                pending = new Queue<string>(resolved[targetRoot.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                current = targetRoot;
                continue;
            }
            current = next;
        }
        return Path.GetFullPath(current);
    }
}
