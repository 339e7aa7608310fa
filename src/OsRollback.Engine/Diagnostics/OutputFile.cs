using System.Text;

namespace OsRollback.Engine.Diagnostics;

/// <summary>
/// A file a command writes (-OutFile, an export's -Path): checked before anything is written
/// (not a folder, its folder exists, not read-only, the folder writable) and written through a
/// temporary file beside it and a rename, so a failure leaves no partial file and any earlier
/// file as it was. Every failure is an OsRollbackException with a stable ErrorId.
/// </summary>
public static class OutputFile
{
    /// <summary>Throws OutputPathIsFolder, OutputFolderNotFound, OutputFileReadOnly or OutputFolderNotWritable; writes nothing.</summary>
    public static void EnsureWritable(string path, string parameterName)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OsRollbackException("OutputPathIsFolder", OsErrorCategory.InvalidArgument,
                $"'{full}' is a folder; {parameterName} names the file to write.", full, $"Give {parameterName} a file name, e.g. {Path.Combine(full, "output.json")}.");
        }
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new OsRollbackException("OutputFolderNotFound", OsErrorCategory.ObjectNotFound,
                $"The folder of '{full}' does not exist{(File.Exists(folder) || BlockedByFile(folder) ? " (a file is in the way)" : "")}.", full,
                $"Create the folder first, or give {parameterName} a file in an existing folder.");
        }
        if (File.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.ReadOnly))
        {
            throw new OsRollbackException("OutputFileReadOnly", OsErrorCategory.PermissionDenied,
                $"'{full}' is read-only; it is not overwritten.", full, $"Make the file writable if it may be replaced, or give {parameterName} another file.");
        }
        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.probe"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OsRollbackException("OutputFolderNotWritable", OsErrorCategory.PermissionDenied,
                $"The folder '{folder}' cannot be written by this account: {ex.Message}", full, $"Give {parameterName} a file in a folder this account can write to.", ex);
        }
    }

    /// <summary>Checks <paramref name="path"/>, then writes it through a temporary file and a rename.</summary>
    public static void Write(string path, string parameterName, Action<TextWriter> write)
    {
        EnsureWritable(path, parameterName);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false)))
                write(writer);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new OsRollbackException("OutputFileWriteFailed", OsErrorCategory.WriteError, $"'{full}' could not be written: {ex.Message}", full,
                "Free space or fix the permissions of the folder, then run the command again; no partial file was left.", ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static bool BlockedByFile(string folder)
    {
        for (var current = folder; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current)) return true;
            if (Directory.Exists(current)) return false;
        }
        return false;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
