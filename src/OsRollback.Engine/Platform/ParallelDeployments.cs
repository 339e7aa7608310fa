namespace OsRollback.Engine.Platform;

/// <summary>Whether LifeTime runs several plans on one target at a time (Connect-OsLifeTime -ParallelDeployments).</summary>
public enum ParallelDeploymentMode
{
    /// <summary>Parallel when the LifeTime version given with the connection allows it; serial when it is not known.</summary>
    Auto,
    /// <summary>Parallel: wait only for running plans that share an application with ours.</summary>
    Enabled,
    /// <summary>Serial: wait for any running plan on the target (as LifeTime before parallel deployments).</summary>
    Disabled,
}

/// <summary>The decision for one target: parallel or serial, and why (shown as a verbose message).</summary>
public sealed record ParallelDeploymentDecision(bool Parallel, string Reason);

/// <summary>
/// When LifeTime runs plans to one target in parallel. docs-product
/// <c>src/deploying-apps/deployment-plans.md</c> ("Creating and executing a parallel deployment
/// plan"): executing plans in parallel needs LifeTime 11.21.0 on OutSystems Cloud and 11.24.0 on
/// self-managed infrastructures, is on by default, and blocks a plan that shares a module (or a
/// reference to one) with a plan already deploying to that target. No public LifeTime API reports
/// LifeTime's own version, so <see cref="ParallelDeploymentMode.Auto"/> without a given version is serial.
/// </summary>
public static class ParallelDeployments
{
    public static readonly Version SelfManagedMinimum = new(11, 24, 0);
    public static readonly Version CloudMinimum = new(11, 21, 0);

    public static ParallelDeploymentDecision Decide(LifeTimeConnection connection, LifeTimeEnvironment target)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(target);
        switch (connection.ParallelDeployments)
        {
            case ParallelDeploymentMode.Enabled:
                return new(true, $"Parallel deployments are enabled for this connection: only plans that share an application with this one are waited for on {target.Name}.");
            case ParallelDeploymentMode.Disabled:
                return new(false, $"Parallel deployments are disabled for this connection: any plan running on {target.Name} is waited for.");
        }
        if (connection.LifeTimeVersion is not { } version)
            return new(false, $"LifeTime's version is not known (no public API reports it), so any plan running on {target.Name} is waited for; pass Connect-OsLifeTime -LifeTimeVersion (or -ParallelDeployments Enabled) to wait only for plans that share an application.");
        var minimum = target.IsCloudEnvironment ? CloudMinimum : SelfManagedMinimum;
        return version >= minimum
            ? new(true, $"LifeTime {version} runs plans in parallel on {target.Name} ({(target.IsCloudEnvironment ? "OutSystems Cloud" : "self-managed")}, {minimum}+): only plans that share an application with this one are waited for.")
            : new(false, $"LifeTime {version} runs one plan at a time on {target.Name} (parallel needs {minimum}+ {(target.IsCloudEnvironment ? "on OutSystems Cloud" : "self-managed")}): any running plan is waited for.");
    }
}
