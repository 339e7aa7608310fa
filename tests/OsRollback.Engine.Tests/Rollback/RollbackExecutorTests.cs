using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Tests.Rollback;

public class RollbackExecutorTests
{
    [Fact]
    public async Task LifeTime_rollback_deploys_the_previous_tags_from_upstream_and_writes_journal_and_reports()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal("orders-v1", s.World.VersionOf("Production", "Orders"));
        Assert.Contains("Deploy Quality->Production orders-v1", s.World.Calls);
        Assert.All(result.Steps, x => Assert.Equal(StepStatus.Finished, x.Status));
        var journal = RollbackJournal.ReadEntries(result.JournalPath);
        Assert.Equal(plan.Steps.Count, journal.Count(e => e.Event == JournalEvent.Started));
        Assert.Equal(plan.Steps.Count, journal.Count(e => e.Event == JournalEvent.Finished));
        Assert.Contains(journal, e => e.Event == JournalEvent.RunFinished);
        Assert.True(File.Exists(result.ReportPath));
        Assert.Contains("succeeded", File.ReadAllText(result.MarkdownReportPath));
        Assert.False(File.Exists(Path.Combine(s.Catalog.LocksDirectory, "production.lock")));
        Assert.Contains(s.Reporter.ProgressUpdates, p => p.ActivityId == 1 && p.PercentComplete == 100);
        Assert.Contains(s.Reporter.ProgressUpdates, p => p.ParentActivityId == 1);
    }

    [Fact]
    public async Task Solution_rollback_publishes_the_captured_package()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Solution);
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Contains("PublishPackage Production", s.World.Calls);
        Assert.Equal("orders-v1", s.World.VersionOf("Production", "Orders"));
    }

    [Fact]
    public async Task Module_rollback_republishes_wave_by_wave_producers_first()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Module);
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(["PublishWave Orders_CS", "PublishWave Invoices_CS,Orders", "PublishWave Billing"], s.World.Calls.Where(c => c.StartsWith("PublishWave", StringComparison.Ordinal)));
        Assert.Equal("ocs-1", s.World.ModuleVersion("Production", "Orders_CS"));
        Assert.Equal("o-1", s.World.ModuleVersion("Production", "Orders"));
    }

    [Fact]
    public async Task Database_rollback_runs_the_full_runbook_in_order()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(
        [
            "Maintenance on", "Timers suspend", "Firewall offline", "StopServices *", "Backup pre-rollback", "IdentityHighWater", "Restore", "Timers suspend",
            "ConfigureServer *", "ConfigureServer *", "ApplyPendingSettings *",
            "PublishWave Common_Lib", "PublishWave Orders_CS", "PublishWave Invoices_CS,Orders", "PublishWave Billing", "Timers resuspend-woken",
            "Reseed", "Maintenance off", "Smoke", "Firewall online", "Timers resume", "RestoreParallel",
        ], s.World.Calls);
        Assert.Equal("DB:pre-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
        Assert.Equal("DB:post-deploy", Assert.Single(s.World.ParallelDatabases).Value);
        Assert.Equal(s.World.ParallelDatabases.Keys.Single(), result.ParallelDatabase);
        Assert.True(File.Exists(result.PreRollbackBackup));
        Assert.False(s.World.Maintenance["Production"]);
        Assert.False(s.World.TimersSuspended["Production"]);
        Assert.True(s.World.FirewallOpen);
        Assert.Contains(result.ParallelDatabase!, File.ReadAllText(result.MarkdownReportPath));
    }

    [Fact]
    public async Task A_failed_smoke_test_stops_before_the_firewall_opens_and_resume_finishes_without_repeating()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        s.World.Healthy = false;
        var failed = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Failed, failed.Status);
        Assert.Equal("SmokeTestFailed", failed.Error!.ErrorId);
        Assert.Contains("-Resume", failed.Error.RecommendedAction);
        Assert.Equal(plan.Steps.Single(x => x.Kind == RollbackStepKind.SmokeTest).Number, failed.FailedStep);
        Assert.DoesNotContain("Firewall online", s.World.Calls);
        Assert.False(s.World.FirewallOpen);
        Assert.True(s.World.TimersSuspended["Production"]);
        Assert.Contains("FAILED", File.ReadAllText(failed.MarkdownReportPath));

        var again = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.ExecuteAsync(plan));
        Assert.Equal("RollbackAlreadyStarted", again.ErrorId);

        s.World.Healthy = true;
        var resumed = await s.ExecuteAsync(plan, resume: true);
        Assert.Equal(RollbackRunStatus.Succeeded, resumed.Status);
        Assert.True(resumed.Resumed);
        Assert.Single(s.World.Calls, "Restore");
        Assert.Single(s.World.Calls, "Backup pre-rollback");
        Assert.Equal(2, s.World.Calls.Count(c => c == "Smoke"));
        Assert.True(s.World.FirewallOpen);
        Assert.Equal(StepStatus.FinishedEarlier, resumed.Steps[0].Status);
    }

    public static TheoryData<RollbackStrategy> Strategies => new() { RollbackStrategy.LifeTime, RollbackStrategy.Solution, RollbackStrategy.Module, RollbackStrategy.Database };

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task A_crash_at_any_step_then_resume_reaches_the_same_end_state_without_repeating_finished_steps(RollbackStrategy strategy)
    {
        string expected;
        int stepCount;
        using (var clean = await RollbackScenario.CreateAsync())
        {
            var plan = await clean.PlanAsync(strategy, allowDataLoss: true);
            stepCount = plan.Steps.Count;
            Assert.Equal(RollbackRunStatus.Succeeded, (await clean.ExecuteAsync(plan)).Status);
            expected = Normalize(clean.World.State(), clean);
        }
        for (var step = 1; step <= stepCount; step++)
        {
            foreach (var crashEvent in new[] { JournalEvent.Started, JournalEvent.Finished })
            {
                using var s = await RollbackScenario.CreateAsync();
                var plan = await s.PlanAsync(strategy, allowDataLoss: true);
                var executor = s.Executor();
                executor.JournalFactory = (folder, time) => new CrashingJournal(folder, time, step, crashEvent);
                await Assert.ThrowsAsync<SimulatedCrash>(() => s.ExecuteAsync(plan, executor: executor));
                var callsBeforeResume = s.World.Calls.Count;

                var result = await s.ExecuteAsync(plan, resume: true);
                Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
                Assert.Equal(expected, Normalize(s.World.State(), s));
                var journal = RollbackJournal.ReadEntries(result.JournalPath);
                for (var n = 1; n <= stepCount; n++)
                    Assert.Single(journal, e => e.Step == n && e.Event == JournalEvent.Finished);
                // finished steps before the crash were not run again
                Assert.All(result.Steps.Where(r => r.Number < step), r => Assert.Equal(StepStatus.FinishedEarlier, r.Status));
                Assert.True(s.World.Calls.Count >= callsBeforeResume);
            }
        }
    }

    // the parallel database name and paths hold the plan id; compare the rest
    private static string Normalize(string state, RollbackScenario s) => System.Text.RegularExpressions.Regex.Replace(state.Replace(s.Temp.Path, "<tmp>"), "OsRollback_[0-9a-f]{8}", "OsRollback_x");

    [Fact]
    public async Task Two_runs_on_one_environment_the_second_fails_clearly_naming_the_holder_or_waits()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan1 = await s.PlanAsync();
        var plan2 = await s.PlanAsync(RollbackStrategy.Solution);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.World.Gates["Deploy"] = gate;
        var first = s.ExecuteAsync(plan1);
        while (!s.World.Calls.Any(c => c.StartsWith("Deploy", StringComparison.Ordinal))) await Task.Delay(5);

        var ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.ExecuteAsync(plan2));
        Assert.Equal("EnvironmentLocked", ex.ErrorId);
        Assert.Equal(OsErrorCategory.ResourceBusy, ex.Category);
        Assert.Contains(plan1.Id, ex.Message);
        Assert.Contains(Environment.MachineName, ex.Message);
        Assert.Contains($"process {Environment.ProcessId}", ex.Message);
        Assert.False(Directory.Exists(RollbackRun.RunFolder(s.Point, plan2)));

        var waiting = s.ExecuteAsync(plan2, options: new RollbackExecutionOptions { LockTimeout = TimeSpan.FromMinutes(5), LockPollInterval = TimeSpan.FromMilliseconds(10) });
        // Release the first run only once the second is waiting for it, whatever the machine's pace.
        for (var i = 0; i < 6000 && !waiting.IsCompleted && !s.Reporter.Warnings.Any(w => w.StartsWith("Waiting for the rollback of Production", StringComparison.Ordinal)); i++) await Task.Delay(5);
        gate.SetResult();
        Assert.Equal(RollbackRunStatus.Succeeded, (await first).Status);
        Assert.Equal(RollbackRunStatus.Succeeded, (await waiting).Status);
        Assert.Contains(s.Reporter.Warnings, w => w.StartsWith("Waiting for the rollback of Production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stale_lock_of_a_dead_process_is_taken_over_by_its_own_plan_with_a_warning()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        Directory.CreateDirectory(s.Catalog.LocksDirectory);
        File.WriteAllText(Path.Combine(s.Catalog.LocksDirectory, "production.lock"),
            $"{{\"environment\":\"Production\",\"planId\":\"{plan.Id}\",\"processId\":{int.MaxValue - 7},\"host\":\"{Environment.MachineName}\",\"user\":\"someone\",\"acquiredAt\":\"2026-01-01T00:00:00Z\"}}");
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Contains(s.Reporter.Warnings, w => w.Contains("stale lock") && w.Contains("someone"));
    }

    [Fact]
    public async Task A_stale_lock_of_another_plan_is_an_interrupted_rollback_and_nothing_runs()
    {
        using var s = await RollbackScenario.CreateAsync();
        Directory.CreateDirectory(s.Catalog.LocksDirectory);
        File.WriteAllText(Path.Combine(s.Catalog.LocksDirectory, "production.lock"),
            $"{{\"environment\":\"Production\",\"planId\":\"old\",\"processId\":{int.MaxValue - 7},\"host\":\"{Environment.MachineName}\",\"user\":\"someone\",\"acquiredAt\":\"2026-01-01T00:00:00Z\"}}");
        var state = s.World.State();
        var ex = await Assert.ThrowsAnyAsync<OsRollbackException>(async () => await s.ExecuteAsync(await s.PlanAsync()));
        Assert.Equal("EnvironmentRollbackInterrupted", ex.ErrorId);
        Assert.Equal(state, s.World.State());
    }

    [Fact]
    public async Task Bad_input_is_refused_before_anything_changes()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var state = s.World.State();

        var ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.ExecuteAsync(plan, options: new RollbackExecutionOptions { ExpectedEnvironment = "Quality" }));
        Assert.Equal("PlanEnvironmentMismatch", ex.ErrorId);

        var other = RollbackPlanFile.FromJson(RollbackPlanFile.ToJson(plan).Replace("\"environment\": \"Production\"", "\"environment\": \"Quality\""), "p");
        RollbackPlanFile.Seal(other); // a consistent digest: the environment check itself must refuse it
        ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.ExecuteAsync(other));
        Assert.Equal("PlanEnvironmentMismatch", ex.ErrorId);

        ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.Executor().ExecuteAsync(plan, s.Point, new Data.SqliteTarget(s.Temp.File("other.db")), new(), s.Reporter, default));
        Assert.Equal("DatabaseMismatch", ex.ErrorId);

        ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.Executor().ExecuteAsync(plan, s.Point, null, new(), s.Reporter, default));
        Assert.Equal("DatabaseParametersRequired", ex.ErrorId);

        var backup = s.Point.FullPath(s.Point.Manifest.Backup!.Path);
        File.Move(backup, backup + ".moved");
        ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.ExecuteAsync(plan));
        Assert.Equal("RollbackPointFileMissing", ex.ErrorId);
        File.Move(backup + ".moved", backup);

        var changed = RollbackCatalog.Save(s.Point.Path, s.Point.Manifest.With(m => m.Description = "edited"));
        ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.Executor().ExecuteAsync(plan, changed, s.Database, new(), s.Reporter, default));
        Assert.Equal("RollbackPointChanged", ex.ErrorId);

        Assert.Equal(state, s.World.State());
        Assert.DoesNotContain(s.World.Calls, c => !c.StartsWith("Get", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(s.Point.Path, "runs")));
    }

    [Fact]
    public async Task A_missing_platform_port_is_PlatformNotConnected_before_any_change()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var ex = await Assert.ThrowsAnyAsync<OsRollbackException>(() => s.ExecuteAsync(plan, executor: s.Executor(new RollbackPorts { Database = s.World.Ports().Database })));
        Assert.Equal("PlatformNotConnected", ex.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(s.Point.Path, "runs")));
    }

    [Fact]
    public async Task Journals_plans_and_reports_hold_no_token_or_password()
    {
        using var s = await RollbackScenario.CreateAsync();
        const string token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig";
        const string password = "hunter2-Pa55word";
        s.World.FailOnce["Deploy"] = new InvalidOperationException($"POST failed, Authorization: Bearer {token}; connection Password={password};");
        var plan = await s.PlanAsync();
        RollbackPlanFile.Write(plan, s.Temp.File("plan.json"), PlanFormat.Json);
        RollbackPlanFile.Write(plan, s.Temp.File("plan.md"), PlanFormat.Markdown);
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Failed, result.Status);
        Assert.Equal("RollbackStepFailed", result.Error!.ErrorId);
        var all = s.AllText();
        Assert.Contains("Bearer ***", all);
        Assert.DoesNotContain(token, all);
        Assert.DoesNotContain(password, all);
    }

    [Fact]
    public async Task The_scrubber_removes_common_secret_shapes()
    {
        Assert.Equal("Authorization: Bearer ***", SecretScrubber.Scrub("Authorization: Bearer abc.def-123"));
        Assert.Equal("Server=x;Password=***;", SecretScrubber.Scrub("Server=x;Password=p@ss;"));
        Assert.Equal("https://user:***@host/x", SecretScrubber.Scrub("https://user:pw@host/x"));
        Assert.Equal("token: ***", SecretScrubber.Scrub("token: 'abc def'"));
        await Task.CompletedTask;
    }
}

internal static class ManifestExtensions
{
    public static RollbackPointManifest With(this RollbackPointManifest manifest, Action<RollbackPointManifest> change)
    {
        change(manifest);
        return manifest;
    }
}
