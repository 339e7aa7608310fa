namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>Checks on a folder a cmdlet will create or write into, made before anything is written.</summary>
internal static class FolderPaths
{
    /// <summary>The file that is the path or one of its parents (so the folder can never be created), or null.</summary>
    public static string? BlockingFile(string folder)
    {
        for (var current = Path.GetFullPath(folder); !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current)) return current;
            if (Directory.Exists(current)) return null;
        }
        return null;
    }
}
