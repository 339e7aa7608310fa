using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>The users' expected outage of a plan: from the latest run of the strategy (restore scaled by database size) or the default durations.</summary>
public class OutageEstimatorTests
{
    private const long GB = 1L << 30;
    private static readonly DateTimeOffset Day = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_drill_on_a_smaller_database_scales_its_backup_and_restore_and_names_itself()
    {
        var drill = Run("3f2a1b9c0000", "Quality", RollbackStrategy.Database, Day, 30 * GB,
            (RollbackStepKind.MaintenanceOn, 1), (RollbackStepKind.BackupCurrent, 5), (RollbackStepKind.RestoreDatabase, 10), (RollbackStepKind.FirewallOnline, 1));
        var estimate = OutageEstimator.Estimate(RollbackStrategy.Database, RunJournalReaderTests.DatabasePlan().Steps,
            new OutageEstimateInputs { Environment = "Production", PastRuns = [drill], DatabaseBytes = 42 * GB })!;

        // 1 + 5 × 1.4 + 10 × 1.4 + 1 minutes.
        Assert.Equal(TimeSpan.FromMinutes(23), estimate.Outage);
        Assert.Equal("drill 3f2a1b9c on Quality of 2026-12-01 10:00 UTC, restore scaled ×1.40 for 42 GB vs 30 GB", estimate.Basis);
    }

    [Fact]
    public void The_latest_succeeded_run_of_the_same_strategy_on_the_environment_or_a_drill_is_used()
    {
        var olderDrill = Run("aaaaaaaa1111", "Quality", RollbackStrategy.Database, Day, GB, (RollbackStepKind.MaintenanceOn, 4));
        var production = Run("bbbbbbbb2222", "Production", RollbackStrategy.Database, Day.AddDays(1), GB, (RollbackStepKind.MaintenanceOn, 6));
        var failed = Run("cccccccc3333", "Quality", RollbackStrategy.Database, Day.AddDays(2), GB, RollbackRunState.Failed, (RollbackStepKind.MaintenanceOn, 9));
        var otherStrategy = Run("dddddddd4444", "Quality", RollbackStrategy.Solution, Day.AddDays(3), null, (RollbackStepKind.PublishSolution, 2));
        var otherProduction = Run("eeeeeeee5555", "PRD", RollbackStrategy.Database, Day.AddDays(4), GB, (RollbackStepKind.MaintenanceOn, 8));
        var inputs = new OutageEstimateInputs { Environment = "Production", PastRuns = [olderDrill, production, failed, otherStrategy, otherProduction], DatabaseBytes = GB };

        var estimate = OutageEstimator.Estimate(RollbackStrategy.Database, RunJournalReaderTests.DatabasePlan().Steps, inputs)!;
        Assert.Equal(TimeSpan.FromMinutes(6), estimate.Outage);
        Assert.StartsWith("run bbbbbbbb on Production of 2026-12-02 10:00 UTC", estimate.Basis);
        Assert.DoesNotContain("scaled", estimate.Basis);  // no backup or restore step in that run's outage
    }

    [Fact]
    public void Without_a_run_the_default_durations_are_used_and_said()
    {
        RollbackStep[] solution = [new VerifyRollbackPointStep(), new PublishSolutionStep(), new VerifyVersionsStep(), new SmokeTestStep()];
        var estimate = OutageEstimator.Estimate(RollbackStrategy.Solution, solution, new OutageEstimateInputs { Environment = "Production" })!;
        Assert.Equal((TimeSpan.FromMinutes(10), "default durations"), (estimate.Outage, estimate.Basis));

        // Database: one minute each for maintenance on/off and firewall; the backup at 200 MB/s; the restore path's own estimate.
        var database = OutageEstimator.Estimate(RollbackStrategy.Database, RunJournalReaderTests.DatabasePlan().Steps,
            new OutageEstimateInputs { Environment = "Production", DatabaseBytes = 12L * 200 * 1024 * 1024 * 60, RestoreOutage = TimeSpan.FromMinutes(20) })!;
        Assert.Equal(TimeSpan.FromMinutes(1 + 12 + 20 + 1 + 1), database.Outage);
        Assert.Equal("default durations; backups and restores at 200 MB/s for 140.6 GB", database.Basis);
    }

    [Fact]
    public void A_run_of_unknown_database_size_is_used_unscaled_and_says_so()
    {
        var drill = Run("3f2a1b9c0000", "Quality", RollbackStrategy.Database, Day, null, (RollbackStepKind.RestoreDatabase, 10));
        var estimate = OutageEstimator.Estimate(RollbackStrategy.Database, RunJournalReaderTests.DatabasePlan().Steps,
            new OutageEstimateInputs { Environment = "Production", PastRuns = [drill], DatabaseBytes = 42 * GB })!;
        Assert.Equal(TimeSpan.FromMinutes(10), estimate.Outage);
        Assert.EndsWith("restore not scaled (the database size of the run or of now is unknown)", estimate.Basis);
    }

    [Fact]
    public async Task The_planner_fills_the_chosen_strategy_from_a_past_run_and_the_plan_shows_it()
    {
        using var s = await RollbackScenario.CreateAsync();
        var first = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var chosen = first.Assessments.Single(a => a.Chosen);
        Assert.NotNull(chosen.ExpectedOutage);
        Assert.StartsWith("default durations", chosen.OutageBasis);

        await s.ExecuteAsync(first);
        var runs = RollbackRunHistory.OfCatalog(s.Catalog).Runs;
        var next = await new RollbackPlanner(s.World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = s.Point, Reason = "INC-43", Strategy = RollbackStrategy.Database, AllowDataLoss = true, Force = true, PastRuns = runs,
        }, s.Reporter, CancellationToken.None);

        var estimated = next.Assessments.Single(a => a.Chosen);
        Assert.StartsWith($"run {first.Id[..8]} on Production of ", estimated.OutageBasis);
        Assert.Contains("restore scaled ×", estimated.OutageBasis);
        Assert.Contains($"| Users' expected outage | about ", RollbackPlanFile.ToMarkdown(next));
        Assert.Contains($"run {first.Id[..8]} on Production", RollbackPlanFile.ToMarkdown(next));
    }

    [Fact]
    public async Task Strategies_not_assessed_carry_no_estimate()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        Assert.All(plan.Assessments.Where(a => !a.Possible), a => Assert.Null(a.ExpectedOutage));
        Assert.Equal("default durations", plan.Assessments.Single(a => a.Chosen).OutageBasis);
    }

    private static RollbackRunRecord Run(string id, string environment, RollbackStrategy strategy, DateTimeOffset at, long? bytes, params (string Kind, int Minutes)[] outageSteps) =>
        Run(id, environment, strategy, at, bytes, RollbackRunState.Succeeded, outageSteps);

    private static RollbackRunRecord Run(string id, string environment, RollbackStrategy strategy, DateTimeOffset at, long? bytes, RollbackRunState status, params (string Kind, int Minutes)[] outageSteps) => new()
    {
        Id = id, Environment = environment, Strategy = strategy, StartedAt = at, EndedAt = at.AddHours(1), Status = status,
        IsDrill = RollbackDrills.IsDrill(environment), DatabaseBytes = bytes,
        Steps = outageSteps.Select((x, i) => new RollbackRunStepTime { Number = i + 2, Kind = x.Kind, Status = "Finished", Attempts = 1, Duration = TimeSpan.FromMinutes(x.Minutes), InUsersOutage = true })
            .Prepend(new RollbackRunStepTime { Number = 1, Kind = RollbackStepKind.VerifyRollbackPoint, Status = "Finished", Attempts = 1, Duration = TimeSpan.FromMinutes(30) }).ToList(),
    };
}
