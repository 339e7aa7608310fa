using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Tests.Rollback;

public class RollbackPlannerTests
{
    [Fact]
    public async Task LifeTime_is_chosen_when_an_upstream_environment_holds_the_previous_tags()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        Assert.Equal(RollbackStrategy.LifeTime, plan.Strategy);
        Assert.Equal("Quality", plan.SourceEnvironment);
        Assert.False(plan.DataLoss);
        var change = Assert.Single(plan.Changes);
        Assert.Equal(("Orders", "2.0", "1.0"), (change.Name, change.RunningVersion, change.RollbackVersion));
        Assert.Equal(new[] { RollbackStepKind.VerifyRollbackPoint, RollbackStepKind.DeployVersions, RollbackStepKind.VerifyVersions, RollbackStepKind.SmokeTest }, plan.Steps.Select(x => x.Kind));
        Assert.Equal(new[] { 1, 2, 3, 4 }, plan.Steps.Select(x => x.Number));
        Assert.All(plan.Steps, x => Assert.False(string.IsNullOrEmpty(x.Target)));
        Assert.Equal(["orders-v1"], ((DeployVersionsStep)plan.Steps[1]).VersionKeys);
        Assert.All(plan.Assessments.Skip(1), a => Assert.False(a.Chosen));
        Assert.DoesNotContain(s.World.Calls, c => !c.StartsWith("Get", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upstream_running_newer_tags_still_deploys_the_previous_tag_and_a_deleted_tag_falls_to_the_solution_package()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.Deploy("Quality", "orders-v2");
        s.World.Deploy("Development", "orders-v2");
        var plan = await s.PlanAsync();
        Assert.Equal(RollbackStrategy.LifeTime, plan.Strategy);
        Assert.Equal("Quality", plan.SourceEnvironment);
        Assert.Equal(["orders-v1"], ((DeployVersionsStep)plan.Steps[1]).VersionKeys);
        Assert.Contains("nearest upstream environment", plan.Assessments[0].Reason);
        Assert.Contains(plan.Warnings, w => w.Contains("LifeTimeRefusedDeployment") && w.Contains("tag the previous version anew"));

        s.World.DeletedTags.Add("orders-v1");
        var fallback = await s.PlanAsync();
        Assert.Equal(RollbackStrategy.Solution, fallback.Strategy);
        Assert.Contains("LifeTime no longer has the previous tag(s) orders-v1", fallback.Assessments[0].Reason);
        Assert.Contains(fallback.Steps, x => x.Kind == RollbackStepKind.PublishSolution);
    }

    [Fact]
    public async Task Without_the_previous_tag_or_a_package_the_modules_are_republished_producers_first()
    {
        using var s = await RollbackScenario.CreateAsync(skipPackage: true);
        s.World.DeletedTags.Add("orders-v1");
        var plan = await s.PlanAsync();
        Assert.Equal(RollbackStrategy.Module, plan.Strategy);
        Assert.Contains("no package captured", plan.Assessments[1].Reason);
        var waves = plan.Steps.Where(x => x.Kind == RollbackStepKind.PublishModuleWave).Cast<PublishModuleWaveStep>().ToList();
        // Orders_CS changed; its consumers Orders and Invoices_CS, then Billing (consumer of Invoices_CS)
        Assert.Equal(new[] { "Orders_CS" }, waves[0].Modules.Select(m => m.Name));
        Assert.Equal(new[] { "Invoices_CS", "Orders" }, waves[1].Modules.Select(m => m.Name));
        Assert.Equal(new[] { "Billing" }, waves[2].Modules.Select(m => m.Name));
        Assert.Equal("ocs-1", waves[0].Modules[0].VersionKey);
    }

    [Fact]
    public async Task Too_many_modules_and_no_data_loss_allowed_means_no_plan_with_every_reason()
    {
        using var s = await RollbackScenario.CreateAsync(skipPackage: true);
        s.World.DeletedTags.Add("orders-v1");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(maxModules: 2));
        Assert.Equal("NoStrategyPossible", ex.ErrorId);
        Assert.Contains("no longer has the previous tag(s) orders-v1", ex.Message);
        Assert.Contains("no package captured", ex.Message);
        Assert.Contains("too many modules with consumers", ex.Message);
        Assert.Contains("-AllowDataLoss", ex.Message);
        Assert.Contains("-AllowDataLoss", ex.RecommendedAction);
    }

    [Fact]
    public async Task Without_the_opt_in_the_module_strategy_is_not_possible_because_only_an_undocumented_field_pins_versions()
    {
        using var s = await RollbackScenario.CreateAsync(skipPackage: true);
        s.World.DeletedTags.Add("orders-v1");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Module, allowUnverifiedModuleVersionField: false));
        Assert.Equal("NoStrategyPossible", ex.ErrorId);
        Assert.Contains("Module: the only route to the previous version of", ex.Message);
        Assert.Contains("Orders_CS", ex.Message);
        Assert.Contains("is Service Center's staging Version field, which OutSystems does not document", ex.Message);
        Assert.Contains("-AllowUnverifiedModuleVersionField", ex.Message);
        var fallback = await s.PlanAsync(allowDataLoss: true, allowUnverifiedModuleVersionField: false);
        Assert.Equal(RollbackStrategy.Database, fallback.Strategy);
        Assert.All(fallback.Steps.OfType<PublishModuleWaveStep>(), w => Assert.False(w.UseUnverifiedVersionField));
    }

    [Fact]
    public async Task With_the_opt_in_every_wave_asks_for_the_version_field_and_the_plan_warns()
    {
        using var s = await RollbackScenario.CreateAsync(skipPackage: true);
        s.World.DeletedTags.Add("orders-v1");
        var plan = await s.PlanAsync(RollbackStrategy.Module);
        var waves = plan.Steps.OfType<PublishModuleWaveStep>().ToList();
        Assert.Equal(3, waves.Count);
        Assert.All(waves, w => Assert.True(w.UseUnverifiedVersionField));
        Assert.Contains(plan.Warnings, w => w.Contains("undocumented staging Version field"));
        Assert.True(RollbackPlanFile.FromJson(RollbackPlanFile.ToJson(plan), "plan.json").Steps.OfType<PublishModuleWaveStep>().All(w => w.UseUnverifiedVersionField));
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal([true, true, true], s.World.WavesWithVersionField);
        Assert.Equal("ocs-1", s.World.ModuleVersion("Production", "Orders_CS"));
    }

    [Fact]
    public async Task The_database_strategy_states_the_data_loss_window_and_the_parallel_recovery_step()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(RollbackStrategy.Database, plan.Strategy);
        Assert.True(plan.DataLoss);
        Assert.Equal(s.Point.Manifest.Backup!.TakenAt, plan.DataLossFrom);
        Assert.True(plan.DataLossTo >= plan.DataLossFrom);
        Assert.Equal(RollbackStepKind.RestoreParallel, plan.Steps[^1].Kind);
        var kinds = plan.Steps.Select(x => x.Kind).ToList();
        Assert.True(kinds.IndexOf(RollbackStepKind.BackupCurrent) < kinds.IndexOf(RollbackStepKind.RestoreDatabase));
        Assert.True(kinds.IndexOf(RollbackStepKind.SmokeTest) < kinds.IndexOf(RollbackStepKind.FirewallOnline));
        Assert.True(kinds.LastIndexOf(RollbackStepKind.PublishModuleWave) < kinds.IndexOf(RollbackStepKind.MaintenanceOff));
        Assert.Contains(plan.Warnings, w => w.StartsWith("Data loss", StringComparison.Ordinal));
        var md = RollbackPlanFile.ToMarkdown(plan);
        Assert.Contains("Data loss | **yes**", md);
        Assert.Contains("parallel database", md);
    }

    [Fact]
    public async Task Database_is_never_chosen_without_AllowDataLoss()
    {
        using var s = await RollbackScenario.CreateAsync();
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database));
        Assert.Equal("NoStrategyPossible", ex.ErrorId);
        Assert.Contains("allowed only with -AllowDataLoss", ex.Message);
    }

    [Fact]
    public async Task Data_corruption_skips_the_code_only_strategies()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(dataCorruption: true, allowDataLoss: true);
        Assert.Equal(RollbackStrategy.Database, plan.Strategy);
        Assert.All(plan.Assessments.Take(3), a => Assert.Contains("-DataCorruption", a.Reason));
        Assert.Contains(plan.Warnings, w => w.Contains("corrupt"));
    }

    [Fact]
    public async Task Module_restricts_to_the_named_modules_and_refuses_unknown_ones()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(modules: "Orders");
        Assert.Equal(RollbackStrategy.Module, plan.Strategy);
        Assert.Contains("-Module", plan.Assessments[0].Reason);
        Assert.Equal(new[] { "Orders" }, plan.Steps.Where(x => x.Kind == RollbackStepKind.PublishModuleWave).SelectMany(StepModules.Of).Select(m => m.Name));
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(modules: "Ordrs_CS"));
        Assert.Equal("UnknownModule", ex.ErrorId);
        Assert.Contains("'Orders_CS'", ex.Message);
    }

    [Fact]
    public async Task Plans_round_trip_through_JSON()
    {
        using var s = await RollbackScenario.CreateAsync();
        foreach (var plan in new[] { await s.PlanAsync(), await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true), await s.PlanAsync(RollbackStrategy.Module) })
        {
            var json = RollbackPlanFile.ToJson(plan);
            var back = RollbackPlanFile.FromJson(json, "plan.json");
            Assert.Equal(json, RollbackPlanFile.ToJson(back));
            Assert.Equal(plan.Steps.Count, back.Steps.Count);
            Assert.Equal(plan.DataLossFrom, back.DataLossFrom);
            Assert.Equal(plan.Steps.SelectMany(StepModules.Of), back.Steps.SelectMany(StepModules.Of));
        }
    }

    [Fact]
    public async Task A_damaged_plan_file_is_refused_clearly()
    {
        using var s = await RollbackScenario.CreateAsync();
        var json = RollbackPlanFile.ToJson(await s.PlanAsync());
        var ex = Assert.Throws<OsRollbackException>(() => RollbackPlanFile.FromJson(json.Replace("\"number\": 2", "\"number\": 7"), "plan.json"));
        Assert.Equal("RollbackPlanInvalid", ex.ErrorId);
        ex = Assert.Throws<OsRollbackException>(() => RollbackPlanFile.FromJson(json[..(json.Length / 2)], "plan.json"));
        Assert.Equal("RollbackPlanInvalid", ex.ErrorId);
        ex = Assert.Throws<OsRollbackException>(() => RollbackPlanFile.Read(s.Temp.File("none.json")));
        Assert.Equal("RollbackPlanNotFound", ex.ErrorId);
    }

    [Fact]
    public async Task Nothing_changed_means_no_code_strategy()
    {
        using var s = await RollbackScenario.CreateAsync(badDeploy: false);
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync());
        Assert.Contains("no application runs a version other than the rollback point's", ex.Message);
    }
}

public class RollbackPlannerDamageTests
{
    [Fact]
    public async Task A_damaged_module_graph_only_rules_out_the_strategies_that_need_it()
    {
        using var s = await RollbackScenario.CreateAsync();
        File.AppendAllText(s.Point.FullPath(s.Point.Manifest.File(RollbackFileRoles.ModuleGraph)!.Path), " ");
        var plan = await s.PlanAsync();
        Assert.Equal(RollbackStrategy.LifeTime, plan.Strategy);
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Module));
        Assert.Contains("module graph cannot be used", ex.Message);
        ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true));
        Assert.Contains("module graph cannot be used", ex.Message);
    }
}

/// <summary>The modules a step names (waves and version checks), for assertions over all steps.</summary>
internal static class StepModules
{
    public static IEnumerable<ModulePublishItem> Of(RollbackStep step) => step switch
    {
        PublishModuleWaveStep wave => wave.Modules,
        VerifyVersionsStep verify => verify.Modules,
        _ => [],
    };
}
