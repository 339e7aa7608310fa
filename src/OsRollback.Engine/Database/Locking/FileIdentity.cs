using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OsRollback.Engine.Database.Locking;

/// <summary>
/// Which file a path reaches, whatever the path: the device and inode on Unix (stat), the volume
/// serial number and file index on Windows. Two paths (a symbolic link, a hard link, another
/// mount) with the same identity are the same file.
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Index)
{
    public override string ToString() => $"{Device}:{Index}";

    /// <summary>The identity of the file <paramref name="path"/> reaches (links followed); IOException when it cannot be read.</summary>
    public static FileIdentity Of(string path) => OperatingSystem.IsWindows() ? WindowsIdentity(path) : UnixIdentity(path);

    /// <summary>The identity, or null when the file does not exist or cannot be read.</summary>
    public static FileIdentity? TryOf(string path)
    {
        try { return Of(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// The absolute path with every symbolic link resolved (realpath on Unix, the final path of a
    /// handle on Windows). A file that does not exist resolves through its folder.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            var folder = Path.GetDirectoryName(full);
            return folder is null || !Directory.Exists(folder) ? full : Path.Combine(RealFolder(folder), Path.GetFileName(full));
        }
        return OperatingSystem.IsWindows() ? WindowsFinalPath(full) : UnixRealPath(full) ?? full;
    }

    private static string RealFolder(string folder) => OperatingSystem.IsWindows() ? new DirectoryInfo(folder).ResolveLinkTarget(true)?.FullName ?? folder : UnixRealPath(folder) ?? folder;

    private static FileIdentity UnixIdentity(string path)
    {
        // struct stat: Linux (x86-64 and arm64) starts with a 64-bit st_dev then a 64-bit st_ino;
        // macOS (64-bit inodes) with a 32-bit st_dev, st_mode and st_nlink, then a 64-bit st_ino.
        var buffer = new byte[512];
        int rc;
        try { rc = Native.stat(path, buffer); }
        catch (EntryPointNotFoundException) { rc = Native.__xstat(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0, path, buffer); } // glibc before 2.33
        if (rc != 0) throw new IOException($"stat '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        var device = OperatingSystem.IsLinux() ? BitConverter.ToUInt64(buffer, 0) : BitConverter.ToUInt32(buffer, 0);
        return new FileIdentity(device, BitConverter.ToUInt64(buffer, 8));
    }

    private static string? UnixRealPath(string path)
    {
        var resolved = Native.realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { Native.free(resolved); }
    }

    private static FileIdentity WindowsIdentity(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // BY_HANDLE_FILE_INFORMATION: dwVolumeSerialNumber at 28, nFileIndexHigh at 44, nFileIndexLow at 48.
        var info = new byte[52];
        if (!Native.GetFileInformationByHandle(handle, info)) throw new IOException($"GetFileInformationByHandle '{path}' failed (error {Marshal.GetLastPInvokeError()}).");
        return new FileIdentity(BitConverter.ToUInt32(info, 28), ((ulong)BitConverter.ToUInt32(info, 44) << 32) | BitConverter.ToUInt32(info, 48));
    }

    private static string WindowsFinalPath(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new char[32768];
        var length = Native.GetFinalPathNameByHandleW(handle, buffer, (uint)buffer.Length, 0);
        if (length == 0 || length >= buffer.Length) return path;
        var final = new string(buffer, 0, (int)length);
        return final.StartsWith(@"\\?\UNC\", StringComparison.Ordinal) ? @"\\" + final[8..]
            : final.StartsWith(@"\\?\", StringComparison.Ordinal) ? final[4..] : final;
    }

    // Paths go to libc as UTF-8 (LPUTF8Str), which CA2101's ANSI/Unicode choice does not cover.
#pragma warning disable CA2101
    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        public static extern int __xstat(int version, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

        [DllImport("libc")]
        public static extern void free(IntPtr pointer);

        [DllImport("kernel32", SetLastError = true)]
        public static extern bool GetFileInformationByHandle(SafeFileHandle handle, byte[] information);

        [DllImport("kernel32", SetLastError = true, CharSet = CharSet.Unicode)]
        public static extern uint GetFinalPathNameByHandleW(SafeFileHandle handle, char[] buffer, uint length, uint flags);
    }
#pragma warning restore CA2101
}
