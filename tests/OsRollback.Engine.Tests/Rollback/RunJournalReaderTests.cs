using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Step durations, the users' outage and the run's end, read back from journals of finished, failed, resumed and crashed runs.</summary>
public class RunJournalReaderTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_finished_Database_run_reads_back_every_step_the_users_outage_and_the_database_size()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        await s.ExecuteAsync(plan);

        var listing = RollbackRunHistory.OfCatalog(s.Catalog);
        var run = Assert.Single(listing.Runs);
        Assert.Empty(listing.Unreadable);
        Assert.Equal(plan.Id, run.Id);
        Assert.Equal(("Production", RollbackStrategy.Database, RollbackRunState.Succeeded, false), (run.Environment, run.Strategy, run.Status, run.IsDrill));
        Assert.Equal(plan.Steps.Select(p => (p.Number, p.Kind)), run.Steps.Select(x => (x.Number, x.Kind)));
        Assert.All(run.Steps, x => Assert.Equal(("Finished", 1), (x.Status, x.Attempts)));
        Assert.All(run.Steps, x => Assert.True(x.Duration >= TimeSpan.Zero));
        // Offline from maintenance mode on, online when the firewall opens: the parallel restore after it is off the outage.
        var outage = run.Steps.Where(x => x.InUsersOutage).Select(x => x.Kind).ToList();
        Assert.Equal(RollbackStepKind.MaintenanceOn, outage[0]);
        Assert.Equal(RollbackStepKind.FirewallOnline, outage[^1]);
        Assert.False(run.Steps.Single(x => x.Kind == RollbackStepKind.RestoreParallel).InUsersOutage);
        Assert.Equal(run.Steps.Single(x => x.Kind == RollbackStepKind.MaintenanceOn).StartedAt, run.UsersOfflineAt);
        Assert.Equal(run.Steps.Single(x => x.Kind == RollbackStepKind.FirewallOnline).EndedAt, run.UsersOnlineAt);
        Assert.NotNull(run.UsersOutage);
        Assert.True(run.DatabaseBytes > 0, "the pre-rollback backup's size is the database's at the run");
    }

    [Fact]
    public async Task A_failed_run_says_which_step_failed_and_after_resume_times_that_step_by_its_last_attempt()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        s.World.FailOnce["Restore"] = new OsRollbackException("DiskFull", OsErrorCategory.ResourceUnavailable, "No space.", null, "Free space.");
        await s.ExecuteAsync(plan);
        var folder = RollbackRun.RunFolder(s.Point, plan);

        var failed = RunJournalReader.Read(folder)!;
        Assert.Equal(RollbackRunState.Failed, failed.Status);
        var restore = failed.Steps.Single(x => x.Kind == RollbackStepKind.RestoreDatabase);
        Assert.Equal(("Failed", 1), (restore.Status, restore.Attempts));
        Assert.NotNull(restore.Duration);
        Assert.All(failed.Steps.Where(x => x.Number > restore.Number), x => Assert.Equal("NotRun", x.Status));
        Assert.NotNull(failed.UsersOfflineAt);
        Assert.Null(failed.UsersOnlineAt);
        Assert.Null(failed.UsersOutage);

        await s.ExecuteAsync(plan, resume: true);
        var resumed = RunJournalReader.Read(folder)!;
        Assert.Equal((RollbackRunState.Succeeded, 1), (resumed.Status, resumed.Resumes));
        var again = resumed.Steps.Single(x => x.Kind == RollbackStepKind.RestoreDatabase);
        Assert.Equal(("Finished", 2), (again.Status, again.Attempts));
        Assert.True(again.StartedAt > restore.EndedAt, "the last attempt is the one after the resume");
        Assert.Equal(failed.UsersOfflineAt, resumed.UsersOfflineAt);
    }

    [Fact]
    public void A_step_cut_by_a_crash_and_resumed_an_hour_later_is_timed_by_its_last_attempt_and_the_outage_keeps_the_pause()
    {
        using var temp = new TempDirectory();
        var plan = DatabasePlan();
        var time = new FakeTimeProvider(Start);
        var journal = NewRun(temp.Path, plan, time);
        journal.Write(0, "Run", JournalEvent.RunStarted, "Started");
        RunSteps(journal, time, plan, 1, 3);                                                   // maintenance on at 10:01
        journal.Write(4, plan.Steps[3].Kind, JournalEvent.Started, "restore");                 // 10:03, then the process dies
        time.Advance(TimeSpan.FromMinutes(7));
        time.Advance(TimeSpan.FromHours(1));
        journal.Write(0, "Run", JournalEvent.RunStarted, "Resumed");
        journal.Write(4, plan.Steps[3].Kind, JournalEvent.Started, "restore");
        time.Advance(TimeSpan.FromMinutes(12));
        journal.Write(4, plan.Steps[3].Kind, JournalEvent.Finished, "restored");
        RunSteps(journal, time, plan, 5, plan.Steps.Count);
        journal.Write(0, "Run", JournalEvent.RunFinished, "finished");

        var run = RunJournalReader.Read(temp.Path)!;
        var restore = run.Steps[3];
        Assert.Equal((2, TimeSpan.FromMinutes(12)), (restore.Attempts, restore.Duration));
        Assert.Equal((RollbackRunState.Succeeded, 1), (run.Status, run.Resumes));
        Assert.Equal(Start.AddMinutes(1), run.UsersOfflineAt);
        // 2 one-minute steps and the first attempt (7 min), the pause (1 h), the restore (12 min), maintenance off and firewall open (2 min).
        Assert.Equal(TimeSpan.FromMinutes(2 + 7 + 60 + 12 + 2), run.UsersOutage);
        Assert.Equal(Start, run.StartedAt);
    }

    [Fact]
    public void A_run_whose_process_died_mid_step_is_unfinished_with_that_step_interrupted()
    {
        using var temp = new TempDirectory();
        var plan = DatabasePlan();
        var time = new FakeTimeProvider(Start);
        var journal = NewRun(temp.Path, plan, time);
        journal.Write(0, "Run", JournalEvent.RunStarted, "Started");
        RunSteps(journal, time, plan, 1, 2);
        journal.Write(3, plan.Steps[2].Kind, JournalEvent.Started, "backup");
        File.AppendAllText(Path.Combine(temp.Path, RollbackJournal.FileName), "{\"at\":\"2026-12-01T10:09:00Z\",\"step\":3,\"ev");

        var run = RunJournalReader.Read(temp.Path)!;
        Assert.Equal(RollbackRunState.Unfinished, run.Status);
        Assert.Equal(("Interrupted", null), (run.Steps[2].Status, run.Steps[2].Duration));
        Assert.Equal("NotRun", run.Steps[3].Status);
    }

    [Fact]
    public void Events_written_with_other_UTC_offsets_are_timed_as_instants()
    {
        using var temp = new TempDirectory();
        var plan = DatabasePlan();
        var utc = new FakeTimeProvider(Start);
        var journal = NewRun(temp.Path, plan, utc);
        journal.Write(0, "Run", JournalEvent.RunStarted, "Started");
        journal.Write(1, plan.Steps[0].Kind, JournalEvent.Started, "check");
        utc.Advance(TimeSpan.FromMinutes(1));
        journal.Write(1, plan.Steps[0].Kind, JournalEvent.Finished, "checked");
        // The rest of the run recorded by a clock that gives local times two hours ahead of UTC (e.g. a resume on another host).
        var local = new OffsetTime(utc, TimeSpan.FromHours(2));
        var ahead = new RollbackJournal(temp.Path, local);
        for (var n = 2; n <= plan.Steps.Count; n++)
        {
            ahead.Write(n, plan.Steps[n - 1].Kind, JournalEvent.Started, "step");
            utc.Advance(TimeSpan.FromMinutes(2));
            ahead.Write(n, plan.Steps[n - 1].Kind, JournalEvent.Finished, "done");
        }
        ahead.Write(0, "Run", JournalEvent.RunFinished, "finished");

        Assert.Contains("+02:00", File.ReadAllText(journal.Path));
        var run = RunJournalReader.Read(temp.Path)!;
        Assert.Equal(TimeSpan.FromMinutes(1), run.Steps[0].Duration);
        Assert.All(run.Steps.Skip(1), x => Assert.Equal(TimeSpan.FromMinutes(2), x.Duration));
        Assert.Equal(Start, run.StartedAt);
        Assert.Equal(Start.AddMinutes(1 + 2 * (plan.Steps.Count - 1)), run.EndedAt);
        Assert.Equal(Start.AddMinutes(1).UtcDateTime, run.UsersOfflineAt!.Value.UtcDateTime);
    }

    [Fact]
    public void Runs_of_every_rollback_point_are_listed_newest_first_and_an_unreadable_run_is_reported_not_fatal()
    {
        using var temp = new TempDirectory();
        var catalog = new RollbackCatalog(temp.File("catalog"));
        var older = Path.Combine(catalog.PointsDirectory, "Quality-1", "runs", "a1");
        var newer = Path.Combine(catalog.PointsDirectory, "Production-2", "runs", "b2");
        var broken = Path.Combine(catalog.PointsDirectory, "Production-2", "runs", "c3");
        var empty = Path.Combine(catalog.PointsDirectory, "Production-2", "runs", "d4");
        WriteFinishedRun(older, DatabasePlan("Quality", "a1"), Start);
        WriteFinishedRun(newer, DatabasePlan("Production", "b2"), Start.AddDays(1));
        WriteFinishedRun(broken, DatabasePlan("Production", "c3"), Start.AddDays(2));
        File.WriteAllText(Path.Combine(broken, RunJournalReader.PlanFileName), "{ not json");
        Directory.CreateDirectory(empty);

        var listing = RollbackRunHistory.OfCatalog(catalog);
        Assert.Equal(["b2", "a1"], listing.Runs.Select(r => r.Id));
        Assert.Equal([false, true], listing.Runs.Select(r => r.IsDrill));
        Assert.Equal("RollbackRunUnreadable", Assert.Single(listing.Unreadable).ErrorId);
        Assert.Equal(["a1"], RollbackRunHistory.Where(listing.Runs, "quality", RollbackStrategy.Database).Select(r => r.Id));
        Assert.Empty(RollbackRunHistory.Where(listing.Runs, null, RollbackStrategy.LifeTime));
        Assert.Equal([older], RollbackRunHistory.RunFoldersUnder(older));
        Assert.Equal(4, RollbackRunHistory.RunFoldersUnder(catalog.Home)!.Count);
        Assert.Null(RollbackRunHistory.RunFoldersUnder(temp.Path));
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("prd", false)]
    [InlineData("Live", false)]
    [InlineData("Quality", true)]
    [InlineData("Pre-Production", true)]
    public void A_run_is_a_drill_unless_its_environment_goes_by_a_production_name(string environment, bool drill) =>
        Assert.Equal(drill, RollbackDrills.IsDrill(environment));

    internal static RollbackPlan DatabasePlan(string environment = "Production", string id = "3f2a1b9c00000000000000000000aaaa")
    {
        RollbackStep[] steps =
        [
            new VerifyRollbackPointStep { Title = "check" },
            new MaintenanceOnStep { Title = "maintenance on" },
            new BackupCurrentStep { Title = "backup" },
            new RestoreDatabaseStep { Title = "restore" },
            new MaintenanceOffStep { Title = "maintenance off" },
            new FirewallOnlineStep { Title = "open" },
            new RestoreParallelStep { Title = "parallel" },
        ];
        var plan = new RollbackPlan
        {
            Id = id, Environment = environment, RollbackPointId = "rp", Strategy = RollbackStrategy.Database, Reason = "drill",
            Steps = steps.Select((x, i) => x with { Number = i + 1 }).ToList(),
        };
        RollbackPlanFile.Seal(plan);
        return plan;
    }

    private static RollbackJournal NewRun(string folder, RollbackPlan plan, TimeProvider time)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, RunJournalReader.PlanFileName), RollbackPlanFile.ToJson(plan));
        return new RollbackJournal(folder, time);
    }

    /// <summary>Steps first..last, one minute each.</summary>
    private static void RunSteps(RollbackJournal journal, FakeTimeProvider time, RollbackPlan plan, int first, int last)
    {
        for (var n = first; n <= last; n++)
        {
            journal.Write(n, plan.Steps[n - 1].Kind, JournalEvent.Started, "step");
            time.Advance(TimeSpan.FromMinutes(1));
            journal.Write(n, plan.Steps[n - 1].Kind, JournalEvent.Finished, "done");
        }
    }

    internal static void WriteFinishedRun(string folder, RollbackPlan plan, DateTimeOffset at)
    {
        var time = new FakeTimeProvider(at);
        var journal = NewRun(folder, plan, time);
        journal.Write(0, "Run", JournalEvent.RunStarted, "Started");
        RunSteps(journal, time, plan, 1, plan.Steps.Count);
        journal.Write(0, "Run", JournalEvent.RunFinished, "finished");
    }

    /// <summary>A clock that reports the fake UTC time at a fixed offset.</summary>
    private sealed class OffsetTime(FakeTimeProvider utc, TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => utc.GetUtcNow().ToOffset(offset);
    }
}
