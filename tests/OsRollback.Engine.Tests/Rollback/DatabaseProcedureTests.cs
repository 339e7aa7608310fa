using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>OutSystems' platform-database restore procedure (docs-support restore-database.md) as steps of a Database plan.</summary>
public class DatabaseProcedureTests
{
    private static Task<RollbackPlan> PlanAsync(RollbackScenario s, ServerProcedureRequest servers) =>
        new RollbackPlanner(s.World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = s.Point, Reason = "INC-7", Strategy = RollbackStrategy.Database, AllowDataLoss = true, ServerProcedure = servers,
        }, s.Reporter, CancellationToken.None);

    private static readonly ServerProcedureRequest Farm = new() { DeploymentController = "dc1", FrontEnds = ["fe1", "fe2"] };

    private static int IndexOf<T>(RollbackPlan plan, Func<T, bool>? where = null) where T : RollbackStep =>
        plan.Steps.FindIndex(s => s is T t && (where is null || where(t)));

    [Fact]
    public async Task The_plan_stops_services_before_the_backup_and_configures_the_controller_then_each_front_end_after_the_restore()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, Farm);
        var stop = IndexOf<StopServicesStep>(plan);
        Assert.Equal(["dc1", "fe1", "fe2"], ((StopServicesStep)plan.Steps[stop]).Servers);
        Assert.True(IndexOf<FirewallOfflineStep>(plan) < stop);
        Assert.True(stop < IndexOf<BackupCurrentStep>(plan));
        var restore = IndexOf<RestoreDatabaseStep>(plan);
        var configured = plan.Steps.OfType<ConfigureServerStep>().Select(c => (c.Server, c.Role)).ToList();
        Assert.Equal([("dc1", ServerRoles.DeploymentController), ("fe1", ServerRoles.FrontEnd), ("fe2", ServerRoles.FrontEnd)], configured);
        // timers of the restored database are suspended before any service starts again
        var suspendRestored = plan.Steps.FindLastIndex(x => x is SuspendTimersStep);
        Assert.True(restore < suspendRestored && suspendRestored < IndexOf<ConfigureServerStep>(plan));
        var settings = IndexOf<ApplyPendingSettingsStep>(plan);
        Assert.Equal(["dc1"], ((ApplyPendingSettingsStep)plan.Steps[settings]).Servers);
        Assert.True(plan.Steps.FindLastIndex(x => x is ConfigureServerStep) < settings);
        Assert.True(settings < IndexOf<PublishModuleWaveStep>(plan));
        var woken = IndexOf<SuspendWokenTimersStep>(plan);
        Assert.True(plan.Steps.FindLastIndex(x => x is PublishModuleWaveStep) < woken);
        Assert.True(woken < IndexOf<MaintenanceOffStep>(plan) && woken < IndexOf<FirewallOnlineStep>(plan) && woken < IndexOf<ResumeTimersStep>(plan));
        Assert.Equal(RepublishMethod.ModuleWaves, plan.Republish!.Method);
        Assert.Contains("AllComponents", plan.Republish.Reason);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("No application server was named", StringComparison.Ordinal));
    }

    [Fact]
    public async Task All_Components_replaces_the_waves_with_one_publication_and_the_plan_says_why()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, new ServerProcedureRequest { DeploymentController = "dc1", Republish = RepublishMethod.AllComponents });
        Assert.Empty(plan.Steps.OfType<PublishModuleWaveStep>());
        var all = Assert.Single(plan.Steps.OfType<PublishAllComponentsStep>());
        Assert.Equal(FakeWorld.Graph.Select(m => m.Name).Order(), all.Modules.Select(m => m.Name).Order());
        Assert.Equal(RepublishMethod.AllComponents, plan.Republish!.Method);
        Assert.Contains("All Components", RollbackPlanFile.ToMarkdown(plan));
        var copy = RollbackPlanFile.FromJson(RollbackPlanFile.ToJson(plan), "test");
        Assert.Equal(plan.Republish, copy.Republish);
        Assert.Equal(plan.PlanDigest, RollbackPlanDigest.Compute(copy));

        // no hook: Service Center publishes every module in one staging
        var result = await s.ExecuteAsync(plan, executor: s.Executor(s.World.Ports(procedure: new RecordingProcedure(s.World, hook: false))));
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Single(s.World.Calls, c => c.StartsWith("PublishWave", StringComparison.Ordinal));
        Assert.True(s.World.Calls.IndexOf("ApplyPendingSettings dc1") < s.World.Calls.FindIndex(c => c.StartsWith("PublishWave", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Without_servers_the_plan_names_the_manual_steps()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, new ServerProcedureRequest());
        var warning = Assert.Single(plan.Warnings, w => w.Contains("No application server was named", StringComparison.Ordinal));
        foreach (var step in plan.Steps.Where(x => x is IServerProcedureStep)) Assert.Contains(step.Title, warning);
        Assert.Contains("-ManualStepDone", warning);
        Assert.Equal(2, plan.Steps.OfType<ConfigureServerStep>().Count()); // the controller, then the front-ends
    }

    [Fact]
    public async Task Without_a_hook_or_servers_the_run_stops_at_each_manual_step_and_resumes_only_when_the_operator_confirms()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, new ServerProcedureRequest());
        var executor = s.Executor(s.World.Ports(procedure: null) is var p ? new RollbackPorts
        {
            Platform = p.Platform, Database = p.Database, Schema = p.Schema, Smoke = p.Smoke, Firewall = p.Firewall, ModuleGraph = p.ModuleGraph, Identity = p.Identity,
        } : null);

        var first = await s.ExecuteAsync(plan, executor: executor);
        var stop = plan.Steps.Single(x => x is StopServicesStep);
        Assert.Equal(RollbackRunStatus.Failed, first.Status);
        Assert.Equal(stop.Number, first.FailedStep);
        Assert.Equal(ManualStepErrorId, first.Error!.ErrorId);
        Assert.Equal(OsErrorCategory.OperationStopped, first.Error.Category);
        Assert.Contains("Stop-OSServerServices", first.Error.Message);
        Assert.Contains("-ManualStepDone", first.Error.RecommendedAction);
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("Backup", StringComparison.Ordinal)); // nothing past the stop ran

        // -Resume alone does not pass the stop
        var again = await s.ExecuteAsync(plan, executor: executor, options: new RollbackExecutionOptions { Resume = true });
        Assert.Equal(stop.Number, again.FailedStep);

        var manualSteps = plan.Steps.Where(x => x is IServerProcedureStep).Select(x => x.Number).ToList();
        var stoppedAt = new List<int> { stop.Number };
        RollbackResult result;
        do
        {
            result = await s.ExecuteAsync(plan, executor: executor, options: new RollbackExecutionOptions { Resume = true, ManualStepDone = true });
            if (result.Status == RollbackRunStatus.Failed) stoppedAt.Add(result.FailedStep!.Value);
        } while (result.Status == RollbackRunStatus.Failed && stoppedAt.Count < 20);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(manualSteps, stoppedAt);
        foreach (var n in manualSteps)
            Assert.Equal("Manual", Assert.IsType<ServerProcedureDone>(result.Steps[n - 1].Outcome).How);
        Assert.Equal("DB:pre-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
    }

    [Fact]
    public async Task Named_servers_are_reached_by_remoting_in_the_documented_order()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, Farm);
        var result = await s.ExecuteAsync(plan, executor: s.Executor(s.World.Ports(procedure: new RecordingProcedure(s.World, hook: false))));
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        var server = s.World.Calls.Where(c => c.StartsWith("StopServices", StringComparison.Ordinal) || c.StartsWith("ConfigureServer", StringComparison.Ordinal) || c.StartsWith("ApplyPendingSettings", StringComparison.Ordinal)).ToList();
        Assert.Equal(["StopServices dc1", "StopServices fe1", "StopServices fe2", "ConfigureServer dc1", "ConfigureServer fe1", "ConfigureServer fe2", "ApplyPendingSettings dc1"], server);
        Assert.True(s.World.Calls.IndexOf("StopServices fe2") < s.World.Calls.FindIndex(c => c.StartsWith("Backup", StringComparison.Ordinal)));
        Assert.True(s.World.Calls.IndexOf("Restore") < s.World.Calls.IndexOf("ConfigureServer dc1"));
        Assert.All(new[] { "dc1", "fe1", "fe2" }, name => Assert.True(s.World.ServicesRunning[name]));
        Assert.Equal("Remoting", Assert.IsType<ServerProcedureDone>(result.Steps.Single(r => r.Kind == "StopServices").Outcome).How);
    }

    [Fact]
    public async Task Timers_woken_by_the_republish_are_suspended_again_before_the_applications_come_back_and_named()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, Farm);
        s.World.WokenTimers.AddRange(["CleanupOnPublish", "WarmCache"]);
        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        var calls = s.World.Calls;
        Assert.True(calls.FindLastIndex(c => c.StartsWith("PublishWave", StringComparison.Ordinal)) < calls.IndexOf("Timers resuspend-woken"));
        Assert.True(calls.IndexOf("Timers resuspend-woken") < calls.IndexOf("Maintenance off"));
        var outcome = Assert.IsType<WokenTimersSuspended>(result.Steps.Single(r => r.Kind == "SuspendWokenTimers").Outcome);
        Assert.Equal(["CleanupOnPublish", "WarmCache"], outcome.Timers);
        Assert.Contains("CleanupOnPublish", File.ReadAllText(result.MarkdownReportPath));
    }

    private const string ManualStepErrorId = "ManualStepRequired";
}
