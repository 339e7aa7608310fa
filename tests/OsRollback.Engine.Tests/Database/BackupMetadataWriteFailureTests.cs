using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Database.Sqlite;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// The metadata file beside a SQLite backup cannot be written (disk full, no access): the backup
/// fails with BackupMetadataWriteFailed and leaves nothing that could pass as a verified backup.
/// </summary>
public sealed class BackupMetadataWriteFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _backups;

    public BackupMetadataWriteFailureTests()
    {
        _db = _dir.File("platform.db");
        _backups = Directory.CreateDirectory(_dir.File("backups")).FullName;
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db, Pooling = false }.ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL); INSERT INTO OSSYS_ESPACE VALUES (1, 'Orders');";
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _dir.Dispose();

    private OsRollbackException BackupWith(Func<string, Stream> openMetadata)
    {
        var engine = new SqliteBackupEngine(TimeProvider.System) { OpenMetadataFile = openMetadata };
        return Assert.Throws<OsRollbackException>(() => engine.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance, CancellationToken.None));
    }

    [Fact]
    public void A_full_disk_while_writing_the_metadata_fails_the_backup_and_leaves_no_file_behind()
    {
        var error = BackupWith(path => new FailingWriteStream(path, FileMode.Create, FileAccess.Write, 40));

        Assert.Equal("BackupMetadataWriteFailed", error.ErrorId);
        Assert.Equal(OsErrorCategory.WriteError, error.Category);
        Assert.Contains("disk is full", error.Message);
        Assert.Contains("backup file was removed", error.Message);
        Assert.Contains("Free space", error.RecommendedAction);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_backups));
        Assert.Empty(new DatabaseBackupService().GetHistory(new SqliteTarget(_db), new BackupHistoryQuery { Path = [_backups] }));
    }

    [Fact]
    public void A_metadata_file_that_may_not_be_written_fails_the_backup_with_what_to_do()
    {
        var error = BackupWith(path => throw new UnauthorizedAccessException($"Access to the path '{path}' is denied."));

        Assert.Equal("BackupMetadataWriteFailed", error.ErrorId);
        Assert.Contains("writable", error.RecommendedAction);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_backups));
    }

    [Fact]
    public void The_metadata_written_through_the_same_route_reads_back()
    {
        var engine = new SqliteBackupEngine(TimeProvider.System);
        var result = engine.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance, CancellationToken.None);

        var metadata = BackupMetadata.TryRead(result.FilePath[0] + SqliteBackupEngine.MetadataSuffix);
        Assert.NotNull(metadata);
        Assert.Equal(result.BackupId, metadata.BackupId);
        Assert.False(File.Exists(result.FilePath[0] + SqliteBackupEngine.MetadataSuffix + ".tmp"));
    }
}
