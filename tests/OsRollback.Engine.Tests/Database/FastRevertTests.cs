using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Database.SqlServer;

namespace OsRollback.Engine.Tests.Database;

/// <summary>Snapshot revert, log chain to the mark, and the path chooser, on the recording fake.</summary>
public class FastRevertTests
{
    private static readonly SqlServerTarget Target = new("sql01", "outsystems");
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private const string Snap = "outsystems_osrollback_snap_20261126_120000";

    private static FakeSqlServer Server(string recovery = "FULL", int edition = 3, long free = 500_000_000_000, params string[] snapshots)
    {
        var fake = new FakeSqlServer();
        fake.Answer("sys.dm_os_volume_stats", () =>
        [
            FakeSqlServer.Row(("EngineEdition", edition), ("MajorVersion", 16), ("ProductLevel", "RTM"), ("recovery_model_desc", recovery), ("has_read_only_files", false),
                ("logical_name", "outsystems"), ("physical_name", @"F:\Data\outsystems.mdf"), ("type_desc", "ROWS"), ("size_bytes", 40_000_000_000L), ("available_bytes", free)),
            FakeSqlServer.Row(("EngineEdition", edition), ("MajorVersion", 16), ("ProductLevel", "RTM"), ("recovery_model_desc", recovery), ("has_read_only_files", false),
                ("logical_name", "outsystems_2"), ("physical_name", @"G:\Data\outsystems_2.ndf"), ("type_desc", "ROWS"), ("size_bytes", 10_000_000_000L), ("available_bytes", free)),
            FakeSqlServer.Row(("EngineEdition", edition), ("MajorVersion", 16), ("ProductLevel", "RTM"), ("recovery_model_desc", recovery), ("has_read_only_files", false),
                ("logical_name", "outsystems_log"), ("physical_name", @"L:\Log\outsystems_log.ldf"), ("type_desc", "LOG"), ("size_bytes", 5_000_000_000L), ("available_bytes", free)),
        ]);
        fake.Answer("source_database_id", () => snapshots.Select(s => FakeSqlServer.Row(("name", s))).ToList());
        return fake;
    }

    private static SqlServerFastRevert Engine(FakeSqlServer fake) => new(fake.Open, new FakeTimeProvider(Now));

    private static RollbackPointSnapshot Point(string recovery = "FULL") =>
        new("outsystems", Snap, [new SparseFile("outsystems", @"F:\Data\x.ss")], "OsRollback_20261126_120000", recovery, []);

    private static readonly FastRevertOptions Options = new() { BackupFolder = @"D:\Backup" };

    [Fact]
    public void The_rollback_point_creates_a_snapshot_with_one_sparse_file_per_data_file_and_a_marked_transaction()
    {
        var fake = Server();
        var point = Engine(fake).CreateAtRollbackPoint(Target, new FastRevertOptions(), NullReporter.Instance);
        Assert.Equal(Snap, point.SnapshotName);
        Assert.Equal("OsRollback_20261126_120000", point.MarkName);
        Assert.True(point.MarkName!.Length <= 32); // a transaction name
        var create = fake.Sql.Single(s => s.StartsWith("CREATE DATABASE", StringComparison.Ordinal));
        Assert.Contains(@"(NAME = [outsystems], FILENAME = N'F:\Data\" + Snap + "_outsystems.ss')", create);
        Assert.Contains(@"(NAME = [outsystems_2], FILENAME = N'G:\Data\" + Snap + "_outsystems_2.ss')", create);
        Assert.DoesNotContain("outsystems_log", create);
        Assert.EndsWith("AS SNAPSHOT OF [outsystems];", create);
        var mark = fake.Statements.Single(s => s.Sql.Contains("WITH MARK"));
        Assert.Equal("outsystems", mark.Database); // in the database's own log
        Assert.Contains("INSERT INTO dbo.OsRollbackDeployMark", mark.Sql);
        Assert.Contains("COMMIT TRANSACTION [OsRollback_20261126_120000]", mark.Sql);
        TSql.AssertParses(create);
        TSql.AssertParses(mark.Sql);
    }

    [Fact]
    public void Simple_recovery_gets_a_snapshot_but_no_mark_and_azure_gets_neither()
    {
        var simple = Server("SIMPLE");
        var point = Engine(simple).CreateAtRollbackPoint(Target, new FastRevertOptions(), NullReporter.Instance);
        Assert.NotNull(point.SnapshotName);
        Assert.Null(point.MarkName);
        Assert.DoesNotContain(simple.Sql, s => s.Contains("WITH MARK"));

        var azure = Server("FULL", edition: 5);
        var none = Engine(azure).CreateAtRollbackPoint(Target, new FastRevertOptions(), NullReporter.Instance);
        Assert.Null(none.SnapshotName);
        Assert.Contains(none.Notes, n => n.Contains("Azure SQL Database"));
        Assert.DoesNotContain(azure.Sql, s => s.StartsWith("CREATE DATABASE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_volume_too_small_gets_no_snapshot_and_a_tight_one_a_size_warning()
    {
        var tiny = Server(free: 1_000_000_000);
        var point = Engine(tiny).CreateAtRollbackPoint(Target, new FastRevertOptions(), NullReporter.Instance);
        Assert.Null(point.SnapshotName);
        Assert.Contains(point.Notes, n => n.Contains("could fill the disk"));
        Assert.DoesNotContain(tiny.Sql, s => s.StartsWith("CREATE DATABASE", StringComparison.Ordinal));

        var tight = Server(free: 20_000_000_000);
        var reporter = new RecordingReporter();
        Assert.NotNull(Engine(tight).CreateAtRollbackPoint(Target, new FastRevertOptions(), reporter).SnapshotName);
        Assert.Contains(reporter.Warnings, w => w.StartsWith("Size warning", StringComparison.Ordinal));
    }

    [Fact]
    public void Revert_runs_tail_log_then_drops_other_snapshots_then_reverts_then_takes_a_full_backup()
    {
        var fake = Server("FULL", snapshots: [Snap, "outsystems_manual_snap"]);
        var result = Engine(fake).RevertToSnapshot(Target, Point(), Options, NullReporter.Instance);
        var steps = result.Steps.ToList();
        int At(string prefix)
        {
            var i = steps.FindIndex(s => s.StartsWith(prefix, StringComparison.Ordinal) || (prefix == "MULTI_USER" && s.Contains("SET MULTI_USER")));
            Assert.True(i >= 0, "missing step: " + prefix);
            return i;
        }
        Assert.True(At("ALTER DATABASE [outsystems] SET SINGLE_USER") == 0);
        Assert.True(At("BACKUP LOG [outsystems]") < At("IF DB_ID(N'outsystems_manual_snap') IS NOT NULL DROP DATABASE"));
        Assert.True(At("IF DB_ID(N'outsystems_manual_snap')") < At("RESTORE DATABASE [outsystems] FROM DATABASE_SNAPSHOT = N'" + Snap + "'"));
        Assert.True(At("RESTORE DATABASE") < At("MULTI_USER"));
        Assert.True(At("MULTI_USER") < At("BACKUP DATABASE [outsystems]"));
        Assert.DoesNotContain("NORECOVERY", steps[At("BACKUP LOG")]); // the revert needs the database online
        Assert.DoesNotContain("COPY_ONLY", steps[At("BACKUP DATABASE")]); // the base of the new log chain
        Assert.DoesNotContain(steps, s => s.Contains("DROP DATABASE [" + Snap + "]"));
        Assert.NotNull(result.FullBackupAfter);
        Assert.All(steps, s => TSql.AssertParses(s));
    }

    [Fact]
    public void Simple_recovery_reverts_without_a_tail_log_backup()
    {
        var fake = Server("SIMPLE", snapshots: [Snap]);
        var result = Engine(fake).RevertToSnapshot(Target, Point("SIMPLE"), Options, NullReporter.Instance);
        Assert.DoesNotContain(result.Steps, s => s.StartsWith("BACKUP LOG", StringComparison.Ordinal));
        Assert.Contains(result.Steps, s => s.Contains("FROM DATABASE_SNAPSHOT"));
    }

    [Fact]
    public void A_missing_snapshot_changes_nothing()
    {
        var fake = Server("FULL", snapshots: ["outsystems_manual_snap"]);
        var ex = Assert.Throws<OsRollbackException>(() => Engine(fake).RevertToSnapshot(Target, Point(), Options, NullReporter.Instance));
        Assert.Equal("SnapshotMissing", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.StartsWith("ALTER", StringComparison.Ordinal) || s.StartsWith("BACKUP", StringComparison.Ordinal) || s.StartsWith("RESTORE", StringComparison.Ordinal) || s.Contains("DROP"));
    }

    [Fact]
    public void Other_snapshots_refuse_the_revert_when_they_may_not_be_dropped()
    {
        var fake = Server("FULL", snapshots: [Snap, "outsystems_manual_snap"]);
        var ex = Assert.Throws<OsRollbackException>(() => Engine(fake).RevertToSnapshot(Target, Point(), new FastRevertOptions { BackupFolder = @"D:\Backup", DropOtherSnapshots = false }, NullReporter.Instance));
        Assert.Equal("RevertRefusedOtherSnapshots", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.StartsWith("ALTER", StringComparison.Ordinal) || s.StartsWith("BACKUP", StringComparison.Ordinal) || s.StartsWith("RESTORE", StringComparison.Ordinal) || s.Contains("DROP"));
    }

    [Fact]
    public void A_full_disk_during_the_tail_log_backup_stops_before_the_revert_and_reopens_the_database()
    {
        var fake = Server("FULL", snapshots: [Snap, "outsystems_manual_snap"]);
        fake.FailOn("BACKUP LOG", () => SqlErrors.Map(3202, 16, "Write on \"D:\\Backup\\x.trn\" failed: 112(There is not enough space on the disk.)", "sql01", false));
        var ex = Assert.Throws<OsRollbackException>(() => Engine(fake).RevertToSnapshot(Target, Point(), Options, NullReporter.Instance));
        Assert.Equal("DiskFull", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.Contains("FROM DATABASE_SNAPSHOT") || s.Contains("DROP DATABASE"));
        Assert.Contains("SET MULTI_USER", fake.Sql.Last());
    }

    [Fact]
    public void The_log_chain_path_restores_full_then_logs_to_the_mark_and_refuses_a_gap()
    {
        var full = new BackupResult { Database = "outsystems", FilePath = [@"D:\Backup\full.bak"], LastLsn = 1000m };
        var fake = Server();
        fake.Answer("bs.type = 'L'", () =>
        [
            FakeSqlServer.Row(("backup_set_id", 1L), ("first_lsn", 1000m), ("last_lsn", 2000m), ("physical_device_name", @"D:\Backup\1.trn")),
            FakeSqlServer.Row(("backup_set_id", 2L), ("first_lsn", 2000m), ("last_lsn", 3000m), ("physical_device_name", @"D:\Backup\2.trn")),
        ]);
        var result = Engine(fake).RestoreToMark(Target, full, Point(), NullReporter.Instance);
        Assert.Collection(result.Steps,
            s => Assert.Contains("NORECOVERY, REPLACE", s),
            s => { Assert.Contains(@"1.trn", s); Assert.Contains("NORECOVERY, STOPBEFOREMARK = N'OsRollback_20261126_120000'", s); },
            s => { Assert.Contains(@"2.trn", s); Assert.Contains("RECOVERY, STOPBEFOREMARK", s); Assert.DoesNotContain("NORECOVERY", s); });
        Assert.All(result.Steps, s => TSql.AssertParses(s));

        var gap = Server();
        gap.Answer("bs.type = 'L'", () =>
        [
            FakeSqlServer.Row(("backup_set_id", 1L), ("first_lsn", 1000m), ("last_lsn", 2000m), ("physical_device_name", @"D:\Backup\1.trn")),
            FakeSqlServer.Row(("backup_set_id", 3L), ("first_lsn", 2500m), ("last_lsn", 3000m), ("physical_device_name", @"D:\Backup\3.trn")),
        ]);
        var ex = Assert.Throws<OsRollbackException>(() => Engine(gap).RestoreToMark(Target, full, Point(), NullReporter.Instance));
        Assert.Equal("LogChainBroken", ex.ErrorId);
        Assert.DoesNotContain(gap.Sql, s => s.StartsWith("RESTORE", StringComparison.Ordinal));
    }

    [Fact]
    public void The_chooser_takes_the_fastest_safe_path_and_says_why()
    {
        var chooser = new RestorePathChooser { BytesPerSecond = 100_000_000 };
        var all = new RevertFacts
        {
            SnapshotName = Snap, SnapshotExists = true, SnapshotBytesOnDisk = 2_000_000_000, RecoveryModel = "FULL", MarkName = "m",
            LogChain = LogChainState.Complete, LogChainBytes = 30_000_000_000, DatabaseBytes = 50_000_000_000,
        };
        var snapshot = chooser.Choose(all);
        Assert.Equal(RestorePathKind.SnapshotRevert, snapshot.Path);
        Assert.Equal(TimeSpan.FromSeconds(20), snapshot.ExpectedOutage); // pages changed since the deploy, not the database size

        var noSnapshot = chooser.Choose(all with { SnapshotExists = false });
        Assert.Equal(RestorePathKind.LogChainToMark, noSnapshot.Path);
        Assert.Contains(noSnapshot.Rejected, r => r.Contains("no longer exists"));

        var broken = chooser.Choose(all with { SnapshotExists = false, LogChain = LogChainState.Broken });
        Assert.Equal(RestorePathKind.FullRestore, broken.Path);
        Assert.Equal(TimeSpan.FromSeconds(500), broken.ExpectedOutage);
        Assert.Contains(broken.Rejected, r => r.Contains("LSN gap"));

        var simple = chooser.Choose(all with { SnapshotName = null, RecoveryModel = "SIMPLE" });
        Assert.Equal(RestorePathKind.FullRestore, simple.Path);

        var sqlite = chooser.Choose(RevertFacts.Unread(DatabaseProviders.Default.For(DatabaseEngineKind.Sqlite), 300_000_000));
        Assert.Equal(RestorePathKind.FullRestore, sqlite.Path);
        Assert.Contains("SQLite", sqlite.Reason);
    }

    [Fact]
    public void Every_fast_revert_statement_parses_with_hostile_names()
    {
        foreach (var name in TSqlVariantsTests.HostileNames)
        {
            var devices = new[] { new BackupDevice(@"D:\it's\" + name + ".trn") };
            TSql.AssertParses(FastRevertScripts.CreateSnapshot(name + "_snap", name, [new SparseFile(name, @"F:\o'brien\" + name + ".ss"), new SparseFile(name + "_2", "/var/x.ss")]));
            TSql.AssertParses(FastRevertScripts.DropSnapshot(name));
            TSql.AssertParses(FastRevertScripts.BackupTailLog(name, devices));
            TSql.AssertParses(FastRevertScripts.SetSingleUser(name));
            TSql.AssertParses(FastRevertScripts.RevertToSnapshot(name, name + "_snap"));
            TSql.AssertParses(FastRevertScripts.RestoreFullNoRecovery(name, devices));
            TSql.AssertParses(FastRevertScripts.RestoreLogToMark(name, devices, "OsRollback_20261126_120000", true));
            TSql.AssertParses(FastRevertScripts.RestoreLogToMark(name, devices, "OsRollback_20261126_120000", false));
        }
        TSql.AssertParses(FastRevertScripts.MarkTransaction("OsRollback_20261126_120000", "it's the deploy"));
        TSql.AssertParses(FastRevertScripts.EnsureMarkTable);
        TSql.AssertParses(FastRevertScripts.Probe);
        TSql.AssertParses(FastRevertScripts.Snapshots);
        TSql.AssertParses(FastRevertScripts.SnapshotSizeOnDisk);
        TSql.AssertParses(FastRevertScripts.LogChain);
        TSql.AssertParses(FastRevertScripts.MarkHistory);
    }
}
