namespace OsRollback.Engine.Diagnostics;

/// <summary>A file a command reads (an input -Path): checked before anything else happens, so a folder or a missing file is an ErrorRecord, not a raw exception.</summary>
public static class InputFile
{
    /// <summary>Throws InputPathIsFolder, or <paramref name="missingErrorId"/> for a missing file (a command keeps the ErrorId its users know).</summary>
    public static void EnsureReadable(string path, string parameterName, string missingErrorId = "InputFileNotFound")
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OsRollbackException("InputPathIsFolder", OsErrorCategory.InvalidArgument,
                $"'{full}' is a folder; {parameterName} names the file to read.", full, $"Give {parameterName} the file itself.");
        }
        if (!File.Exists(full))
        {
            throw new OsRollbackException(missingErrorId, OsErrorCategory.ObjectNotFound,
                $"The file '{full}' does not exist.", full, $"Check {parameterName}.");
        }
    }
}
