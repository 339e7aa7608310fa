using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>What a plan says reads as English: counts agree with their nouns, strategies never assessed are not "not possible".</summary>
public class PlanWordingTests
{
    [Fact]
    public async Task Strategies_after_the_chosen_one_read_as_not_assessed_not_as_impossible()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        Assert.Equal(RollbackStrategy.LifeTime, plan.Strategy);
        var after = plan.Assessments.Skip(1).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, a =>
        {
            Assert.Equal("not assessed", a.Verdict());
            Assert.DoesNotContain("not possible", a.ToString(), StringComparison.Ordinal);
            Assert.Equal($"{a.Strategy}: not assessed: a better strategy was chosen first", a.ToString());
        });
        Assert.Equal("chosen", plan.Assessments[0].Verdict());
    }

    [Fact]
    public async Task A_strategy_that_cannot_work_still_reads_as_not_possible_with_its_reason()
    {
        using var s = await RollbackScenario.CreateAsync(skipPackage: true);
        s.World.DeletedTags.Add("orders-v1");
        var plan = await s.PlanAsync();
        var solution = plan.Assessments.Single(a => a.Strategy == RollbackStrategy.Solution);
        Assert.Equal("not possible", solution.Verdict());
        Assert.StartsWith("Solution: not possible - ", solution.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Republish_waves_count_their_modules_in_the_right_number()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var waves = plan.Steps.OfType<PublishModuleWaveStep>().ToList();
        Assert.NotEmpty(waves);
        Assert.All(waves, w =>
        {
            Assert.DoesNotContain("(1 modules)", w.Title, StringComparison.Ordinal);
            Assert.EndsWith(w.Modules.Count == 1 ? "(1 module)" : $"({w.Modules.Count} modules)", w.Title, StringComparison.Ordinal);
        });
    }
}
