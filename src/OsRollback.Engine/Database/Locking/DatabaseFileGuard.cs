using System.Runtime.InteropServices;

namespace OsRollback.Engine.Database.Locking;

/// <summary>
/// An OS lock held on the database file itself for the run, so that it follows the file whatever
/// path reaches it (symbolic or hard links) and survives the lock files being deleted: a byte-range
/// write lock far beyond the end of the file, where SQLite never reads, writes or locks.
/// Linux: an open-file-description lock (F_OFD_SETLK), which SQLite's own opens and closes of the
/// file in this process do not release (a classic POSIX lock would be); Windows: LockFileEx on our
/// own handle. Elsewhere (macOS) no guard is taken and the lock file alone keys the lock.
/// </summary>
public sealed class DatabaseFileGuard : IDisposable
{
    /// <summary>The locked byte: 2^62, far past any SQLite file and its lock bytes (at 1 GiB).</summary>
    internal const long Offset = 1L << 62;
    private const int F_OFD_SETLK = 37;
    private const short F_WRLCK = 1;

    private readonly FileStream _stream;

    private DatabaseFileGuard(FileStream stream, string path, FileIdentity identity)
    {
        _stream = stream;
        Path = path;
        Identity = identity;
    }

    public string Path { get; }
    public FileIdentity Identity { get; }

    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsWindows();

    /// <summary>The guard on <paramref name="realPath"/>; null when another process holds it; IOException when the file cannot be opened.</summary>
    public static DatabaseFileGuard? TryAcquire(string realPath)
    {
        // Read/write sharing and no flock-exclusive open: SQLite and the backup engine keep every access they need.
        var stream = new FileStream(realPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var identity = FileIdentity.Of(realPath);
            if (!TryLock(stream)) { stream.Dispose(); return null; }
            return new DatabaseFileGuard(stream, realPath, identity);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>True while the path still reaches the file the guard holds (a database file replaced by another would not be guarded).</summary>
    public bool StillGuards() => FileIdentity.TryOf(Path) == Identity;

    private static bool TryLock(FileStream stream)
    {
        if (OperatingSystem.IsWindows())
        {
            try { stream.Lock(Offset, 1); return true; }
            catch (IOException) { return false; }
        }
        // struct flock (Linux, 64-bit): short l_type, short l_whence, long l_start, long l_len, int l_pid (l_pid 0 for OFD locks).
        var flock = new byte[32];
        BitConverter.TryWriteBytes(flock.AsSpan(0), F_WRLCK);
        BitConverter.TryWriteBytes(flock.AsSpan(8), Offset);
        BitConverter.TryWriteBytes(flock.AsSpan(16), 1L);
        var fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        if (fcntl(fd, F_OFD_SETLK, flock) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is 11 or 13) return false; // EAGAIN / EACCES: held by another open file description
        throw new IOException($"fcntl(F_OFD_SETLK) failed (errno {errno}).");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, byte[] flock);

    public void Dispose() => _stream.Dispose(); // closing the description releases the lock
}
