using OsRollback.Engine.Rollback.Execution.Steps;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>A new strategy or step kind is handled on purpose, or a test fails: nothing falls through to a database restore or out of a list.</summary>
public class ExhaustiveStrategyAndKindTests
{
    public static TheoryData<RollbackStrategy> Strategies() => [.. Enum.GetValues<RollbackStrategy>()];

    [Theory]
    [MemberData(nameof(Strategies))]
    public async Task Every_strategy_is_planned_by_its_own_planner(RollbackStrategy strategy)
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(strategy, allowDataLoss: true);
        var assessment = Assert.Single(plan.Assessments);
        Assert.Equal(strategy, assessment.Strategy);
        // A strategy that planned steps planned its own: only the Database strategy restores a database.
        Assert.Equal(strategy == RollbackStrategy.Database && plan.Steps.Count > 0, plan.Steps.Any(x => x.RestoresDatabase));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_strategy_names_the_rollback_point_files_it_needs(RollbackStrategy strategy)
    {
        var roles = VerifyRollbackPointHandler.RolesOf(strategy);
        Assert.Equal(strategy == RollbackStrategy.LifeTime, roles.Length == 0);
    }

    [Fact]
    public void An_unknown_strategy_is_refused_not_treated_as_a_database_restore()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VerifyRollbackPointHandler.RolesOf((RollbackStrategy)99));
    }

    [Fact]
    public void Restoring_and_verifying_are_properties_of_the_step_types()
    {
        var steps = typeof(RollbackStep).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(RollbackStep).IsAssignableFrom(t))
            .Select(t => (RollbackStep)Activator.CreateInstance(t)!).ToList();
        Assert.Equal(["RestoreDatabase", "RestoreToMark", "RevertToSnapshot"], steps.Where(x => x.RestoresDatabase).Select(x => x.Kind).Order());
        Assert.Equal(["SmokeTest", "VerifyRollbackPoint", "VerifyVersions"], steps.Where(x => x.Verifies).Select(x => x.Kind).Order());
    }
}
