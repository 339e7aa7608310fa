using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Schema;

public sealed class SchemaSnapshotWriteTests
{
    [Fact]
    public void A_snapshot_that_cannot_be_written_is_an_error_record_and_leaves_no_file()
    {
        using var dir = new TempDirectory();
        var blocker = dir.File("not-a-folder");
        File.WriteAllText(blocker, "x");
        var path = Path.Combine(blocker, SchemaSnapshotFile.DefaultFileName);
        var ex = Assert.Throws<OsRollbackException>(() => SchemaSnapshotFile.Write(path, new SchemaSnapshot()));
        Assert.Equal("SchemaSnapshotWriteFailed", ex.ErrorId);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_written_snapshot_reads_back_and_leaves_no_temporary_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("schema-snapshot.json");
        SchemaSnapshotFile.Write(path, new SchemaSnapshot { Tables = [new TableSnapshot { Name = "OSUSR_A_B" }] });
        Assert.Equal("OSUSR_A_B", Assert.Single(SchemaSnapshotFile.Read(path).Tables).Name);
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }
}
