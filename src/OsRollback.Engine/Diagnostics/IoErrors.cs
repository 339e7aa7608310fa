namespace OsRollback.Engine.Diagnostics;

/// <summary>What an I/O failure means, the same for every writer (catalog, journal, backup files).</summary>
public static class IoErrors
{
    /// <summary>ENOSPC (28) on Unix, ERROR_DISK_FULL (112) on Windows, or the system's wording of either.</summary>
    public static bool IsDiskFull(Exception ex) =>
        ex is IOException && ((ex.HResult & 0xFFFF) is 28 or 112 || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("disk is full", StringComparison.OrdinalIgnoreCase));
}
