using Newtonsoft.Json;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// A step of OutSystems' platform-database restore procedure that acts on the application servers
/// (docs-support restore-database.md): the operator's -ProcedureScript hook does it, else PowerShell
/// remoting to the servers named at plan time, else the operator does it by hand and confirms.
/// </summary>
public interface IServerProcedureStep
{
    /// <summary>The servers it acts on, in order (empty: none named at plan time, or a platform-wide step).</summary>
    IReadOnlyList<string> Servers { get; }

    /// <summary>What the operator does by hand when neither a hook nor a named server is there.</summary>
    string ManualInstructions { get; }
}

/// <summary>Stops IIS and the OutSystems services on every application server, before the platform database is backed up and restored.</summary>
public sealed record StopServicesStep : RollbackStep, IServerProcedureStep
{
    public IReadOnlyList<string> Servers { get; init; } = [];

    [JsonIgnore]
    public string ManualInstructions =>
        "On every front-end and the deployment controller: stop IIS and the OutSystems services (SetupTools: Stop-OSServerServices; or iisreset /stop and Stop-Service on the OutSystems services).";
}

/// <summary>
/// On one server (the deployment controller first, then each front-end): applies the Configuration
/// Tool settings, which runs the Service Center installation, then starts IIS and restarts the services.
/// </summary>
public sealed record ConfigureServerStep : RollbackStep, IServerProcedureStep
{
    /// <summary>The server; empty when none was named at plan time.</summary>
    public string Server { get; init; } = "";

    /// <summary><see cref="ServerRoles.DeploymentController"/> or <see cref="ServerRoles.FrontEnd"/>.</summary>
    public string Role { get; init; } = ServerRoles.DeploymentController;

    [JsonIgnore]
    public IReadOnlyList<string> Servers => Server.Length > 0 ? [Server] : [];

    [JsonIgnore]
    public string ManualInstructions => (Server.Length > 0 ? $"On {Server}" : Role == ServerRoles.DeploymentController ? "On the deployment controller" : "On each front-end")
        + ": open the Configuration Tool, check the Platform, Session and Log database tabs, start IIS, Apply and Exit, answer Yes to the Service Center installation and to the restart of the OutSystems services, and check that every OutSystems service runs"
        + " (SetupTools: Set-OSServerConfig -Apply -InstallServiceCenter, then Start-OSServerServices).";
}

/// <summary>Applies the pending settings of all modules (Service Center: Apply Settings to the Factory), on the deployment controller.</summary>
public sealed record ApplyPendingSettingsStep : RollbackStep, IServerProcedureStep
{
    /// <summary>The deployment controller, when named.</summary>
    public IReadOnlyList<string> Servers { get; init; } = [];

    [JsonIgnore]
    public string ManualInstructions =>
        "In Service Center (Factory > Solutions, the All Components solution), apply the pending settings to all modules (on the deployment controller: ConfigurationTool.com /ApplySettingsFactory).";
}

/// <summary>
/// Publishes the current running version of every module in one publication, as Service Center's
/// All Components solution does (OutSystems' documented way to republish the factory).
/// </summary>
public sealed record PublishAllComponentsStep : RollbackStep
{
    public IReadOnlyList<Ports.ModulePublishItem> Modules { get; init; } = [];
}

/// <summary>
/// Publishing wakes the timers scheduled "When Published": after the last republish, before the
/// applications come back, suspends them again and names them (they run when the timers resume).
/// </summary>
public sealed record SuspendWokenTimersStep : RollbackStep;

/// <summary>The roles of an OutSystems application server in the restore procedure.</summary>
public static class ServerRoles
{
    public const string DeploymentController = nameof(DeploymentController);
    public const string FrontEnd = nameof(FrontEnd);
}
