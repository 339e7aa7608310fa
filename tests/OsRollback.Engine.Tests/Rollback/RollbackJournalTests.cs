using System.Globalization;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

public class RollbackJournalTests
{
    [Fact]
    public async Task A_last_line_cut_by_a_crash_counts_as_not_finished_and_resume_runs_that_step_again()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var executor = s.Executor();
        executor.JournalFactory = (folder, time) => new CrashingJournal(folder, time, 2, JournalEvent.Finished);
        await Assert.ThrowsAsync<SimulatedCrash>(() => s.ExecuteAsync(plan, executor: executor));
        var journal = Path.Combine(RollbackRun.RunFolder(s.Point, plan), RollbackJournal.FileName);
        File.AppendAllText(journal, "{\"at\":\"2026-11-26T12:00:00Z\",\"step\":2,\"ev");   // half a line
        Assert.False(new RollbackJournal(Path.GetDirectoryName(journal)!, TimeProvider.System).IsFinished(2));

        var result = await s.ExecuteAsync(plan, resume: true);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.FinishedEarlier, result.Steps[0].Status);
        Assert.Equal(StepStatus.Finished, result.Steps[1].Status);
        Assert.Equal("orders-v1", s.World.VersionOf("Production", "Orders"));
    }

    [Fact]
    public async Task Resuming_a_finished_run_changes_nothing_and_reports_every_step_as_finished_earlier()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Solution);
        await s.ExecuteAsync(plan);
        var calls = s.World.Calls.Count(c => !c.StartsWith("Get", StringComparison.Ordinal));
        var again = await s.ExecuteAsync(plan, resume: true);
        Assert.Equal(RollbackRunStatus.Succeeded, again.Status);
        Assert.All(again.Steps, x => Assert.Equal(StepStatus.FinishedEarlier, x.Status));
        Assert.Equal(calls, s.World.Calls.Count(c => !c.StartsWith("Get", StringComparison.Ordinal)));
    }

    [Fact]
    public void Retention_keeps_the_newest_per_environment_and_drops_the_old()
    {
        using var temp = new TempDirectory();
        var now = DateTimeOffset.Parse("2026-11-26T12:00:00Z", CultureInfo.InvariantCulture);
        RollbackPoint Point(string env, int daysAgo)
        {
            var folder = temp.File($"{env}-{daysAgo}");
            Directory.CreateDirectory(folder);
            return RollbackCatalog.Save(folder, new RollbackPointManifest { Id = $"{env}-{daysAgo}", Environment = env, CreatedAt = now.AddDays(-daysAgo) });
        }
        var points = new[] { Point("Production", 1), Point("Production", 5), Point("Production", 40), Point("Quality", 2), Point("Quality", 50), Point("Staging", 90) };
        Assert.Equal(["Production-40"], RollbackCatalog.SelectForRetention(points, 2, null, now).Select(p => p.Id).Order());
        Assert.Equal(["Production-40", "Quality-50"], RollbackCatalog.SelectForRetention(points, null, TimeSpan.FromDays(30), now).Select(p => p.Id).Order());
        Assert.Equal(["Production-40", "Production-5", "Quality-50"], RollbackCatalog.SelectForRetention(points, 1, TimeSpan.FromDays(30), now).Select(p => p.Id).Order());
        // An environment's newest point stays, however old: Staging-90 is its only one.
        Assert.DoesNotContain("Staging-90", RollbackCatalog.SelectForRetention(points, 1, TimeSpan.FromDays(1), now).Select(p => p.Id));
    }
}
