using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Tests.Database;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>The Database strategy's fast paths wired into rollback points, plans and runs.</summary>
public class RollbackFastRevertTests
{
    private const string Snap = "outsystems_osrollback_snap_20261126_120000";
    private const string Mark = "OsRollback_20261126_120000";

    private static async Task<(RollbackScenario Scenario, RecordingFastRevert FastRevert)> PointWithSnapshotAsync(string? snapshot = Snap, string? mark = Mark)
    {
        var s = new RollbackScenario();
        var fast = new RecordingFastRevert(s.World, snapshot, mark);
        s.World.DatabaseContent[s.Database.DisplayName] = "DB:pre-deploy";
        s.Point = await new RollbackPointBuilder(s.Catalog, Ports(s.World, fast)).CreateAsync(new RollbackPointRequest { Environment = "Production", Database = s.Database }, s.Reporter, CancellationToken.None);
        s.World.Deploy("Production", "orders-v2");
        s.World.DatabaseContent[s.Database.DisplayName] = "DB:post-deploy";
        s.World.Calls.Clear();
        return (s, fast);
    }

    private static RollbackPorts Ports(FakeWorld world, IFastRevertDatabase fast)
    {
        var p = world.Ports();
        return new RollbackPorts { Platform = p.Platform, Database = p.Database, Schema = p.Schema, Smoke = p.Smoke, Firewall = p.Firewall, ModuleGraph = p.ModuleGraph, Identity = p.Identity, Procedure = p.Procedure, FastRevert = fast };
    }

    private static RevertFacts Facts(bool snapshotExists = true, LogChainState chain = LogChainState.Complete, params string[] others) => new()
    {
        Engine = DatabaseEngineKind.SqlServer,
        SnapshotName = Snap,
        SnapshotExists = snapshotExists,
        OtherSnapshots = others,
        SnapshotBytesOnDisk = 600L * 1024 * 1024,
        RecoveryModel = "FULL",
        MarkName = Mark,
        LogChain = chain,
        LogChainBytes = 30L * 1024 * 1024 * 1024,
        DatabaseBytes = 40L * 1024 * 1024 * 1024,
    };

    private static Task<RollbackPlan> PlanAsync(RollbackScenario s, RevertFacts? facts, SharedServerFeatures? shared = null) =>
        new RollbackPlanner(s.World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = s.Point,
            Reason = "INC-42 orders page broken",
            Strategy = RollbackStrategy.Database,
            AllowDataLoss = true,
            RevertFacts = facts,
            SharedServer = shared,
            BytesPerSecond = 100d * 1024 * 1024,
        }, s.Reporter, CancellationToken.None);

    [Fact]
    public async Task A_rollback_point_records_the_snapshot_and_the_mark_and_warns_about_the_snapshot_size()
    {
        var (s, _) = await PointWithSnapshotAsync();
        using var _s = s;
        var reloaded = s.Catalog.Open(s.Point.Id);
        Assert.Equal(Snap, reloaded.Manifest.FastRevert!.SnapshotName);
        Assert.Equal(Mark, reloaded.Manifest.FastRevert.MarkName);
        Assert.Contains(s.Reporter.Warnings, w => w.Contains(Snap) && w.Contains("grows") && w.Contains("Remove-OsRollbackPoint"));
    }

    [Fact]
    public async Task The_plan_for_a_point_with_a_snapshot_reverts_from_it_and_says_why_and_the_expected_outage()
    {
        var (s, _) = await PointWithSnapshotAsync();
        using var _s = s;
        var plan = await PlanAsync(s, Facts(others: "old_snap"));
        Assert.Equal(RestorePathKind.SnapshotRevert, plan.RestorePath!.Path);
        Assert.Equal(600L * 1024 * 1024, plan.RestorePath.BytesToWrite);
        Assert.Equal(TimeSpan.FromSeconds(6), plan.RestorePath.ExpectedOutage); // 600 MB at 100 MB/s
        Assert.Contains("old_snap", plan.RestorePath.Reason);
        var revert = Assert.Single(plan.Steps.OfType<RevertToSnapshotStep>());
        Assert.Equal(Snap, revert.SnapshotName);
        Assert.Empty(plan.Steps.OfType<RestoreDatabaseStep>());
        var why = plan.Assessments.Single(a => a.Chosen).Reason;
        Assert.Contains("SnapshotRevert", why);
        Assert.Contains("expected outage of the restore about 6 s", why);
        // The plan file keeps the path for review and approval.
        var path = Path.Combine(s.Temp.Path, "plan.json");
        RollbackPlanFile.Write(plan, path, PlanFormat.Json);
        var read = RollbackPlanFile.Read(path);
        Assert.Equal(RestorePathKind.SnapshotRevert, read.RestorePath!.Path);
        Assert.Equal(RollbackPlanDigest.Compute(plan), RollbackPlanDigest.Compute(read)); // what was approved is what runs
        var full = await PlanAsync(s, null);
        RollbackPlanFile.Write(full, path, PlanFormat.Json);
        Assert.Equal(RollbackPlanDigest.Compute(full), RollbackPlanDigest.Compute(RollbackPlanFile.Read(path)));
    }

    [Fact]
    public async Task Without_the_snapshot_the_plan_restores_to_the_mark_and_with_a_broken_chain_it_restores_the_full_backup()
    {
        var (s, _) = await PointWithSnapshotAsync();
        using var _s = s;
        var toMark = await PlanAsync(s, Facts(snapshotExists: false));
        Assert.Equal(RestorePathKind.LogChainToMark, toMark.RestorePath!.Path);
        Assert.Equal(Mark, Assert.Single(toMark.Steps.OfType<RestoreToMarkStep>()).MarkName);
        Assert.Contains(toMark.RestorePath.Rejected, r => r.Contains("no longer exists"));

        var full = await PlanAsync(s, Facts(snapshotExists: false, chain: LogChainState.Broken));
        Assert.Equal(RestorePathKind.FullRestore, full.RestorePath!.Path);
        Assert.Single(full.Steps.OfType<RestoreDatabaseStep>());
        Assert.Contains(full.RestorePath.Rejected, r => r.Contains("log chain is broken"));
    }

    [Fact]
    public async Task A_snapshot_the_point_did_not_record_is_never_reverted_to()
    {
        var (s, _) = await PointWithSnapshotAsync(snapshot: null, mark: null);
        using var _s = s;
        var plan = await PlanAsync(s, Facts());
        Assert.Equal(RestorePathKind.FullRestore, plan.RestorePath!.Path);
        Assert.Empty(plan.Steps.OfType<RevertToSnapshotStep>());
    }

    [Fact]
    public async Task A_database_in_an_availability_group_stops_planning_with_instructions()
    {
        var (s, _) = await PointWithSnapshotAsync();
        using var _s = s;
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => PlanAsync(s, Facts(), new SharedServerFeatures { Database = "outsystems", AvailabilityGroup = "ag1" }));
        Assert.Equal("DatabaseInAvailabilityGroup", ex.ErrorId);
        Assert.False(string.IsNullOrEmpty(ex.RecommendedAction));
    }

    [Fact]
    public async Task The_run_reverts_inside_the_outage_and_restores_the_parallel_database_after_the_firewall_opens()
    {
        var (s, fast) = await PointWithSnapshotAsync();
        using var _s = s;
        var plan = await PlanAsync(s, Facts());
        var result = await s.ExecuteAsync(plan, executor: new RollbackRun(s.Catalog, Ports(s.World, fast)));
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        var calls = s.World.Calls;
        Assert.DoesNotContain("Restore", calls); // no full restore
        Assert.True(calls.IndexOf("Backup pre-rollback") < calls.IndexOf("RevertToSnapshot " + Snap));
        Assert.True(calls.IndexOf("RevertToSnapshot " + Snap) < calls.IndexOf("Firewall online"));
        Assert.True(calls.IndexOf("Firewall online") < calls.IndexOf("RestoreParallel"));
        Assert.Equal("DB:pre-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
        Assert.Contains("after the applications are open again", plan.Steps.OfType<RestoreParallelStep>().Single().Title, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_plan_with_a_revert_needs_the_fast_revert_port_and_changes_nothing_without_it()
    {
        var (s, _) = await PointWithSnapshotAsync();
        using var _s = s;
        var plan = await PlanAsync(s, Facts());
        var before = s.World.State();
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan));
        Assert.Equal("PlatformNotConnected", ex.ErrorId);
        Assert.Equal(before, s.World.State());
    }

    [Fact]
    public async Task The_adapter_runs_tail_log_then_drops_other_snapshots_then_reverts_then_takes_a_full_backup_on_the_recording_fake()
    {
        var fake = new FakeSqlServer();
        fake.Answer("source_database_id", () => [FakeSqlServer.Row(("name", Snap)), FakeSqlServer.Row(("name", "old_snap"))]);
        var adapter = new FastRevertAdapter(fake.Open, new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 13, 0, 0, TimeSpan.Zero)));
        var info = new RollbackFastRevertInfo { Database = "outsystems", SnapshotName = Snap, MarkName = Mark, RecoveryModel = "FULL" };
        var result = await adapter.RevertToSnapshotAsync(new SqlServerTarget("sql01", "outsystems"), info, @"D:\Backup", NullReporter.Instance, CancellationToken.None);
        var order = new[] { "BACKUP LOG", "DROP DATABASE [old_snap]", "FROM DATABASE_SNAPSHOT", "BACKUP DATABASE" }
            .Select(k => result.Steps.ToList().FindIndex(sql => sql.Contains(k, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.OrderBy(i => i), order);
        foreach (var sql in result.Steps) TSql.AssertParses(sql);
        Assert.NotNull(result.FullBackupAfter);
    }

    [Fact]
    public async Task The_adapter_refuses_a_missing_snapshot_and_changes_nothing()
    {
        var fake = new FakeSqlServer();
        fake.Answer("source_database_id", () => []);
        var adapter = new FastRevertAdapter(fake.Open);
        var info = new RollbackFastRevertInfo { Database = "outsystems", SnapshotName = Snap, RecoveryModel = "FULL" };
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => adapter.RevertToSnapshotAsync(new SqlServerTarget("sql01", "outsystems"), info, @"D:\Backup", NullReporter.Instance, CancellationToken.None));
        Assert.Contains("Snapshot", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, sql => sql.Contains("RESTORE", StringComparison.Ordinal) || sql.Contains("BACKUP", StringComparison.Ordinal));
    }
}

/// <summary>A fast-revert port that records into the fake world: the revert brings back the pre-deploy content.</summary>
public sealed class RecordingFastRevert(FakeWorld world, string? snapshot, string? mark) : IFastRevertDatabase
{
    public async Task<RollbackFastRevertInfo?> CreateAtRollbackPointAsync(DatabaseTarget target, BackupRecord fullBackup, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("CreateSnapshot");
        _preDeploy = world.DatabaseContent.GetValueOrDefault(target.DisplayName, "DB:empty");
        return new RollbackFastRevertInfo { Database = target.DisplayName, SnapshotName = snapshot, MarkName = mark, RecoveryModel = "FULL", FullBackupLastLsn = 42m };
    }

    private string _preDeploy = "";

    public Task<RevertFacts> ReadFactsAsync(DatabaseTarget target, RollbackFastRevertInfo info, long databaseBytes, CancellationToken cancellationToken) => throw new NotSupportedException("plans take their facts from the test");

    public async Task<RevertResult> RevertToSnapshotAsync(DatabaseTarget target, RollbackFastRevertInfo info, string backupFolder, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("RevertToSnapshot " + info.SnapshotName);
        world.DatabaseContent[target.DisplayName] = _preDeploy;
        world.IdentityValues[target.DisplayName] = 10;
        return new RevertResult(target.DisplayName, RestorePathKind.SnapshotRevert, ["BACKUP LOG", "RESTORE DATABASE", "BACKUP DATABASE"], null);
    }

    public async Task<RevertResult> RestoreToMarkAsync(DatabaseTarget target, string fullBackupPath, RollbackFastRevertInfo info, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("RestoreToMark " + info.MarkName);
        world.DatabaseContent[target.DisplayName] = _preDeploy;
        return new RevertResult(target.DisplayName, RestorePathKind.LogChainToMark, ["RESTORE DATABASE", "RESTORE LOG"], null);
    }

    public Task<SharedServerFeatures?> ReadSharedServerAsync(DatabaseTarget target, CancellationToken cancellationToken) => Task.FromResult<SharedServerFeatures?>(null);

    public async Task DropAsync(DatabaseTarget target, RollbackFastRevertInfo info, CancellationToken cancellationToken) => await world.Act("DropSnapshot " + info.SnapshotName);
}
