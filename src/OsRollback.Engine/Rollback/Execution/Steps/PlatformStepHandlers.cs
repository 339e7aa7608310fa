using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution.Steps;

/// <summary>What runs in the environment, for the handlers' "already done?" checks.</summary>
internal static class RunningVersions
{
    public static async Task<bool> AllRunningAsync(StepContext c, IReadOnlyList<string> versionKeys, CancellationToken ct)
    {
        var running = await c.Platform.GetRunningApplicationsAsync(c.Environment, ct).ConfigureAwait(false);
        return versionKeys.All(k => running.Any(r => string.Equals(r.VersionKey, k, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Modules of <paramref name="modules"/> that do not run the wanted version (names).</summary>
    public static async Task<List<string>> ModulesNotAtVersionAsync(StepContext c, IReadOnlyList<ModulePublishItem> modules, CancellationToken ct)
    {
        if (modules.Count == 0) return [];
        var running = (await c.Platform.GetRunningApplicationsAsync(c.Environment, ct).ConfigureAwait(false)).SelectMany(a => a.Modules)
            .GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.First().VersionKey);
        return modules.Where(m => !string.IsNullOrEmpty(m.VersionKey) && (!running.TryGetValue(m.Key, out var v) || v != m.VersionKey)).Select(m => m.Name).ToList();
    }
}

public sealed class DeployVersionsHandler : StepHandler<DeployVersionsStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override void CheckPreconditions(DeployVersionsStep step, StepContext c)
    {
        if (string.IsNullOrEmpty(step.SourceEnvironment ?? c.Plan.SourceEnvironment))
            throw new OsRollbackException("RollbackPlanInvalid", OsErrorCategory.InvalidData, $"Step {step.Number} names no source environment to deploy from.", c.Plan.Id,
                "Make a new plan with New-OsRollbackPlan.");
    }

    protected override async Task<StepOutcome?> AlreadyDoneAsync(DeployVersionsStep step, StepContext c, CancellationToken ct) =>
        await RunningVersions.AllRunningAsync(c, step.VersionKeys, ct).ConfigureAwait(false)
            ? new DeploymentFinished { Detail = "already running the rollback point's versions; nothing deployed" }
            : null;

    /// <summary>
    /// The new deployment's key is journaled (a progress event) before LifeTime starts it; a resumed
    /// step continues that deployment, so the same versions are never deployed twice.
    /// </summary>
    protected override async Task<StepOutcome> RunAsync(DeployVersionsStep step, StepContext c, CancellationToken ct)
    {
        var source = step.SourceEnvironment ?? c.Plan.SourceEnvironment!;
        var existing = c.Journal.LastOutcome<DeploymentStarted>(step.Number)?.DeploymentKey;
        if (existing is not null) c.Reporter.Verbose($"Continuing the LifeTime deployment {existing} of an earlier attempt.");
        var deployment = await c.Platform.DeployVersionsAsync(new DeployVersionsRequest
        {
            SourceEnvironment = source,
            TargetEnvironment = c.Environment,
            ApplicationVersionKeys = step.VersionKeys,
            Notes = $"OsRollback plan {c.Plan.Id}: {c.Plan.Reason}",
            ExistingDeploymentKey = existing,
            DeploymentCreated = (key, _) =>
            {
                c.Journal.Write(step.Number, step.Kind, JournalEvent.Progress, $"LifeTime deployment {key} created",
                    new DeploymentStarted { Detail = $"LifeTime deployment {key} created", DeploymentKey = key });
                return Task.CompletedTask;
            },
        }, c.Reporter, ct).ConfigureAwait(false);
        return new DeploymentFinished { Detail = $"LifeTime deployment {deployment} from {source} finished", DeploymentKey = deployment };
    }
}

public sealed class PublishSolutionHandler : StepHandler<PublishSolutionStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override void CheckPreconditions(PublishSolutionStep step, StepContext c) => c.Verification.EnsureCheap(RollbackFileRoles.SolutionPackage);

    protected override async Task<StepOutcome?> AlreadyDoneAsync(PublishSolutionStep step, StepContext c, CancellationToken ct)
    {
        var keys = c.Plan.Changes.Select(ch => ch.RollbackVersionKey).ToList();
        return keys.Count > 0 && await RunningVersions.AllRunningAsync(c, keys, ct).ConfigureAwait(false)
            ? Done("already running the rollback point's versions; nothing published") : null;
    }

    protected override async Task<StepOutcome> RunAsync(PublishSolutionStep step, StepContext c, CancellationToken ct)
    {
        // Published from the file: its content must be the approved one (hashed here, once; the publish takes far longer).
        c.Verification.EnsureIntact(RollbackFileRoles.SolutionPackage);
        var package = c.Point.Manifest.File(RollbackFileRoles.SolutionPackage)!;
        await c.Platform.PublishPackageAsync(c.Environment, c.Point.FullPath(package.Path), c.Reporter, ct).ConfigureAwait(false);
        return Done($"published {package.Path}");
    }
}

public sealed class PublishModuleWaveHandler : StepHandler<PublishModuleWaveStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    // Never "already done": consumers must be republished even at an unchanged version, to pick up
    // their producers' older signatures; publishing a version again is idempotent.
    protected override async Task<StepOutcome> RunAsync(PublishModuleWaveStep step, StepContext c, CancellationToken ct)
    {
        await c.Platform.PublishModulesAsync(c.Environment, step.Modules, step.UseUnverifiedVersionField, c.Reporter, ct).ConfigureAwait(false);
        return Done($"wave {step.Wave}: published {string.Join(", ", step.Modules.Select(m => m.Name))}");
    }
}

public sealed class VerifyVersionsHandler : StepHandler<VerifyVersionsStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override async Task<StepOutcome> RunAsync(VerifyVersionsStep step, StepContext c, CancellationToken ct)
    {
        var running = await c.Platform.GetRunningApplicationsAsync(c.Environment, ct).ConfigureAwait(false);
        var missingApps = c.Plan.Changes.Where(ch => step.VersionKeys.Contains(ch.RollbackVersionKey) && !running.Any(r => r.VersionKey == ch.RollbackVersionKey))
            .Select(ch => $"{ch.Name} {ch.RollbackVersion}").ToList();
        var wrongModules = await RunningVersions.ModulesNotAtVersionAsync(c, step.Modules, ct).ConfigureAwait(false);
        if (missingApps.Count > 0 || wrongModules.Count > 0)
        {
            throw new OsRollbackException("VersionMismatch", OsErrorCategory.InvalidResult,
                $"{c.Environment} does not run the rollback point's versions of {string.Join(", ", missingApps.Concat(wrongModules))}.", c.Environment,
                "Check the deployment in LifeTime/Service Center, then -Resume.");
        }
        return Done("the rollback point's versions run");
    }
}

public sealed class MaintenanceOnHandler : StepHandler<MaintenanceOnStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override async Task<StepOutcome> RunAsync(MaintenanceOnStep step, StepContext c, CancellationToken ct)
    {
        await c.Platform.SetMaintenanceModeAsync(c.Environment, true, $"OsRollback: {c.Plan.Reason}", ct).ConfigureAwait(false);
        return Done("maintenance mode on");
    }
}

public sealed class MaintenanceOffHandler : StepHandler<MaintenanceOffStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override async Task<StepOutcome> RunAsync(MaintenanceOffStep step, StepContext c, CancellationToken ct)
    {
        await c.Platform.SetMaintenanceModeAsync(c.Environment, false, $"OsRollback: {c.Plan.Reason}", ct).ConfigureAwait(false);
        return Done("maintenance mode off (online internally)");
    }
}

public sealed class SuspendTimersHandler : StepHandler<SuspendTimersStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override async Task<StepOutcome> RunAsync(SuspendTimersStep step, StepContext c, CancellationToken ct)
    {
        await c.Platform.SetTimersSuspendedAsync(c.Environment, true, ct).ConfigureAwait(false);
        return Done("timers suspended");
    }
}

public sealed class ResumeTimersHandler : StepHandler<ResumeTimersStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override async Task<StepOutcome> RunAsync(ResumeTimersStep step, StepContext c, CancellationToken ct)
    {
        await c.Platform.SetTimersSuspendedAsync(c.Environment, false, ct).ConfigureAwait(false);
        return Done("timers resumed");
    }
}
