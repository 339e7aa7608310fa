namespace OsRollback.Engine.Platform;

/// <summary>
/// Whether the deployments a rollback undoes touched business processes (BPT). LifeTime stops a
/// deployment that affects processes with Info <c>business_process_impact</c> and asks to read its
/// warnings first (Swagger, DeploymentMessageListTextTextRecord.Info); such a plan, or one whose log
/// warns about processes, is named so that the rollback plan says it before anything runs: process
/// instances in flight were started on the newer definitions, and rolling back changes them again.
/// </summary>
public static class BusinessProcessImpact
{
    public static async Task<IReadOnlyList<string>> NoticesAsync(LifeTimeClient client, string environment, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var target = await client.ResolveEnvironmentAsync(environment, cancellationToken).ConfigureAwait(false);
        var notices = new List<string>();
        foreach (var plan in await client.GetDeploymentsAsync(since, null, target.Key, cancellationToken).ConfigureAwait(false))
        {
            var status = await client.GetDeploymentStatusAsync(plan.Key, cancellationToken).ConfigureAwait(false);
            var warned = status.DeploymentLog.Where(e => !e.Type.Equals("Info", StringComparison.OrdinalIgnoreCase)
                && e.Message.Contains("process", StringComparison.OrdinalIgnoreCase)).Select(e => e.Message).ToList();
            if (status.Info == DeploymentStatuses.BusinessProcessImpact || warned.Count > 0)
            {
                notices.Add($"Deployment {plan.Key} to {target.Name} ({plan.CreatedOn:u}) " +
                    (status.Info == DeploymentStatuses.BusinessProcessImpact ? "stopped for business_process_impact" : "warned about business processes") +
                    (warned.Count > 0 ? ": " + string.Join("; ", warned.Take(3)) : "") +
                    ". Process instances started since run on the newer process definitions: check them in Service Center (Monitoring > Processes) before and after the rollback.");
            }
        }
        return notices;
    }
}
