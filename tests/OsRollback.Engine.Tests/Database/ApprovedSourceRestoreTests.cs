using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Database.Sqlite;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Tests.Support;
using static OsRollback.Engine.Tests.Support.SqliteFile;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// A restore given the approved SHA-256 of its backup hashes the file while its pages are copied and
/// refuses another file before the restore commits: the target stays as it was (or is not created).
/// </summary>
public sealed class ApprovedSourceRestoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;

    public ApprovedSourceRestoreTests()
    {
        _db = _dir.File("platform.db");
        Execute(_db, "CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL);" +
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO ORDERS (ID, NAME) SELECT i, printf('%0200d', i) FROM n;");
    }

    public void Dispose() => _dir.Dispose();

    private static long Count(string path) => Scalar(path, "SELECT count(*) FROM ORDERS");

    private async Task<string> BackupAsync(string folder) => (await BackupRecordAsync(folder)).Path;

    private Task<BackupRecord> BackupRecordAsync(string folder) =>
        new DatabaseServiceAdapter().BackupAsync(new SqliteTarget(_db), _dir.File(folder), "backup", NullReporter.Instance, CancellationToken.None);

    [Fact]
    public void A_swapped_backup_copied_in_many_steps_is_refused_before_the_last_step_commits_and_no_file_is_left()
    {
        var approved = Sha256(BackupWith(rows: 3000, "approved"));
        var swapped = BackupWith(rows: 3000, "swapped");
        var engine = new SqliteBackupEngine(TimeProvider.System) { PagesPerStep = 4 }; // many steps: the gate waits before the last one
        var target = new SqliteTarget(_dir.File("new.db"));
        var options = new RestoreOptions { FilePath = [swapped], ExpectedSourceSha256 = approved };
        var plan = SqliteBackupEngine.PlanRestore(target, options, NullReporter.Instance);

        var ex = Assert.Throws<OsRollbackException>(() => engine.Restore(plan, options, _ => throw new InvalidOperationException("no safety backup for a new file"), new SafetyBackupChecker(), NullReporter.Instance, CancellationToken.None));

        Assert.Equal("BackupContentMismatch", ex.ErrorId);
        Assert.False(File.Exists(target.Path));
    }

    [Fact]
    public void The_approved_backup_copied_in_many_steps_is_restored()
    {
        var file = BackupWith(rows: 3000, "approved");
        var engine = new SqliteBackupEngine(TimeProvider.System) { PagesPerStep = 4 };
        var target = new SqliteTarget(_dir.File("new.db"));
        var options = new RestoreOptions { FilePath = [file], ExpectedSourceSha256 = Sha256(file) };

        engine.Restore(SqliteBackupEngine.PlanRestore(target, options, NullReporter.Instance), options, _ => throw new InvalidOperationException(), new SafetyBackupChecker(), NullReporter.Instance, CancellationToken.None);

        Assert.Equal(3000, Count(target.Path));
    }

    [Fact]
    public async Task Over_an_existing_database_a_swapped_backup_of_the_same_size_rolls_back_and_the_database_keeps_its_rows()
    {
        var approvedBackup = await BackupAsync("point");
        var approved = Sha256(approvedBackup);
        Execute(_db, "UPDATE ORDERS SET NAME = 'older' WHERE ID <= 10;");
        var older = await BackupAsync("older");
        Assert.Equal(new FileInfo(approvedBackup).Length, new FileInfo(older).Length);
        File.Copy(older, approvedBackup, overwrite: true); // the swap: another valid backup of the same database, same size
        File.Copy(older + SqliteBackupEngine.MetadataSuffix, approvedBackup + SqliteBackupEngine.MetadataSuffix, overwrite: true);
        Execute(_db, "UPDATE ORDERS SET NAME = 'written after the backup' WHERE ID = 42;");
        var preRollback = await BackupRecordAsync("run");

        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => new DatabaseServiceAdapter()
            .RestoreApprovedAsync(new SqliteTarget(_db), approvedBackup, approved, preRollback, NullReporter.Instance, CancellationToken.None));

        Assert.Equal("BackupContentMismatch", ex.ErrorId);
        Assert.Equal("written after the backup", Assert.Single(Column(_db, "SELECT NAME FROM ORDERS WHERE ID = 42")));
        Assert.Equal(3000, Count(_db));
    }

    private string BackupWith(int rows, string label)
    {
        var path = _dir.File($"{label}.sqlite");
        Execute(path, "CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL);" +
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO ORDERS (ID, NAME) SELECT i, '{label}' || printf('%0200d', i) FROM n;");
        return path;
    }

    private static string Sha256(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();
}
