using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution.Steps;

/// <summary>Cheap checks only (files present with their recorded size): the full hashes ran when the point was taken and at plan time.</summary>
public sealed class VerifyRollbackPointHandler : StepHandler<VerifyRollbackPointStep>
{
    /// <summary>The files a plan of this strategy needs; a Database plan also needs the backup of every catalog it restores.</summary>
    public static string[] RolesOf(RollbackPlan plan, RollbackPoint point) => plan.Strategy == RollbackStrategy.Database
        ? [.. RolesOf(plan.Strategy), .. plan.Steps.OfType<RestoreDatabaseStep>().Where(s => s.Database is not null).Select(s => StepDatabases.Resolve(s, plan, point, null).BackupRole)]
        : RolesOf(plan.Strategy);

    public static string[] RolesOf(RollbackStrategy strategy) => strategy switch
    {
        RollbackStrategy.Database => [RollbackFileRoles.Backup, RollbackFileRoles.ModuleGraph],
        RollbackStrategy.Solution => [RollbackFileRoles.SolutionPackage],
        RollbackStrategy.Module => [RollbackFileRoles.ModuleGraph],
        RollbackStrategy.LifeTime => [],
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "A strategy must name the rollback point's files it needs."),
    };

    protected override Task<StepOutcome> RunAsync(VerifyRollbackPointStep step, StepContext c, CancellationToken ct)
    {
        c.Verification.EnsureCheap(RolesOf(c.Plan, c.Point));
        return Task.FromResult(Done("the rollback point's files and checksums match"));
    }
}

/// <summary>The -OfflineScript / -OnlineScript hooks; without one the step warns and changes nothing.</summary>
public abstract class FirewallHandler<TStep> : StepHandler<TStep> where TStep : RollbackStep
{
    protected abstract string Phase { get; }
    protected abstract Task RunHookAsync(IFirewallHook hook, HookContext context, CancellationToken ct);

    protected override async Task<StepOutcome> RunAsync(TStep step, StepContext c, CancellationToken ct)
    {
        if (c.Ports.Firewall is not { } hook || !hook.Has(Phase))
        {
            c.Reporter.Warning($"No -{Phase}Script hook was given: the applications' reachability by end users was not changed.");
            return Done($"no {Phase} hook given");
        }
        await RunHookAsync(hook, new HookContext(c.Environment, c.Plan.Id, c.Point.Id, step.Kind), ct).ConfigureAwait(false);
        return Done($"{Phase} hook ran");
    }
}

public sealed class FirewallOfflineHandler : FirewallHandler<FirewallOfflineStep>
{
    protected override string Phase => "Offline";
    protected override Task RunHookAsync(IFirewallHook hook, HookContext context, CancellationToken ct) => hook.TakeOfflineAsync(context, ct);
}

public sealed class FirewallOnlineHandler : FirewallHandler<FirewallOnlineStep>
{
    protected override string Phase => "Online";
    protected override Task RunHookAsync(IFirewallHook hook, HookContext context, CancellationToken ct) => hook.BringOnlineAsync(context, ct);
}

public sealed class SmokeTestHandler : StepHandler<SmokeTestStep>
{
    protected override async Task<StepOutcome> RunAsync(SmokeTestStep step, StepContext c, CancellationToken ct)
    {
        if (c.Ports.Smoke is not { } smoke)
        {
            c.Reporter.Warning("No smoke tester is available; the smoke test step checked nothing.");
            return new SmokeTestPassed { Detail = "no smoke checks" };
        }
        var results = await smoke.RunAsync(c.Environment, c.Plan.SmokeTargets, c.Reporter, ct).ConfigureAwait(false);
        if (results.Count == 0)
        {
            c.Reporter.Warning("No smoke check was configured (no application URL captured, no -SmokeScript).");
            return new SmokeTestPassed { Detail = "no smoke checks configured" };
        }
        var failed = results.Where(r => !r.Passed).ToList();
        if (failed.Count > 0)
        {
            throw new OsRollbackException("SmokeTestFailed", OsErrorCategory.InvalidResult,
                $"{failed.Count} of {results.Count} smoke check{(results.Count == 1 ? "" : "s")} failed: {string.Join("; ", failed.Select(f => $"{f.Name}: {f.Message}"))}.", c.Environment,
                "The applications stay closed to users. Investigate, fix, then -Resume to test again.");
        }
        return new SmokeTestPassed { Detail = results.Count == 1 ? "the smoke check passed" : $"{results.Count} smoke checks passed", Checks = results.Count };
    }
}
