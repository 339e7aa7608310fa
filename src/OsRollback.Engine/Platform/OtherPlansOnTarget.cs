using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>
/// Waits, before a plan starts, for the plans already running on its target that it must not run
/// beside: on a serial LifeTime every running plan; on a parallel one only those that share an
/// application with ours, or whose applications cannot be read (then it waits as before and says why).
/// </summary>
internal sealed class OtherPlansOnTarget
{
    private readonly LifeTimeClient _client;
    private readonly HashSet<string> _finished = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlySet<string>> _applications = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _reportedUnrelated = new(StringComparer.OrdinalIgnoreCase);

    public OtherPlansOnTarget(LifeTimeClient client) => _client = client;

    private readonly record struct ActivePlan(string Key, string Status);

    private readonly record struct Blocker(ActivePlan Plan, string Reason);

    /// <param name="ours">Our plan's application keys on a parallel LifeTime; null on a serial one (every running plan blocks).</param>
    /// <param name="ownKey">Our own plan, never waited for.</param>
    public async Task WaitAsync(LifeTimeEnvironment target, IReadOnlySet<string>? ours, string? ownKey, TimeSpan timeout, string activity,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var policy = _client.Options.Polling;
        var deadline = _client.Options.TimeProvider.GetUtcNow() + timeout;
        var interval = policy.InitialInterval;
        while (true)
        {
            var blocker = await FindBlockerAsync(target, ours, ownKey, reporter, cancellationToken).ConfigureAwait(false);
            if (blocker is not { } busy) return;
            if (_client.Options.TimeProvider.GetUtcNow() >= deadline)
            {
                throw new OsRollbackException("TargetEnvironmentBusy", OsErrorCategory.ResourceBusy,
                    $"Deployment {busy.Plan.Key} on {target.Name} is still {busy.Plan.Status} after {timeout.TotalMinutes:0} minutes ({busy.Reason}).", busy.Plan.Key,
                    "Let it finish, or stop it with Stop-OsDeployment, then try again.");
            }
            reporter.Progress(new ProgressUpdate(activity, $"Waiting for deployment {busy.Plan.Key} ({busy.Plan.Status}) on {target.Name}: {busy.Reason}"));
            await _client.Options.DelayAsync(interval, cancellationToken).ConfigureAwait(false);
            interval = policy.Next(interval, progressed: false);
        }
    }

    private async Task<Blocker?> FindBlockerAsync(LifeTimeEnvironment target, IReadOnlySet<string>? ours, string? ownKey, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        foreach (var plan in await FindActivePlansAsync(target.Key, ownKey, includeSaved: ours is null, cancellationToken).ConfigureAwait(false))
        {
            if (ours is null)
                return new Blocker(plan, plan.Status == DeploymentStatuses.Saved
                    ? "a saved plan blocks a new one on a LifeTime that keeps one plan per target; start or delete it in LifeTime"
                    : "one plan runs at a time on this target");
            var reason = await OverlapAsync(plan, ours, cancellationToken).ConfigureAwait(false);
            if (reason is not null) return new Blocker(plan, reason);
            if (_reportedUnrelated.Add(plan.Key))
                reporter.Verbose($"Deployment {plan.Key} ({plan.Status}) on {target.Name} shares no application with this plan: not waiting for it (parallel deployments).");
        }
        return null;
    }

    /// <summary>Why our plan must wait for <paramref name="plan"/>, or null when they share no application.</summary>
    private async Task<string?> OverlapAsync(ActivePlan plan, IReadOnlySet<string> ours, CancellationToken cancellationToken)
    {
        if (!_applications.TryGetValue(plan.Key, out var theirs))
        {
            try
            {
                theirs = (await _client.GetDeploymentAsync(plan.Key, cancellationToken).ConfigureAwait(false)).ApplicationKeys;
            }
            catch (OsRollbackException ex)
            {
                return $"its applications could not be read ({ex.Message}), so it may share one with this plan";
            }
            if (theirs.Count == 0) return "LifeTime lists no application in it, so it may share one with this plan";
            _applications[plan.Key] = theirs;
        }
        var shared = theirs.Where(ours.Contains).ToList();
        return shared.Count == 0 ? null : $"it also deploys application(s) {string.Join(", ", shared)}";
    }

    /// <summary>The key of a saved plan on the target of a serial LifeTime, or null (none, or a parallel LifeTime, where saved plans do not block).</summary>
    public async Task<string?> SavedPlanOnTargetAsync(LifeTimeEnvironment target, LifeTimeConnection connection, CancellationToken cancellationToken)
    {
        if (ParallelDeployments.Decide(connection, target).Parallel) return null;
        try
        {
            var plans = await FindActivePlansAsync(target.Key, null, includeSaved: true, cancellationToken).ConfigureAwait(false);
            return plans.FirstOrDefault(p => p.Status == DeploymentStatuses.Saved).Key;
        }
        catch (OsRollbackException)
        {
            return null; // the refusal is reported as LifeTime gave it
        }
    }

    /// <param name="includeSaved">
    /// Serial LifeTime (before 11.21 on Cloud, 11.24 self-managed): a saved plan on the target
    /// blocks a new one too, as the official client treats it (its waiting list holds "saved").
    /// </param>
    private async Task<List<ActivePlan>> FindActivePlansAsync(string targetKey, string? ownKey, bool includeSaved, CancellationToken cancellationToken)
    {
        var active = new List<ActivePlan>();
        var plans = await _client.GetDeploymentsAsync(targetEnvironmentKey: targetKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var plan in plans.Where(p => string.IsNullOrEmpty(p.TargetEnvironmentKey) || string.Equals(p.TargetEnvironmentKey, targetKey, StringComparison.OrdinalIgnoreCase)))
        {
            if (string.Equals(plan.Key, ownKey, StringComparison.OrdinalIgnoreCase)) continue;
            var status = plan.DeploymentStatus;
            if (status is null)
            {
                if (LifeTimeDeployment.IsSet(plan.AbortedOn)) continue;
                if (!LifeTimeDeployment.IsSet(plan.StartedOn) && !includeSaved) continue; // only saved: blocks only on a serial LifeTime
                if (_finished.Contains(plan.Key)) continue;
                status = (await _client.GetDeploymentStatusAsync(plan.Key, cancellationToken).ConfigureAwait(false)).DeploymentStatus;
                if (DeploymentStatuses.IsFinal(status)) _finished.Add(plan.Key);
            }
            if (status is DeploymentStatuses.Running or DeploymentStatuses.NeedsUserIntervention or DeploymentStatuses.Aborting
                || includeSaved && status == DeploymentStatuses.Saved) active.Add(new ActivePlan(plan.Key, status));
        }
        return active;
    }
}
