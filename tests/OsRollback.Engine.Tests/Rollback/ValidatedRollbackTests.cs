using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Invoke-OsRollback checks a plan once, before -WhatIf and the confirmation; the run does not check it again.</summary>
public class ValidatedRollbackTests
{
    [Fact]
    public async Task A_plan_the_command_checked_runs_without_a_second_check_so_its_warning_is_given_once()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = RollbackPlanFile.FromJson(RollbackTypedStepTests.AsVersion1(await s.PlanAsync(RollbackStrategy.LifeTime, allowDataLoss: true)), "old-plan.json");

        var validated = RollbackRun.Validate(plan, s.Point, null, new RollbackExecutionOptions { AllowUnapprovedPlan = true }, s.Reporter);
        var result = await s.Executor().ExecuteAsync(validated, s.Reporter, CancellationToken.None);

        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Single(s.Reporter.Warnings, w => w.Contains("carries no digest"));
        Assert.Equal("orders-v1", s.World.VersionOf("Production", "Orders"));
    }
}
