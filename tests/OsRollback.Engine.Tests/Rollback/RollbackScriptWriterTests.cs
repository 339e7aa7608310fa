using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Rollback.Scripting;
using OsRollback.Engine.Tests.Database;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Database.SqlServer;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Invoke-OsRollback -OutputScriptOnly: the runbook's T-SQL, from the builders the run uses, in the run's order.</summary>
public class RollbackScriptWriterTests
{
    private const string Snap = "outsystems_osrollback_snap_20261126_120000";
    private const string Mark = "OsRollback_20261126_120000";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 13, 0, 0, TimeSpan.Zero);
    private static readonly SqlServerTarget Sql = new("sql01", "outsystems");

    private static async Task<(RollbackScenario Scenario, RecordingFastRevert FastRevert)> PointAsync()
    {
        var s = new RollbackScenario();
        var fast = new RecordingFastRevert(s.World, Snap, Mark);
        s.World.DatabaseContent[s.Database.DisplayName] = "DB:pre-deploy";
        var p = s.World.Ports();
        var ports = new RollbackPorts { Platform = p.Platform, Database = p.Database, Schema = p.Schema, Smoke = p.Smoke, Firewall = p.Firewall, ModuleGraph = p.ModuleGraph, Identity = p.Identity, Procedure = p.Procedure, FastRevert = fast };
        s.Point = await new RollbackPointBuilder(s.Catalog, ports).CreateAsync(new RollbackPointRequest { Environment = "Production", Database = s.Database }, s.Reporter, CancellationToken.None);
        s.World.Deploy("Production", "orders-v2");
        s.World.Calls.Clear();
        return (s, fast);
    }

    private static Task<RollbackPlan> PlanAsync(RollbackScenario s, RestorePathKind path) =>
        new RollbackPlanner(s.World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = s.Point,
            Reason = "INC-42 orders page broken",
            Strategy = RollbackStrategy.Database,
            AllowDataLoss = true,
            RevertFacts = path == RestorePathKind.FullRestore ? null : new RevertFacts
            {
                Engine = DatabaseEngineKind.SqlServer, SnapshotName = Snap, SnapshotExists = path == RestorePathKind.SnapshotRevert, SnapshotBytesOnDisk = 1024,
                RecoveryModel = "FULL", MarkName = Mark, LogChain = LogChainState.Complete, LogChainBytes = 2048, DatabaseBytes = 1L << 30,
            },
        }, s.Reporter, CancellationToken.None);

    /// <summary>The point's platform database as SQL Server (the scenario's world runs on SQLite files).</summary>
    private static RollbackPoint OnSqlServer(RollbackPoint point)
    {
        point.Manifest.Database = RollbackDatabaseInfo.From(Sql);
        return point;
    }

    [Theory]
    [InlineData(RestorePathKind.SnapshotRevert, "FROM DATABASE_SNAPSHOT")]
    [InlineData(RestorePathKind.LogChainToMark, "WITH CHECKSUM, NORECOVERY, REPLACE")]
    [InlineData(RestorePathKind.FullRestore, "RESTORE DATABASE [outsystems]")]
    public async Task Every_statement_of_each_restore_path_parses_and_every_step_has_its_comment_in_plan_order(RestorePathKind path, string restore)
    {
        var (s, _) = await PointAsync();
        using var _s = s;
        var plan = await PlanAsync(s, path);
        Assert.Equal(path, plan.RestorePath!.Path);
        var sections = RollbackScriptWriter.Sections(plan, OnSqlServer(s.Point), Now);
        Assert.Equal(plan.Steps.Select(st => st.Number), sections.Select(x => x.Step.Number));
        foreach (var section in sections)
        {
            Assert.Equal($"-- Step {section.Step.Number}/{plan.Steps.Count} ({section.Step.Kind}): {section.Step.Title}", section.Lines[0].Text);
            foreach (var sql in section.Statements) TSql.AssertParses(sql);
        }
        var statements = sections.SelectMany(x => x.Statements).ToList();
        Assert.Contains(statements, sql => sql.Contains(restore, StringComparison.Ordinal));
        Assert.Contains(statements, sql => sql.StartsWith("BACKUP DATABASE [outsystems]", StringComparison.Ordinal) && sql.Contains("pre-rollback.bak", StringComparison.Ordinal));
        Assert.Contains(statements, sql => sql.StartsWith("RESTORE FILELISTONLY", StringComparison.Ordinal)); // the parallel database's file list
        // Platform steps contribute their comment only.
        Assert.All(sections.Where(x => x.Step is MaintenanceOnStep or SuspendTimersStep or FirewallOfflineStep or FirewallOnlineStep or SmokeTestStep or PublishModuleWaveStep),
            x => Assert.Empty(x.Statements));
        // The whole script, GO-separated, is one valid T-SQL script too.
        TSql.AssertParses(string.Join("\n", RollbackScriptWriter.Write(plan, s.Point, Now)));
    }

    [Fact]
    public async Task The_revert_script_is_the_statements_the_revert_sends_to_the_recording_fake_in_the_same_order()
    {
        var (s, _) = await PointAsync();
        using var _s = s;
        var plan = await PlanAsync(s, RestorePathKind.SnapshotRevert);
        var point = OnSqlServer(s.Point);
        var section = RollbackScriptWriter.Sections(plan, point, Now).Single(x => x.Step is RevertToSnapshotStep);

        var fake = new FakeSqlServer();
        fake.Answer("source_database_id", () => [FakeSqlServer.Row(("name", Snap))]);
        var folder = new StepScriptContext { Plan = plan, Point = point, Now = Now }.DatabaseFolder;
        new SqlServerFastRevert(fake.Open, new FakeTimeProvider(Now)).RevertToSnapshot(Sql, point.Manifest.FastRevert!.ToSnapshot(), new FastRevertOptions { BackupFolder = folder }, NullReporter.Instance);

        var sent = fake.Statements.Where(x => x.LongRunning).Select(x => x.Sql).ToList();
        Assert.Equal(sent, section.Statements.ToList());
        Assert.Equal(["SET SINGLE_USER", "BACKUP LOG", "FROM DATABASE_SNAPSHOT", "SET MULTI_USER", "BACKUP DATABASE"],
            sent.Select(sql => new[] { "SET SINGLE_USER", "BACKUP LOG", "FROM DATABASE_SNAPSHOT", "SET MULTI_USER", "BACKUP DATABASE" }.First(k => sql.Contains(k, StringComparison.Ordinal))).ToArray());
    }

    [Fact]
    public async Task The_restore_to_the_mark_script_starts_with_the_full_restore_the_run_sends_and_names_the_mark()
    {
        var (s, _) = await PointAsync();
        using var _s = s;
        var plan = await PlanAsync(s, RestorePathKind.LogChainToMark);
        var point = OnSqlServer(s.Point);
        var section = RollbackScriptWriter.Sections(plan, point, Now).Single(x => x.Step is RestoreToMarkStep);

        var fake = new FakeSqlServer();
        fake.Answer("bs.type = 'L'", () => [FakeSqlServer.Row(("backup_set_id", 7L), ("first_lsn", 40m), ("last_lsn", 90m), ("physical_device_name", @"D:\Log\outsystems_1.trn"))]);
        var full = point.FullPath(point.Manifest.File(RollbackFileRoles.Backup)!.Path);
        new SqlServerFastRevert(fake.Open).RestoreToMark(Sql, new BackupResult { Database = "outsystems", FilePath = [full], LastLsn = 42m }, point.Manifest.FastRevert!.ToSnapshot(), NullReporter.Instance);

        var sent = fake.Statements.Where(x => x.LongRunning).Select(x => x.Sql).ToList();
        Assert.Equal(sent[0], Assert.Single(section.Statements));
        Assert.Contains(section.Lines, l => !l.IsStatement && l.Text.Contains($"STOPBEFOREMARK = N'{Mark}'", StringComparison.Ordinal));
        Assert.StartsWith("RESTORE LOG", sent[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_full_restore_script_is_the_restore_plan_the_run_executes_with_the_files_kept_in_place()
    {
        var (s, _) = await PointAsync();
        using var _s = s;
        var plan = await PlanAsync(s, RestorePathKind.FullRestore);
        var point = OnSqlServer(s.Point);
        var section = RollbackScriptWriter.Sections(plan, point, Now).Single(x => x.Step is RestoreDatabaseStep);

        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        var full = point.FullPath(point.Manifest.File(RollbackFileRoles.Backup)!.Path);
        var run = fake.Service().PlanRestore(Sql, new RestoreOptions { FilePath = [full], WithReplace = true }, NullReporter.Instance);

        var script = section.Statements.ToList();
        Assert.Equal(run.Statements.Count, script.Count);
        Assert.Equal(run.Statements[^1], script[^1]); // MULTI_USER afterwards
        // Same batch up to the options: SINGLE_USER, RESTORE DATABASE, the same backup file.
        Assert.Equal(Head(run.Statements[0]), Head(script[0]));
        Assert.Contains("REPLACE", script[0], StringComparison.Ordinal);
    }

    private static string Head(string sql) => sql[..sql.IndexOf("\nWITH ", StringComparison.Ordinal)];

    [Fact]
    public async Task The_script_lists_the_database_steps_in_the_order_the_run_performs_them()
    {
        var (s, fast) = await PointAsync();
        using var _s = s;
        var plan = await PlanAsync(s, RestorePathKind.SnapshotRevert);
        var result = await s.ExecuteAsync(plan, executor: new RollbackRun(s.Catalog, new RollbackPorts
        {
            Platform = s.World.Ports().Platform, Database = s.World.Ports().Database, Schema = s.World.Ports().Schema, Smoke = s.World.Ports().Smoke,
            Firewall = s.World.Ports().Firewall, ModuleGraph = s.World.Ports().ModuleGraph, Identity = s.World.Ports().Identity, Procedure = s.World.Ports().Procedure, FastRevert = fast,
        }));
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        var recorded = new Dictionary<Type, string>
        {
            [typeof(BackupCurrentStep)] = "Backup pre-rollback",
            [typeof(CaptureIdentityHighWaterStep)] = "IdentityHighWater",
            [typeof(RevertToSnapshotStep)] = "RevertToSnapshot " + Snap,
            [typeof(ReseedIdentitiesStep)] = "Reseed",
            [typeof(RestoreParallelStep)] = "RestoreParallel",
        };
        var scripted = RollbackScriptWriter.Sections(plan, OnSqlServer(s.Point), Now).Where(x => recorded.ContainsKey(x.Step.GetType())).Select(x => recorded[x.Step.GetType()]).ToList();
        Assert.Equal(recorded.Count, scripted.Count);
        var order = scripted.Select(call => s.World.Calls.IndexOf(call)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.OrderBy(i => i), order);
    }

    [Fact]
    public async Task A_sqlite_plan_is_written_as_comments_only_and_says_its_steps_are_file_operations()
    {
        var s = await RollbackScenario.CreateAsync();
        using var _s = s;
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var sections = RollbackScriptWriter.Sections(plan, s.Point, Now);
        Assert.All(sections, x => Assert.Empty(x.Statements));
        Assert.Contains("file operation", sections.Single(x => x.Step is RestoreDatabaseStep).Lines[^1].Text, StringComparison.Ordinal);
        var text = string.Join("\n", RollbackScriptWriter.Write(plan, s.Point, Now));
        Assert.Contains("SQLite: the database steps are file operations", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n'), line => Assert.StartsWith("--", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_database_step_kind_has_a_script()
    {
        Assert.Subset(StepScripts.ScriptedStepTypes.ToHashSet(),
            new HashSet<Type> { typeof(BackupCurrentStep), typeof(RestoreDatabaseStep), typeof(RevertToSnapshotStep), typeof(RestoreToMarkStep), typeof(CaptureIdentityHighWaterStep), typeof(ReseedIdentitiesStep), typeof(RestoreParallelStep) });
    }
}
