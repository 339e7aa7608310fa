using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution.Steps;

/// <summary>The stop a step makes when nobody can do it but the operator: journaled, then resumed with -ManualStepDone.</summary>
public static class ManualStep
{
    public const string ErrorId = "ManualStepRequired";

    /// <summary>Done when this step stopped for the operator earlier and the operator now confirms; null otherwise.</summary>
    public static StepOutcome? Confirmed(RollbackStep step, StepContext c)
    {
        if (c.Journal.LastOutcome<ManualStepPending>(step.Number) is null) return null;
        if (!c.ManualStepConfirmed) return null;
        return new ServerProcedureDone { How = "Manual", Detail = "done by hand; confirmed by the operator (-ManualStepDone)" };
    }

    /// <summary>Journals the pause and stops the run with what to do.</summary>
    public static OsRollbackException Require(RollbackStep step, StepContext c, string instructions)
    {
        c.Journal.Write(step.Number, step.Kind, JournalEvent.Progress, "waiting for the operator", new ManualStepPending { Detail = "waiting for the operator", Instructions = instructions });
        return new OsRollbackException(ErrorId, OsErrorCategory.OperationStopped,
            $"Step {step.Number} ({step.Title}) must be done by hand: no -ProcedureScript hook was given and the plan names no server to reach by remoting. {instructions}",
            step.Title, "Do it, then continue with Invoke-OsRollback -Resume -ManualStepDone.");
    }
}

/// <summary>
/// A step of OutSystems' restore procedure on the application servers: the operator's hook when
/// given, else remoting to each server named at plan time, else a journaled stop for the operator.
/// </summary>
public abstract class ServerProcedureHandler<TStep> : StepHandler<TStep> where TStep : RollbackStep, IServerProcedureStep
{
    protected abstract string Operation { get; }
    protected virtual string? RoleOf(TStep step) => null;

    protected override Task<StepOutcome?> AlreadyDoneAsync(TStep step, StepContext c, CancellationToken ct) => Task.FromResult(ManualStep.Confirmed(step, c));

    protected override async Task<StepOutcome> RunAsync(TStep step, StepContext c, CancellationToken ct)
    {
        var procedure = c.Ports.Procedure;
        if (procedure is { HasHook: true })
        {
            var targets = step.Servers.Count > 0 ? step.Servers.Cast<string?>().ToList() : [null];
            foreach (var server in targets) await procedure.RunHookAsync(Context(step, c, server), ct).ConfigureAwait(false);
            return new ServerProcedureDone { How = "Hook", Servers = step.Servers, Detail = $"-ProcedureScript hook ran {Operation}{On(step.Servers)}" };
        }
        if (step.Servers.Count > 0 && procedure is not null)
        {
            foreach (var server in step.Servers)
            {
                c.Reporter.Verbose($"{Operation} on {server} (PowerShell remoting).");
                await procedure.RunRemoteAsync(Context(step, c, server), ct).ConfigureAwait(false);
            }
            return new ServerProcedureDone { How = "Remoting", Servers = step.Servers, Detail = $"{Operation}{On(step.Servers)} by PowerShell remoting" };
        }
        throw ManualStep.Require(step, c, step.ManualInstructions);
    }

    private ServerOperationContext Context(TStep step, StepContext c, string? server) =>
        new(c.Environment, c.Plan.Id, c.Point.Id, step.Kind, Operation, server, RoleOf(step));

    private static string On(IReadOnlyList<string> servers) => servers.Count > 0 ? $" on {string.Join(", ", servers)}" : "";
}

public sealed class StopServicesHandler : ServerProcedureHandler<StopServicesStep>
{
    protected override string Operation => ServerOperations.StopServices;
}

public sealed class ConfigureServerHandler : ServerProcedureHandler<ConfigureServerStep>
{
    protected override string Operation => ServerOperations.ConfigureServer;
    protected override string? RoleOf(ConfigureServerStep step) => step.Role;
}

public sealed class ApplyPendingSettingsHandler : ServerProcedureHandler<ApplyPendingSettingsStep>
{
    protected override string Operation => ServerOperations.ApplyPendingSettings;
    protected override string? RoleOf(ApplyPendingSettingsStep step) => ServerRoles.DeploymentController;
}

/// <summary>
/// One publication of every module at its running version (the All Components solution's current
/// running version): the operator's hook when given, else Service Center's staging publish.
/// </summary>
public sealed class PublishAllComponentsHandler : StepHandler<PublishAllComponentsStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override async Task<StepOutcome> RunAsync(PublishAllComponentsStep step, StepContext c, CancellationToken ct)
    {
        if (c.Ports.Procedure is { HasHook: true } procedure)
        {
            await procedure.RunHookAsync(new ServerOperationContext(c.Environment, c.Plan.Id, c.Point.Id, step.Kind, ServerOperations.PublishAllComponents, null, null), ct).ConfigureAwait(false);
            return new ServerProcedureDone { How = "Hook", Detail = "-ProcedureScript hook published the All Components solution" };
        }
        await c.Platform.PublishModulesAsync(c.Environment, step.Modules, false, c.Reporter, ct).ConfigureAwait(false);
        return new ServerProcedureDone { How = "Platform", Detail = $"published the running version of {step.Modules.Count} modules in one publication" };
    }
}

/// <summary>Suspends again the timers a publish woke, and names them.</summary>
public sealed class SuspendWokenTimersHandler : StepHandler<SuspendWokenTimersStep>
{
    public override IReadOnlyList<PortRequirement> RequiredPorts => [PortRequirement.Platform];

    protected override async Task<StepOutcome> RunAsync(SuspendWokenTimersStep step, StepContext c, CancellationToken ct)
    {
        var woken = await c.Platform.SuspendWokenTimersAsync(c.Environment, ct).ConfigureAwait(false);
        if (woken.Count > 0) c.Reporter.Warning($"Publishing woke {woken.Count} timer(s) scheduled When Published: {string.Join(", ", woken)}; suspended again, they run when the timers resume.");
        return new WokenTimersSuspended
        {
            Timers = woken,
            Detail = woken.Count == 0 ? "no timer was woken by publishing" : $"suspended again the timers woken by publishing: {string.Join(", ", woken)}",
        };
    }
}
