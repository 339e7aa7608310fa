using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Tests.Support;
using static OsRollback.Engine.Tests.Support.SqliteFile;
using OsRollback.Engine.Database.Sqlite;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// A SQLite restore is planned once and run from that plan (as on SQL Server); the backup being
/// restored is checked fully or, for an already verified rollback point backup, cheaply; a backup's
/// integrity check runs on the snapshot it copies.
/// </summary>
public sealed class SqliteRestorePlanTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _backups;
    private readonly DatabaseBackupService _service = new();

    public SqliteRestorePlanTests()
    {
        _db = _dir.File("platform.db");
        _backups = Directory.CreateDirectory(_dir.File("backups")).FullName;
        Execute(_db, "CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL); CREATE INDEX IX_NAME ON OSSYS_ESPACE(NAME);" +
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO OSSYS_ESPACE (ID, NAME) SELECT i, 'Module_' || i FROM n;");
    }

    public void Dispose() => _dir.Dispose();

    private static long Count(string path) => Scalar(path, "SELECT count(*) FROM OSSYS_ESPACE");

    private BackupResult Backup() => _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance);

    private static void Truncate(string file, int bytes)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(stream.Length - bytes);
    }

    [Fact]
    public void The_plan_says_what_the_restore_will_do_and_the_restore_runs_it()
    {
        var backup = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 10;");
        var options = new RestoreOptions { FilePath = backup.FilePath, WithReplace = true };

        var plan = _service.PlanRestore(new SqliteTarget(_db), options, NullReporter.Instance);

        Assert.Equal(DatabaseEngineKind.Sqlite, plan.Engine);
        Assert.Equal(backup.FilePath, plan.Source);
        Assert.Equal("platform", plan.SourceDatabase);
        Assert.True(plan.TargetExists);
        Assert.True(plan.SafetyBackupNeeded);
        Assert.Contains("Replace the existing database platform", plan.Describe());
        Assert.Equal(10, Count(_db)); // planning changes nothing

        var result = _service.Restore(plan, options, NullReporter.Instance);

        Assert.Equal(5000, Count(_db));
        Assert.True(result.ReplacedExisting);
        Assert.Equal(10, Count(result.SafetyBackup!.FilePath[0]));
        Assert.Equal(plan.SourceDatabase, result.SourceDatabase);
    }

    [Fact]
    public void Without_WithReplace_the_plan_itself_refuses_and_nothing_changes()
    {
        var backup = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE;");
        var ex = Assert.Throws<OsRollbackException>(() => _service.PlanRestore(new SqliteTarget(_db), new RestoreOptions { FilePath = backup.FilePath }, NullReporter.Instance));
        Assert.Equal("DatabaseExists", ex.ErrorId);
        Assert.Equal(0, Count(_db));
    }

    [Fact]
    public void A_target_that_appeared_after_planning_is_not_replaced()
    {
        var backup = Backup();
        var target = _dir.File("copy.db");
        var options = new RestoreOptions { FilePath = backup.FilePath };
        var plan = _service.PlanRestore(new SqliteTarget(target), options, NullReporter.Instance);
        Assert.False(plan.TargetExists);
        Assert.False(plan.SafetyBackupNeeded);

        // Someone creates the file between -WhatIf/planning and the restore: the plan never covered a replace.
        File.Copy(_db, target);
        Execute(target, "DELETE FROM OSSYS_ESPACE WHERE ID > 3;");
        var ex = Assert.Throws<OsRollbackException>(() => _service.Restore(plan, options, NullReporter.Instance));

        Assert.Equal("RestoreTargetChanged", ex.ErrorId);
        Assert.Equal(OsErrorCategory.InvalidOperation, ex.Category);
        Assert.Equal(3, Count(target));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*_safety*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_target_gone_since_planning_is_refused()
    {
        var backup = Backup();
        var options = new RestoreOptions { FilePath = backup.FilePath, WithReplace = true };
        var plan = _service.PlanRestore(new SqliteTarget(_db), options, NullReporter.Instance);
        File.Delete(_db);

        var ex = Assert.Throws<OsRollbackException>(() => _service.Restore(plan, options, NullReporter.Instance));

        Assert.Equal("RestoreTargetChanged", ex.ErrorId);
        Assert.False(File.Exists(_db));
    }

    [Fact]
    public void The_cheap_source_check_still_refuses_a_truncated_backup_and_changes_nothing()
    {
        var backup = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 7;");
        Truncate(backup.FilePath[0], 4096);

        var ex = Assert.Throws<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db),
            new RestoreOptions { FilePath = backup.FilePath, WithReplace = true, SourceCheck = RestoreSourceCheck.Cheap }, NullReporter.Instance));

        Assert.Equal("BackupCorrupt", ex.ErrorId);
        Assert.Contains("Size", ex.Message);
        Assert.Equal(7, Count(_db));
        Assert.Empty(Directory.GetFiles(_backups, "*_safety*"));
    }

    [Fact]
    public void The_cheap_source_check_refuses_a_backup_without_its_recorded_checksum()
    {
        var backup = Backup();
        File.Delete(backup.FilePath[0] + SqliteBackupEngine.MetadataSuffix);
        var target = _dir.File("new.db");

        var ex = Assert.Throws<OsRollbackException>(() => _service.Restore(new SqliteTarget(target),
            new RestoreOptions { FilePath = backup.FilePath, SourceCheck = RestoreSourceCheck.Cheap }, NullReporter.Instance));

        Assert.Equal("BackupCorrupt", ex.ErrorId);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void The_full_source_check_refuses_a_changed_backup_the_cheap_one_is_only_for_verified_ones()
    {
        var backup = Backup();
        // Same size, one byte changed: only reading the file (checksum) shows it.
        using (var stream = new FileStream(backup.FilePath[0], FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(-100, SeekOrigin.End);
            stream.WriteByte(0x5A);
        }
        var ex = Assert.Throws<OsRollbackException>(() => _service.Restore(new SqliteTarget(_dir.File("full.db")),
            new RestoreOptions { FilePath = backup.FilePath }, NullReporter.Instance));
        Assert.Equal("BackupCorrupt", ex.ErrorId);
        Assert.Contains("checksum", ex.Message);
    }

    [Fact]
    public async Task The_outage_restore_checks_the_rollback_point_backup_cheaply_and_refuses_a_truncated_one()
    {
        var adapter = new DatabaseServiceAdapter();
        var target = new SqliteTarget(_db);
        var point = await adapter.BackupAsync(target, _dir.File("point"), "pre-deploy", NullReporter.Instance, CancellationToken.None);
        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 5;");
        var preRollback = await adapter.BackupAsync(target, _dir.File("run"), "pre-rollback", NullReporter.Instance, CancellationToken.None);

        var reporter = new RecordingReporter();
        await adapter.RestoreAsync(target, point.Path, preRollback, reporter, CancellationToken.None);
        Assert.Equal(5000, Count(_db));
        Assert.Contains(reporter.Verboses, v => v.Contains("header, size, recorded checksum", StringComparison.Ordinal));
        Assert.Contains(reporter.Verboses, v => v.Contains("cheap check", StringComparison.Ordinal));

        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 5;");
        var again = await adapter.BackupAsync(target, _dir.File("run2"), "pre-rollback", NullReporter.Instance, CancellationToken.None);
        Truncate(point.Path, 8192);
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => adapter.RestoreAsync(target, point.Path, again, NullReporter.Instance, CancellationToken.None));
        Assert.Equal("BackupCorrupt", ex.ErrorId);
        Assert.Equal(5, Count(_db));
    }

    [Fact]
    public void A_damaged_database_is_refused_by_the_snapshot_check_and_no_backup_is_kept()
    {
        var damaged = Path.Combine(Directory.CreateDirectory(_dir.File("damaged")).FullName, "platform.db");
        File.Copy(_db, damaged);
        using (var stream = new FileStream(damaged, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(4096 + 10, SeekOrigin.Begin);
            stream.Write(new byte[2000]);
        }

        var ex = Assert.Throws<OsRollbackException>(() => _service.Backup(new SqliteTarget(damaged), new BackupOptions { Path = [_backups] }, NullReporter.Instance));

        Assert.Equal("BackupCorrupt", ex.ErrorId);
        Assert.Empty(Directory.GetFiles(_backups));
    }

    [Fact]
    public void A_wal_database_is_backed_up_with_its_committed_rows_and_the_copy_is_checked()
    {
        var wal = Path.Combine(Directory.CreateDirectory(_dir.File("wal")).FullName, "platform.db");
        File.Copy(_db, wal);
        using var writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = wal, Pooling = false }.ConnectionString);
        writer.Open();
        using (var cmd = writer.CreateCommand())
        {
            // The connection stays open, so the committed row stays in the -wal file, not yet in the database file.
            cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; INSERT INTO OSSYS_ESPACE (ID, NAME) VALUES (9001, 'In_The_Wal');";
            cmd.ExecuteNonQuery();
        }

        var backup = _service.Backup(new SqliteTarget(wal), new BackupOptions { Path = [_backups] }, NullReporter.Instance);

        Assert.Equal(5001, Count(backup.FilePath[0]));
        var metadata = File.ReadAllText(backup.FilePath[0] + SqliteBackupEngine.MetadataSuffix);
        Assert.Contains("\"VerifiedBy\": \"PRAGMA quick_check\"", metadata);
    }
}
