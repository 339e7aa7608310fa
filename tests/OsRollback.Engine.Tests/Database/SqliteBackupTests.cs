using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using static OsRollback.Engine.Tests.Support.SqliteFile;
using OsRollback.Engine.Database.Sqlite;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>SQLite backups and restores run for real on real files; data is checked after each round trip.</summary>
public sealed class SqliteBackupTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _backups;
    private readonly DatabaseBackupService _service = new();

    public SqliteBackupTests()
    {
        _db = _dir.File("platform.db");
        _backups = Directory.CreateDirectory(_dir.File("backups")).FullName;
        Execute(_db, "CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL); CREATE INDEX IX_NAME ON OSSYS_ESPACE(NAME);");
        Execute(_db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO OSSYS_ESPACE (ID, NAME) SELECT i, 'Module_' || i FROM n;");
    }

    public void Dispose() => _dir.Dispose();

    private BackupResult Backup() => _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance);

    [Fact]
    public void Backup_writes_a_checked_copy_and_a_metadata_file()
    {
        var reporter = new RecordingReporter();
        var result = _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, reporter);
        var file = Assert.Single(result.FilePath);
        Assert.StartsWith(Path.Combine(_backups, "platform_" + Environment.MachineName), file);
        Assert.EndsWith(".sqlite", file);
        Assert.True(File.Exists(file + ".osrollback.json"));
        Assert.False(File.Exists(file + ".partial"));
        Assert.Equal(5000, Scalar(file, "SELECT count(*) FROM OSSYS_ESPACE"));
        Assert.Equal("platform", result.Database);
        Assert.Equal(_db, result.SqlitePath);
        Assert.Equal(DatabaseEngineKind.Sqlite, result.Engine);
        Assert.True(result.Verified);
        Assert.True(result.HasChecksum);
        Assert.Equal(new FileInfo(file).Length, result.Size);
        Assert.True(reporter.ProgressUpdates[^1].Completed);
    }

    [Fact]
    public void Two_backups_in_the_same_second_get_distinct_names()
    {
        var at = DateTimeOffset.UtcNow;
        var a = _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups], Timestamp = at }, NullReporter.Instance);
        var b = _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups], Timestamp = at }, NullReporter.Instance);
        Assert.NotEqual(a.FilePath[0], b.FilePath[0]);
    }

    [Fact]
    public void Verify_says_what_it_checked_and_test_restore_cleans_up()
    {
        var backup = Backup();
        var result = _service.Verify(null, new VerifyOptions { FilePath = backup.FilePath, TestRestore = true, DataDirectory = _dir.Path }, NullReporter.Instance);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(new[] { "Header", "Checksum", "Integrity", "TestRestore" }, result.Checks.Select(c => c.Name));
        Assert.Contains(result.Checks, c => c.Method == "PRAGMA integrity_check");
        Assert.False(File.Exists(result.ScratchDatabase));
    }

    [Fact]
    public void A_bare_file_can_be_verified()
    {
        File.Copy(_db, _dir.File("bare.db"));
        var result = _service.Verify(null, new VerifyOptions { FilePath = [_dir.File("bare.db")] }, NullReporter.Instance);
        Assert.True(result.IsValid);
        Assert.Contains("no metadata file", result.Checks.Single(c => c.Name == "Metadata").Detail);
    }

    [Fact]
    public void A_changed_backup_fails_verification_and_is_not_restored()
    {
        var backup = Backup();
        using (var stream = new FileStream(backup.FilePath[0], FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(-100, SeekOrigin.End);
            stream.WriteByte(0x5A);
        }
        var verify = _service.Verify(null, new VerifyOptions { FilePath = backup.FilePath }, NullReporter.Instance);
        Assert.False(verify.IsValid);
        Assert.False(verify.Checks.Single(c => c.Name == "Checksum").Passed);

        var target = _dir.File("restored.db");
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(target), new RestoreOptions { FilePath = backup.FilePath }, NullReporter.Instance));
        Assert.Equal("BackupCorrupt", ex.ErrorId);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void A_damaged_file_is_BackupCorrupt()
    {
        var bad = _dir.File("bad.sqlite");
        File.Copy(_db, bad);
        using (var stream = new FileStream(bad, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(4096 + 10, SeekOrigin.Begin);
            stream.Write(new byte[2000]);
        }
        var verify = _service.Verify(null, new VerifyOptions { FilePath = [bad] }, NullReporter.Instance);
        Assert.False(verify.IsValid);
        File.WriteAllText(_dir.File("text.sqlite"), "not a database");
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Verify(null, new VerifyOptions { FilePath = [_dir.File("text.sqlite")] }, NullReporter.Instance));
        Assert.Equal("BackupCorrupt", ex.ErrorId);
    }

    [Fact]
    public void Restore_under_another_name_round_trips_the_data()
    {
        var backup = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 10;");
        var parallel = _dir.File("platform_parallel.db");
        var result = _service.Restore(new SqliteTarget(parallel), new RestoreOptions { FilePath = backup.FilePath }, NullReporter.Instance);
        Assert.Equal(5000, Scalar(parallel, "SELECT count(*) FROM OSSYS_ESPACE"));
        Assert.Equal("Module_4321", Scalar(parallel, "SELECT count(*) FROM OSSYS_ESPACE WHERE NAME = 'Module_4321'") == 1 ? "Module_4321" : "missing");
        Assert.Equal(10, Scalar(_db, "SELECT count(*) FROM OSSYS_ESPACE"));
        Assert.False(result.ReplacedExisting);
        Assert.Null(result.SafetyBackup);
        Assert.Equal("platform", result.SourceDatabase);
        Assert.Equal(parallel, result.SqlitePath);
    }

    [Fact]
    public void Restore_over_the_original_needs_WithReplace()
    {
        var backup = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE;");
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db), new RestoreOptions { FilePath = backup.FilePath }, NullReporter.Instance));
        Assert.Equal("DatabaseExists", ex.ErrorId);
        Assert.Equal(0, Scalar(_db, "SELECT count(*) FROM OSSYS_ESPACE"));
        Assert.Single(Directory.GetFiles(_backups, "*.sqlite"));
    }

    [Fact]
    public void Restore_over_the_original_takes_a_verified_safety_backup_first()
    {
        var backup = Backup();
        Execute(_db, "INSERT INTO OSSYS_ESPACE (ID, NAME) VALUES (9001, 'Written_After_Deploy');");
        var result = _service.Restore(new SqliteTarget(_db), new RestoreOptions { FilePath = backup.FilePath, WithReplace = true }, NullReporter.Instance);
        Assert.Equal(5000, Scalar(_db, "SELECT count(*) FROM OSSYS_ESPACE"));
        var safety = result.SafetyBackup!;
        Assert.True(safety.Verified);
        Assert.Contains("_safety", Path.GetFileName(safety.FilePath[0]));
        Assert.Equal(1, Scalar(safety.FilePath[0], "SELECT count(*) FROM OSSYS_ESPACE WHERE NAME = 'Written_After_Deploy'"));
        Assert.True(result.ReplacedExisting);

        // The pre-rollback data is recoverable into a parallel database (the runbook's last step).
        var parallel = _dir.File("platform_before_rollback.db");
        _service.Restore(new SqliteTarget(parallel), new RestoreOptions { FilePath = safety.FilePath }, NullReporter.Instance);
        Assert.Equal(5001, Scalar(parallel, "SELECT count(*) FROM OSSYS_ESPACE"));
    }

    [Fact]
    public void A_given_safety_backup_is_used_when_verified_and_recent()
    {
        var backup = Backup();
        var safety = Backup();
        var result = _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = backup.FilePath, WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = safety,
        }, NullReporter.Instance);
        Assert.Same(safety, result.SafetyBackup);
        Assert.Equal(2, Directory.GetFiles(_backups, "*.sqlite").Length);

        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = backup.FilePath, WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = safety, SafetyBackupMaxAge = TimeSpan.Zero,
        }, NullReporter.Instance));
        Assert.Equal("SafetyBackupTooOld", ex.ErrorId);
    }

    [Fact]
    public void The_backup_being_restored_or_a_deleted_file_is_no_safety_backup()
    {
        var backup = Backup();
        var before = File.ReadAllBytes(_db);
        var same = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = backup.FilePath, WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = backup,
        }, NullReporter.Instance));
        Assert.Equal("SafetyBackupIsRestoreSource", same.ErrorId);

        var gone = Backup();
        File.Delete(gone.FilePath[0]);
        var missing = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = backup.FilePath, WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = gone,
        }, NullReporter.Instance));
        Assert.Equal("SafetyBackupFileMissing", missing.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(_db)); // nothing was replaced
    }

    [Fact]
    public void A_backup_of_another_database_does_not_replace_it()
    {
        var backup = Backup();
        var other = _dir.File("billing.db");
        Execute(other, "CREATE TABLE T (X INTEGER); INSERT INTO T VALUES (1);");
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(other), new RestoreOptions { FilePath = backup.FilePath, WithReplace = true }, NullReporter.Instance));
        Assert.Equal("BackupOfAnotherDatabase", ex.ErrorId);
        Assert.Equal(1, Scalar(other, "SELECT count(*) FROM T"));
    }

    [Fact]
    public void Restore_into_a_file_another_connection_uses_is_seen_by_its_next_connection()
    {
        var backup = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE;");
        // The sandbox keeps no pool and opens a connection per request; one is open during the restore.
        using var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db, Pooling = false }.ConnectionString);
        reader.Open();
        _service.Restore(new SqliteTarget(_db), new RestoreOptions { FilePath = backup.FilePath, WithReplace = true }, NullReporter.Instance);
        using var cmd = reader.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM OSSYS_ESPACE";
        Assert.Equal(5000L, Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture));
        Assert.Equal(5000, Scalar(_db, "SELECT count(*) FROM OSSYS_ESPACE"));
    }

    [Fact]
    public void A_target_locked_by_a_writer_is_DatabaseBusy_and_left_unchanged()
    {
        var backup = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 1;");
        using var writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db, Pooling = false }.ConnectionString);
        writer.Open();
        using var tx = writer.BeginTransaction();
        using (var cmd = writer.CreateCommand()) { cmd.Transaction = tx; cmd.CommandText = "INSERT INTO OSSYS_ESPACE (ID, NAME) VALUES (77777, 'x')"; cmd.ExecuteNonQuery(); }
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = backup.FilePath, WithReplace = true, BusyRetries = 2, BusyRetryDelay = TimeSpan.Zero,
            SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = Backup(),
        }, NullReporter.Instance));
        Assert.Equal("DatabaseBusy", ex.ErrorId);
        tx.Rollback();
        Assert.Equal(1, Scalar(_db, "SELECT count(*) FROM OSSYS_ESPACE"));
    }

    [Fact]
    public void Missing_paths_are_clear_errors_and_create_nothing()
    {
        var missing = _dir.File("nope");
        Assert.Equal("BackupPathNotFound", Assert.ThrowsAny<OsRollbackException>(() => _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [missing] }, NullReporter.Instance)).ErrorId);
        Assert.Equal("DatabaseFileNotFound", Assert.ThrowsAny<OsRollbackException>(() => _service.Backup(new SqliteTarget(_dir.File("none.db")), new BackupOptions { Path = [_backups] }, NullReporter.Instance)).ErrorId);
        Assert.Equal("BackupFileNotFound", Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_dir.File("x.db")), new RestoreOptions { FilePath = [_dir.File("none.sqlite")] }, NullReporter.Instance)).ErrorId);
        Assert.Equal("BackupPathRequired", Assert.ThrowsAny<OsRollbackException>(() => _service.Backup(new SqliteTarget(_db), new BackupOptions(), NullReporter.Instance)).ErrorId);
        Assert.False(Directory.Exists(missing));
        Assert.False(File.Exists(_dir.File("none.db")));
        Assert.False(File.Exists(_dir.File("x.db")));
    }

    [Theory]
    [InlineData(13, "database or disk is full", "DiskFull")]
    [InlineData(5, "database is locked", "DatabaseBusy")]
    [InlineData(11, "database disk image is malformed", "BackupCorrupt")]
    [InlineData(26, "file is not a database", "BackupCorrupt")]
    [InlineData(14, "unable to open database file", "BackupPathAccessDenied")]
    public void Sqlite_failures_map_to_stable_error_ids(int code, string message, string errorId)
    {
        Assert.Equal(errorId, SqliteBackupEngine.Map(new SqliteException(message, code), _db, _db).ErrorId);
        Assert.Equal("DiskFull", SqliteBackupEngine.Map(new IOException("No space left on device", 28), _db, _db).ErrorId);
    }

    [Fact]
    public void An_explicit_file_is_never_overwritten()
    {
        var file = _dir.File("exists.sqlite");
        File.WriteAllText(file, "keep me");
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Backup(new SqliteTarget(_db), new BackupOptions { FilePath = [file] }, NullReporter.Instance));
        Assert.Equal("BackupFileExists", ex.ErrorId);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void Cancellation_leaves_no_partial_file()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance, cts.Token));
        Assert.Empty(Directory.GetFiles(_backups));
    }

    [Fact]
    public void History_lists_backups_newest_first_from_metadata_files()
    {
        var times = new[] { 1, 2, 3 }.Select(d => new DateTimeOffset(2026, 11, d, 10, 0, 0, TimeSpan.Zero)).ToList();
        var time = new FakeTimeProvider();
        var service = new DatabaseBackupService(time);
        foreach (var at in times)
        {
            time.SetUtcNow(at);
            service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance);
        }
        File.Copy(_db, Path.Combine(_backups, "not-ours.sqlite"));
        var history = _service.GetHistory(new SqliteTarget(_db), new BackupHistoryQuery { Path = [_backups] });
        Assert.Equal(3, history.Count);
        Assert.True(history[0].Start > history[1].Start && history[1].Start > history[2].Start);
        Assert.Single(_service.GetHistory(new SqliteTarget(_db), new BackupHistoryQuery { Path = [_backups], Last = 1 }));
        Assert.Equal(2, _service.GetHistory(new SqliteTarget(_db), new BackupHistoryQuery { Path = [_backups], Since = times[1] }).Count);
        Assert.Empty(_service.GetHistory(new SqliteTarget(_dir.File("other.db")), new BackupHistoryQuery { Path = [_backups] }));
    }

    [Fact]
    public void Retention_removes_only_old_backups_this_module_wrote()
    {
        var times = Enumerable.Range(1, 4).Select(d => new DateTimeOffset(2026, 11, d, 10, 0, 0, TimeSpan.Zero)).ToList();
        var time = new FakeTimeProvider();
        var service = new DatabaseBackupService(time);
        var written = times.Select(at =>
        {
            time.SetUtcNow(at);
            return service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance);
        }).ToList();
        var foreign = Path.Combine(_backups, "platform_manual.sqlite");
        File.Copy(_db, foreign);

        var asked = new List<BackupResult>();
        var none = _service.RemoveOld(new SqliteTarget(_db), new RetentionOptions { Path = [_backups], KeepLast = 2 }, b => { asked.Add(b); return false; }, NullReporter.Instance);
        Assert.Empty(none);
        Assert.Equal(2, asked.Count);
        Assert.Equal(5, Directory.GetFiles(_backups, "*.sqlite").Length);

        var removed = _service.RemoveOld(new SqliteTarget(_db), new RetentionOptions { Path = [_backups], KeepLast = 2 }, _ => true, NullReporter.Instance);
        Assert.Equal(new[] { written[1].FilePath[0], written[0].FilePath[0] }, removed.Select(r => r.FilePath[0]));
        Assert.True(File.Exists(foreign));
        Assert.True(File.Exists(written[3].FilePath[0]) && File.Exists(written[2].FilePath[0]));
        Assert.False(File.Exists(written[0].FilePath[0] + ".osrollback.json"));

        var byAge = new DatabaseBackupService(new FakeTimeProvider(new DateTimeOffset(2026, 11, 4, 12, 0, 0, TimeSpan.Zero)));
        var old = byAge.RemoveOld(new SqliteTarget(_db), new RetentionOptions { Path = [_backups], OlderThan = TimeSpan.FromDays(1) }, _ => true, NullReporter.Instance);
        Assert.Equal(written[2].FilePath[0], Assert.Single(old).FilePath[0]);
        Assert.Equal("RetentionRuleRequired", Assert.ThrowsAny<OsRollbackException>(() => _service.SelectForRemoval(new SqliteTarget(_db), new RetentionOptions { Path = [_backups] })).ErrorId);
    }

    [Fact]
    public void Retention_never_takes_a_rollback_points_backup()
    {
        // Retention pointed at a rollback point's own database folder: its backup belongs to the point.
        var point = Path.Combine(_backups, "rollback-points", "Production-1");
        var folder = Path.Combine(point, "database");
        Directory.CreateDirectory(folder);
        var inPoint = _service.Backup(new SqliteTarget(_db), new BackupOptions { Path = [folder] }, NullReporter.Instance);
        var retention = new RetentionOptions { Path = [folder], OlderThan = TimeSpan.FromTicks(1) };
        Assert.Single(_service.SelectForRemoval(new SqliteTarget(_db), retention)); // an ordinary folder: selected

        File.WriteAllText(Path.Combine(point, "rollback-point.json"), "{}");
        Assert.Empty(_service.SelectForRemoval(new SqliteTarget(_db), retention));
        Assert.True(File.Exists(inPoint.FilePath[0]));
    }
}
