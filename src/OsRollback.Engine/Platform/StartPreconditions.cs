using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>
/// What LifeTime requires before it accepts "start" (Swagger, Deployments_ExecuteCommand): staging
/// not started, applications in the plan, no inconsistencies, and a target that is neither in
/// maintenance mode nor offline. The API cannot read maintenance mode or whether an environment is
/// offline, so OsRollback checks what it knows (maintenance mode it set itself on this connection)
/// and, when LifeTime refuses anyway, quotes LifeTime's details (sent with IncludeErrorDetails=true)
/// beside the documented causes.
/// </summary>
internal static class StartPreconditions
{
    public static void Check(LifeTimeClient client, LifeTimeEnvironment target, string deploymentKey)
    {
        if (client.Connection.MaintenanceModeSet.TryGetValue(target.Key, out var on) && on)
        {
            throw new OsRollbackException("TargetInMaintenanceMode", OsErrorCategory.InvalidOperation,
                $"Deployment {deploymentKey} was not started: {target.Name} is in maintenance mode (set by this session), and LifeTime refuses to start a deployment while the target is in maintenance mode or offline.",
                target.Name, $"Take {target.Name} out of maintenance mode (Set-OsMaintenanceMode -Environment '{target.Name}' -Enabled $false), then run the step again.");
        }
    }

    public static string Explain(LifeTimeEnvironment target) =>
        $"LifeTime refuses a start while {target.Name} is in maintenance mode or offline, while the plan has conflicts, or while another plan runs there; its details are quoted above.";
}
