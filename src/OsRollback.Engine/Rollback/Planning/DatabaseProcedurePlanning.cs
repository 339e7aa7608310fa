using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>How a Database rollback republishes the factory after the restore.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum RepublishMethod
{
    /// <summary>Module by module, producers before consumers, one journaled wave at a time.</summary>
    ModuleWaves,

    /// <summary>The All Components solution's current running version in one publication (OutSystems' documented way).</summary>
    AllComponents,
}

/// <summary>The republish way a plan chose, and why.</summary>
public sealed record RepublishChoice(RepublishMethod Method, string Reason);

/// <summary>The application servers named at plan time (no credential: Invoke-OsRollback takes it) and the republish way asked for.</summary>
public sealed class ServerProcedureRequest
{
    public string? DeploymentController { get; init; }
    public IReadOnlyList<string> FrontEnds { get; init; } = [];

    /// <summary>Null: the planner chooses (module waves).</summary>
    public RepublishMethod? Republish { get; init; }

    public bool NamesServers => !string.IsNullOrWhiteSpace(DeploymentController) || FrontEnds.Count > 0;

    /// <summary>The deployment controller first, then each front-end, each once.</summary>
    public IReadOnlyList<string> AllServers => new[] { DeploymentController }.Concat(FrontEnds)
        .Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}

/// <summary>
/// The steps of OutSystems' platform-database restore procedure (docs-support restore-database.md)
/// that a Database plan adds around the restore: services stopped before it; after it, the
/// Configuration Tool applied and the services restarted on the deployment controller and then each
/// front-end, pending settings applied, the factory republished (module waves or the All Components
/// solution) and the timers that publishing woke suspended again.
/// </summary>
public static class DatabaseProcedurePlanning
{
    public static RollbackStep StopServices(ServerProcedureRequest servers, string env) => new StopServicesStep
    {
        Title = servers.NamesServers
            ? $"Stop IIS and the OutSystems services on {string.Join(", ", servers.AllServers)}"
            : "Stop IIS and the OutSystems services on every front-end and the deployment controller (by hand: no server named)",
        Target = env,
        Servers = servers.AllServers,
    };

    /// <summary>The deployment controller first, then each front-end; one step per server, so a resume continues at the next server.</summary>
    public static IEnumerable<RollbackStep> ConfigureServers(ServerProcedureRequest servers, string env)
    {
        var controller = servers.DeploymentController?.Trim() ?? "";
        yield return Configure(controller, ServerRoles.DeploymentController, env);
        var frontEnds = servers.FrontEnds.Select(f => f.Trim()).Where(f => f.Length > 0 && !f.Equals(controller, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (frontEnds.Count == 0 && !servers.NamesServers) yield return Configure("", ServerRoles.FrontEnd, env);
        foreach (var frontEnd in frontEnds) yield return Configure(frontEnd, ServerRoles.FrontEnd, env);
    }

    private static ConfigureServerStep Configure(string server, string role, string env) => new()
    {
        Title = role == ServerRoles.DeploymentController
            ? $"Apply the Configuration Tool settings (Service Center installation) and restart the services on the deployment controller{(server.Length > 0 ? $" {server}" : " (by hand: not named)")}"
            : $"Apply the Configuration Tool settings and restart the services on {(server.Length > 0 ? $"the front-end {server}" : "each front-end (by hand: none named)")}",
        Target = server.Length > 0 ? server : env,
        Server = server,
        Role = role,
    };

    public static RollbackStep ApplyPendingSettings(ServerProcedureRequest servers, string env) => new ApplyPendingSettingsStep
    {
        Title = "Apply the pending settings of all modules" + (string.IsNullOrWhiteSpace(servers.DeploymentController) ? " (by hand, or the -ProcedureScript hook)" : $" (on the deployment controller {servers.DeploymentController!.Trim()})"),
        Target = env,
        Servers = string.IsNullOrWhiteSpace(servers.DeploymentController) ? [] : [servers.DeploymentController!.Trim()],
    };

    /// <summary>Which way republishes the factory, with the reason the plan records.</summary>
    public static RepublishChoice ChooseRepublish(ServerProcedureRequest servers, int modules, int waves) => servers.Republish switch
    {
        RepublishMethod.AllComponents => new(RepublishMethod.AllComponents,
            $"asked for (-Republish AllComponents): OutSystems' documented way, the All Components solution's current running version in one publication of {modules} modules; a failed publication is repeated whole on -Resume"),
        RepublishMethod.ModuleWaves => new(RepublishMethod.ModuleWaves,
            $"asked for (-Republish ModuleWaves): {modules} modules in {waves} waves, producers before consumers; -Resume continues from the first wave not published"),
        _ => new(RepublishMethod.ModuleWaves,
            $"default: {modules} modules in {waves} waves, producers before consumers, each wave journaled so -Resume continues from the first wave not published; -Republish AllComponents publishes OutSystems' All Components solution in one publication instead"),
    };

    public static RollbackStep AllComponents(IReadOnlyList<ModulePublishItem> modules, string env) => new PublishAllComponentsStep
    {
        Title = $"Publish the current running version of the All Components solution ({modules.Count} modules in one publication)",
        Target = env,
        Modules = modules,
    };

    public static RollbackStep SuspendWokenTimers(string env) => new SuspendWokenTimersStep
    {
        Title = "Suspend again the timers woken by publishing (When Published), before the applications come back",
        Target = env,
    };

    /// <summary>A plan without servers says which steps the operator does by hand.</summary>
    public static void AddManualWarning(RollbackPlan plan, IEnumerable<RollbackStep> steps)
    {
        var manual = steps.Where(s => s is IServerProcedureStep p && p.Servers.Count == 0).Select(s => s.Title).ToList();
        if (manual.Count == 0) return;
        plan.Warnings.Add($"No application server was named (-DeploymentController, -FrontEnd): unless Invoke-OsRollback gets a -ProcedureScript hook, the run stops at each of these steps for the operator to do it by hand and continue with -Resume -ManualStepDone: {string.Join("; ", manual)}.");
    }
}
