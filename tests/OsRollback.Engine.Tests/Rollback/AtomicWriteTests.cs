using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Plans, manifests, journals and reports go through RollbackJson.WriteAtomic: a failed write is an ErrorRecord-ready error and leaves nothing that looks valid.</summary>
public sealed class AtomicWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("osrollback-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_folder_under_a_file_is_FileWriteFailed_and_nothing_is_written()
    {
        var blocker = Path.Combine(_dir, "catalog");
        File.WriteAllText(blocker, "a file, not a folder");
        var target = Path.Combine(blocker, "rollback-points", "plan.json");

        var ex = Assert.Throws<OsRollbackException>(() => RollbackJson.WriteAtomic(target, "{}"));

        Assert.Equal("FileWriteFailed", ex.ErrorId);
        Assert.Equal(OsErrorCategory.WriteError, ex.Category);
        Assert.Equal("a file, not a folder", File.ReadAllText(blocker));
        Assert.Equal([blocker], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void A_failed_write_keeps_the_earlier_file_and_leaves_no_temporary_file()
    {
        var target = Path.Combine(_dir, "rollback-point.json");
        File.WriteAllText(target, "earlier");
        // The temporary file cannot be created: its name is taken by a folder.
        Directory.CreateDirectory(target + ".tmp");

        var ex = Assert.Throws<OsRollbackException>(() => RollbackJson.WriteAtomic(target, "later"));

        Assert.Contains(ex.ErrorId, new[] { "FileWriteFailed", "DiskFull" });
        Assert.Equal("earlier", File.ReadAllText(target));
        Assert.False(File.Exists(target + ".tmp"));
    }

    [Fact]
    public void No_space_left_is_DiskFull()
    {
        var ex = RollbackJson.WriteFailed("/x/plan.json", new IOException("No space left on device", 28));
        Assert.Equal("DiskFull", ex.ErrorId);
        Assert.Equal("/x/plan.json", ex.Target);
    }

    [Fact]
    public void A_successful_write_replaces_the_file_and_leaves_no_temporary_file()
    {
        var target = Path.Combine(_dir, "sub", "plan.json");
        RollbackJson.WriteAtomic(target, "one");
        RollbackJson.WriteAtomic(target, "two");
        Assert.Equal("two", File.ReadAllText(target));
        Assert.False(File.Exists(target + ".tmp"));
    }
}
