using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>Choices for <see cref="ApplicationDeployer"/>.</summary>
public sealed class DeployOptions
{
    /// <summary>Notes saved with the plan (shown in LifeTime).</summary>
    public string? Notes { get; init; }

    /// <summary>When a two-step deployment reports deployment_prepared, send continue (otherwise stop and report it).</summary>
    public bool ContinueAfterPrepared { get; init; }

    /// <summary>RedeployOutdated on start: also redeploy consumer modules made outdated by the deploy.</summary>
    public bool RedeployOutdated { get; init; } = true;

    /// <summary>How long to wait for other plans on the target to finish before giving up.</summary>
    public TimeSpan WaitForOtherPlansTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Deployment zone per application version key (optional; LifeTime uses the application's zone otherwise).</summary>
    public IReadOnlyDictionary<string, string>? DeploymentZones { get; init; }

    /// <summary>
    /// Called with the key of a newly created plan, after its conflicts were checked and before
    /// it is started, so that a caller can record it (a journal) and never create a second one.
    /// </summary>
    public Func<string, CancellationToken, Task>? DeploymentCreated { get; init; }

    /// <summary>
    /// Continue this deployment instead of creating a plan (a resumed rollback step): a saved
    /// plan is started, a running one is polled, a prepared two-step one is continued, a
    /// finished one is reported as it ended.
    /// </summary>
    public string? ExistingDeploymentKey { get; init; }

    /// <summary>
    /// How long Service Center keeps the transient solution of a prepared two-step deployment
    /// (SolutionPackHoursCache, 96 h by default; the SolutionPack_Cleanup timer removes it). A
    /// resumed plan prepared longer ago is aborted and prepared again instead of continued.
    /// </summary>
    public TimeSpan SolutionPackHoursCache { get; init; } = TimeSpan.FromHours(96);
}

/// <summary>The outcome of a LifeTime deployment.</summary>
public sealed class DeploymentResult
{
    public string DeploymentKey { get; init; } = "";
    /// <summary>LifeTime's final (or last seen) status: finished_successful, finished_with_warnings, finished_with_errors, aborted, needs_user_intervention, ...</summary>
    public string DeploymentStatus { get; init; } = "";
    /// <summary>LifeTime's Info while needs_user_intervention (deployment_prepared, ...).</summary>
    public string? Info { get; init; }
    public bool Succeeded => DeploymentStatuses.IsSuccess(DeploymentStatus);
    public string? SourceEnvironment { get; init; }
    public string? TargetEnvironment { get; init; }
    public string? TargetEnvironmentKey { get; init; }
    public string[] ApplicationVersionKeys { get; init; } = [];
    public IReadOnlyList<DeploymentLogEntry> DeploymentLog { get; init; } = [];
    public IReadOnlyList<ApplicationConflict> Conflicts { get; init; } = [];
    public DateTimeOffset StartedOn { get; init; }
    public DateTimeOffset FinishedOn { get; init; }
    public TimeSpan Duration => FinishedOn - StartedOn;
    /// <summary>Status requests made while polling.</summary>
    public int PollCount { get; init; }
    public override string ToString() => $"{DeploymentKey} {DeploymentStatus}";
}

/// <summary>A plan that LifeTime refuses to run because of conflicts; the saved plan was deleted.</summary>
public sealed class DeploymentConflictException : OsRollbackException
{
    public DeploymentConflictException(string message, IReadOnlyList<ApplicationConflict> conflicts, object? target)
        : base("DeploymentConflicts", OsErrorCategory.InvalidOperation, message, target,
            "Resolve the conflicts (deploy the missing producers too, or pick compatible versions) and try again. The saved plan was deleted.")
        => Conflicts = conflicts;

    public IReadOnlyList<ApplicationConflict> Conflicts { get; }
}

/// <summary>What a deployment would do, worked out without creating anything (-WhatIf).</summary>
public sealed class DeploymentPreview
{
    public required LifeTimeEnvironment Source { get; init; }
    public required LifeTimeEnvironment Target { get; init; }
    public required string[] ApplicationVersionKeys { get; init; }
    public override string ToString() =>
        $"Deploy application version(s) {string.Join(", ", ApplicationVersionKeys)} from {Source.Name} to {Target.Name} as one LifeTime plan";
}

/// <summary>
/// Deploys application version tags from a source to a target environment as one LifeTime plan,
/// the way LifeTime and outsystems-pipeline do: refuse source = target, wait for other plans on
/// the target (only those sharing an application where LifeTime runs plans in parallel, see
/// <see cref="ParallelDeployments"/>), create the plan, stop on conflicts (deleting the saved plan), start, poll status
/// and log, continue a two-step deployment only when asked, and report the final status.
/// </summary>
public sealed class ApplicationDeployer
{
    private readonly LifeTimeClient _client;
    private readonly OtherPlansOnTarget _otherPlans;

    public ApplicationDeployer(LifeTimeClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _otherPlans = new OtherPlansOnTarget(client);
    }

    /// <summary>Resolves environments (names or keys) and checks the request; creates nothing.</summary>
    public async Task<DeploymentPreview> PreviewAsync(string sourceEnvironment, string targetEnvironment, IEnumerable<string> versionKeys, CancellationToken cancellationToken = default)
    {
        var keys = versionKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (keys.Length == 0)
            throw new OsRollbackException("NoApplicationVersion", OsErrorCategory.InvalidArgument, "No application version was given.", null, "Pass version objects from Get-OsApplicationVersion, or their keys.");
        var environments = await _client.GetEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        var source = LifeTimeClient.Resolve(environments, sourceEnvironment, e => e.Key, e => e.Name, "environment", "Get-OsEnvironment");
        var target = LifeTimeClient.Resolve(environments, targetEnvironment, e => e.Key, e => e.Name, "environment", "Get-OsEnvironment");
        if (string.Equals(source.Key, target.Key, StringComparison.OrdinalIgnoreCase))
        {
            throw new OsRollbackException("SameSourceAndTarget", OsErrorCategory.InvalidArgument,
                $"The source and target are both '{target.Name}': LifeTime cannot deploy an environment onto itself.", target.Name,
                "To roll back, deploy the older version tag from an upstream environment that holds it (for example -SourceEnvironment Quality -TargetEnvironment Production), or tag the previous version anew.");
        }
        return new DeploymentPreview { Source = source, Target = target, ApplicationVersionKeys = keys };
    }

    /// <summary>Runs the whole deployment; see the class summary.</summary>
    public async Task<DeploymentResult> DeployAsync(string sourceEnvironment, string targetEnvironment, IEnumerable<string> versionKeys,
        DeployOptions? options = null, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewAsync(sourceEnvironment, targetEnvironment, versionKeys, cancellationToken).ConfigureAwait(false);
        return await DeployAsync(preview, options, reporter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the deployment that <see cref="PreviewAsync"/> worked out (no second lookup of the environments).</summary>
    public async Task<DeploymentResult> DeployAsync(DeploymentPreview preview, DeployOptions? options = null, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preview);
        options ??= new DeployOptions();
        reporter ??= NullReporter.Instance;
        var started = _client.Options.TimeProvider.GetUtcNow();
        var activity = $"Deploying to {preview.Target.Name}";

        if (options.ExistingDeploymentKey is { Length: > 0 } existing)
        {
            var resumed = await ContinueExistingAsync(preview, existing, options, activity, reporter, started, cancellationToken).ConfigureAwait(false);
            if (resumed is not null) return resumed;
        }

        var parallel = ParallelDeployments.Decide(_client.Connection, preview.Target);
        reporter.Verbose(parallel.Reason);
        // Serial: wait before creating, as LifeTime runs one plan at a time. Parallel: our plan's
        // applications are known only once it exists, so it waits after it is created.
        if (!parallel.Parallel)
            await _otherPlans.WaitAsync(preview.Target, null, null, options.WaitForOtherPlansTimeout, activity, reporter, cancellationToken).ConfigureAwait(false);

        reporter.Progress(new ProgressUpdate(activity, "Creating the deployment plan", 0));
        var key = await CreatePlanAsync(preview, options, cancellationToken).ConfigureAwait(false);
        reporter.Verbose($"Created deployment plan {key} from {preview.Source.Name} to {preview.Target.Name}.");

        var detail = await _client.GetDeploymentAsync(key, cancellationToken).ConfigureAwait(false);
        if (detail.ApplicationConflicts.Count > 0)
        {
            foreach (var conflict in detail.ApplicationConflicts) reporter.Warning($"Conflict in plan {key}: {conflict}");
            await _client.DeleteDeploymentAsync(key, CancellationToken.None).ConfigureAwait(false);
            reporter.Verbose($"Deleted the saved plan {key}.");
            throw new DeploymentConflictException(
                $"The deployment plan to {preview.Target.Name} has {detail.ApplicationConflicts.Count} conflict(s): " +
                string.Join("; ", detail.ApplicationConflicts.Select(c => c.ToString())), detail.ApplicationConflicts, key);
        }
        if (options.DeploymentCreated is { } created) await created(key, cancellationToken).ConfigureAwait(false);

        if (parallel.Parallel) await WaitBesideOthersOrCleanUpAsync(key, detail, preview, options, activity, reporter, cancellationToken).ConfigureAwait(false);
        await StartOrCleanUpAsync(key, preview, options, reporter, cancellationToken).ConfigureAwait(false);
        reporter.Verbose($"Started deployment {key}.");
        var monitor = new DeploymentMonitor(_client, reporter);
        var outcome = await monitor.WaitAsync(key, activity, options.ContinueAfterPrepared, stopOnWarning: false, cancellationToken).ConfigureAwait(false);
        return Result(preview, key, outcome, started);
    }

    /// <summary>
    /// Creates the saved plan. LifeTime's refusal (for example of a version lower than the one
    /// running, as its console refuses) is reported as it came, with the tag-based way around it.
    /// </summary>
    private async Task<string> CreatePlanAsync(DeploymentPreview preview, DeployOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CreateDeploymentAsync(new DeploymentPlanRequest
            {
                Notes = options.Notes ?? $"OsRollback: {preview.ApplicationVersionKeys.Length} application version(s) from {preview.Source.Name}",
                SourceEnvironmentKey = preview.Source.Key,
                TargetEnvironmentKey = preview.Target.Key,
                ApplicationOperations = preview.ApplicationVersionKeys.Select(k => new DeploymentApplicationOperation
                {
                    ApplicationVersionKey = k,
                    DeploymentZoneKey = options.DeploymentZones?.GetValueOrDefault(k) ?? "",
                }).ToList(),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OsRollbackException ex) when (ex.ErrorId == "PlatformRequestFailed")
        {
            if (await _otherPlans.SavedPlanOnTargetAsync(preview.Target, _client.Connection, cancellationToken).ConfigureAwait(false) is { } saved)
            {
                throw new OsRollbackException("TargetEnvironmentHasSavedPlan", OsErrorCategory.ResourceBusy,
                    $"LifeTime refused a new deployment plan to {preview.Target.Name}: plan {saved} is saved there, and this LifeTime keeps one plan per target. Its answer: {ex.Message}",
                    saved, $"Start or delete plan {saved} in LifeTime (Stop-OsDeployment deletes a saved plan), then run the step again.", ex);
            }
            throw new OsRollbackException("LifeTimeRefusedDeployment", OsErrorCategory.InvalidOperation,
                $"LifeTime refused the deployment plan to {preview.Target.Name}. Its answer: {ex.Message}", preview.Target.Name,
                LifeTimeRefusal.Advice, ex);
        }
    }

    /// <summary>
    /// On a parallel LifeTime: waits only for running plans that share an application with our
    /// saved plan (all of them when LifeTime names none of ours). When the wait gives up or is
    /// cancelled, the saved plan is deleted and the error says so.
    /// </summary>
    private async Task WaitBesideOthersOrCleanUpAsync(string key, LifeTimeDeploymentDetail detail, DeploymentPreview preview, DeployOptions options, string activity,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var ours = detail.ApplicationKeys.Count > 0 ? detail.ApplicationKeys : null;
        if (ours is null) reporter.Verbose($"LifeTime lists no application in plan {key}, so every plan running on {preview.Target.Name} is waited for.");
        try
        {
            await _otherPlans.WaitAsync(preview.Target, ours, key, options.WaitForOtherPlansTimeout, activity, reporter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OsRollbackException or OperationCanceledException)
        {
            var left = await CleanUpAfterFailedStartAsync(key, reporter).ConfigureAwait(false);
            if (ex is OsRollbackException busy) throw new OsRollbackException(busy.ErrorId, busy.Category, $"{busy.Message} {left}", busy.Target, busy.RecommendedAction, busy);
            reporter.Warning(left);
            throw;
        }
    }

    /// <summary>
    /// Starts a saved plan. When the start fails or times out, the plan this call created is
    /// deleted while it is still saved, and the error says what is left in LifeTime.
    /// </summary>
    private async Task StartOrCleanUpAsync(string key, DeploymentPreview preview, DeployOptions options, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            StartPreconditions.Check(_client, preview.Target, key);
            await _client.StartDeploymentAsync(key, options.RedeployOutdated, cancellationToken).ConfigureAwait(false);
        }
        catch (OsRollbackException ex) when (ex.ErrorId == "TargetInMaintenanceMode")
        {
            var left = await CleanUpAfterFailedStartAsync(key, reporter).ConfigureAwait(false);
            throw new OsRollbackException(ex.ErrorId, ex.Category, $"{ex.Message} {left}", ex.Target, ex.RecommendedAction, ex);
        }
        catch (Exception ex) when (ex is OsRollbackException or OperationCanceledException or HttpRequestException)
        {
            var left = await CleanUpAfterFailedStartAsync(key, reporter).ConfigureAwait(false);
            var why = ex is OsRollbackException { ErrorId: "PlatformRequestFailed" } ? " " + StartPreconditions.Explain(preview.Target) : "";
            throw new OsRollbackException("DeploymentStartFailed", ex is OperationCanceledException ? OsErrorCategory.OperationStopped : OsErrorCategory.InvalidOperation,
                $"Starting deployment {key} to {preview.Target.Name} failed: {ex.Message}{why} {left}", key,
                "Read the cause above; when it is fixed, run the step again (a resume continues a plan that was left, and creates a new one when none is).", ex);
        }
    }

    private async Task<string> CleanUpAfterFailedStartAsync(string key, IOperationReporter reporter)
    {
        try
        {
            var status = await _client.GetDeploymentStatusAsync(key, CancellationToken.None).ConfigureAwait(false);
            if (status.DeploymentStatus != DeploymentStatuses.Saved)
                return $"Deployment {key} is {status.DeploymentStatus} in LifeTime: it did start; follow it there or resume the step, which polls it.";
            await _client.DeleteDeploymentAsync(key, CancellationToken.None).ConfigureAwait(false);
            reporter.Verbose($"Deleted the saved plan {key} after its start failed.");
            return $"The saved plan {key} was deleted: nothing of this deployment is left in LifeTime.";
        }
        catch (OsRollbackException cleanup)
        {
            return $"The saved plan {key} may still be in LifeTime (it could not be checked or deleted: {cleanup.Message}); delete it in LifeTime or resume the step, which starts it.";
        }
    }

    /// <summary>
    /// A resumed step: a saved plan is started, a running one is polled, a prepared two-step one
    /// is continued, a finished one is reported as it ended. Null when LifeTime no longer has the
    /// plan (it was deleted after a failed start), so a new one may be created.
    /// </summary>
    private async Task<DeploymentResult?> ContinueExistingAsync(DeploymentPreview preview, string key, DeployOptions options, string activity, IOperationReporter reporter,
        DateTimeOffset started, CancellationToken cancellationToken)
    {
        LifeTimeDeploymentStatus status;
        try
        {
            status = await _client.GetDeploymentStatusAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OsRollbackException ex) when (ex.ErrorId == "PlatformObjectNotFound")
        {
            reporter.Warning($"LifeTime no longer has deployment {key}; a new plan is created.");
            return null;
        }
        reporter.Verbose($"Resuming deployment {key} ({status.DeploymentStatus}{(string.IsNullOrEmpty(status.Info) ? "" : ", " + status.Info)}).");
        if (status.DeploymentStatus == DeploymentStatuses.Saved)
        {
            var parallel = ParallelDeployments.Decide(_client.Connection, preview.Target);
            reporter.Verbose(parallel.Reason);
            if (parallel.Parallel)
            {
                var detail = await _client.GetDeploymentAsync(key, cancellationToken).ConfigureAwait(false);
                await WaitBesideOthersOrCleanUpAsync(key, detail, preview, options, activity, reporter, cancellationToken).ConfigureAwait(false);
            }
            else await _otherPlans.WaitAsync(preview.Target, null, key, options.WaitForOtherPlansTimeout, activity, reporter, cancellationToken).ConfigureAwait(false);
            await StartOrCleanUpAsync(key, preview, options, reporter, cancellationToken).ConfigureAwait(false);
        }
        else if (status.DeploymentStatus == DeploymentStatuses.NeedsUserIntervention && status.Info == DeploymentStatuses.DeploymentPrepared)
        {
            if (await PreparedTooLongAgoAsync(key, status, options, reporter, cancellationToken).ConfigureAwait(false)) return null;
            await _client.ContinueDeploymentAsync(key, cancellationToken).ConfigureAwait(false);
            reporter.Verbose($"Continued the prepared deployment {key}.");
        }
        var outcome = await new DeploymentMonitor(_client, reporter).WaitAsync(key, activity, options.ContinueAfterPrepared, stopOnWarning: false, cancellationToken).ConfigureAwait(false);
        return Result(preview, key, outcome, started);
    }

    /// <summary>
    /// A two-step plan prepared longer ago than SolutionPackHoursCache has lost its transient
    /// solution: a continue could only fail. The plan is aborted (LifeTime accepts an abort before
    /// staging is deployed) so that a new plan prepares the deployment again. When it was prepared
    /// is the time of its last log line (LifeTime logs the end of stage one).
    /// </summary>
    private async Task<bool> PreparedTooLongAgoAsync(string key, LifeTimeDeploymentStatus status, DeployOptions options, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (status.DeploymentLog.Select(e => e.Instant).Where(i => i is not null).Max() is not { } prepared) return false;
        var age = _client.Options.TimeProvider.GetUtcNow() - prepared;
        if (age <= options.SolutionPackHoursCache) return false;
        reporter.Warning($"Deployment {key} was prepared {age.TotalHours:0} hours ago, longer than SolutionPackHoursCache ({options.SolutionPackHoursCache.TotalHours:0} h): " +
                         "its transient solution is gone, so it is aborted and the deployment is prepared again in a new plan.");
        await _client.AbortDeploymentAsync(key, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Follows an existing plan (for example one left at deployment_prepared), continuing it when asked.</summary>
    public async Task<DeploymentResult> ResumeAsync(string deploymentKey, bool continueAfterPrepared, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        reporter ??= NullReporter.Instance;
        var started = _client.Options.TimeProvider.GetUtcNow();
        var status = await _client.GetDeploymentStatusAsync(deploymentKey, cancellationToken).ConfigureAwait(false);
        if (continueAfterPrepared && status.DeploymentStatus == DeploymentStatuses.NeedsUserIntervention && status.Info == DeploymentStatuses.DeploymentPrepared)
        {
            await _client.ContinueDeploymentAsync(deploymentKey, cancellationToken).ConfigureAwait(false);
            reporter.Verbose($"Continued deployment {deploymentKey}.");
        }
        var outcome = await new DeploymentMonitor(_client, reporter).WaitAsync(deploymentKey, $"Deployment {deploymentKey}", continueAfterPrepared, false, cancellationToken).ConfigureAwait(false);
        return new DeploymentResult
        {
            DeploymentKey = deploymentKey, DeploymentStatus = outcome.Status.DeploymentStatus, Info = outcome.Status.Info,
            DeploymentLog = outcome.Status.DeploymentLog, StartedOn = started, FinishedOn = _client.Options.TimeProvider.GetUtcNow(), PollCount = outcome.Polls,
        };
    }

    private DeploymentResult Result(DeploymentPreview preview, string key, DeploymentMonitor.Outcome outcome, DateTimeOffset started) => new()
    {
        DeploymentKey = key,
        DeploymentStatus = outcome.Status.DeploymentStatus,
        Info = outcome.Status.Info,
        SourceEnvironment = preview.Source.Name,
        TargetEnvironment = preview.Target.Name,
        TargetEnvironmentKey = preview.Target.Key,
        ApplicationVersionKeys = preview.ApplicationVersionKeys,
        DeploymentLog = outcome.Status.DeploymentLog,
        StartedOn = started,
        FinishedOn = _client.Options.TimeProvider.GetUtcNow(),
        PollCount = outcome.Polls,
    };
}

/// <summary>Polls a running LifeTime deployment: status and new log lines, with the polling policy's back-off.</summary>
internal sealed class DeploymentMonitor
{
    private readonly LifeTimeClient _client;
    private readonly IOperationReporter _reporter;

    public DeploymentMonitor(LifeTimeClient client, IOperationReporter reporter)
    {
        _client = client;
        _reporter = reporter;
    }

    public sealed record Outcome(LifeTimeDeploymentStatus Status, int Polls, bool AbortedByUs);

    public async Task<Outcome> WaitAsync(string key, string activity, bool continueAfterPrepared, bool stopOnWarning, CancellationToken cancellationToken, bool abortOnError = false)
    {
        var options = _client.Options;
        var policy = options.Polling;
        var deadline = options.TimeProvider.GetUtcNow() + policy.Timeout;
        var interval = policy.InitialInterval;
        var seen = 0;
        var polls = 0;
        var continued = false;
        var abortSent = false;
        while (true)
        {
            var status = await _client.GetDeploymentStatusAsync(key, cancellationToken).ConfigureAwait(false);
            polls++;
            var progressed = status.DeploymentLog.Count > seen;
            foreach (var entry in status.DeploymentLog.Skip(seen))
            {
                if (entry.Type.Equals("Error", StringComparison.OrdinalIgnoreCase) || entry.Type.Equals("Warning", StringComparison.OrdinalIgnoreCase))
                    _reporter.Warning($"{key}: {entry.Message}");
                else
                    _reporter.Verbose($"{key}: {entry.Message}");
            }
            var newEntries = status.DeploymentLog.Skip(seen).ToList();
            seen = Math.Max(seen, status.DeploymentLog.Count);
            _reporter.Progress(new ProgressUpdate(activity, $"{status.DeploymentStatus}{(status.Info is { Length: > 0 } ? " (" + status.Info + ")" : "")}: {status.DeploymentLog.LastOrDefault()?.Message}"));

            if (DeploymentStatuses.IsFinal(status.DeploymentStatus))
            {
                _reporter.Progress(new ProgressUpdate(activity, status.DeploymentStatus, 100, Completed: true));
                return new Outcome(status, polls, abortSent);
            }
            if (!abortSent && status.DeploymentStatus == DeploymentStatuses.Running &&
                (abortOnError && newEntries.Any(e => e.Type.Equals("Error", StringComparison.OrdinalIgnoreCase)) ||
                 stopOnWarning && newEntries.Any(e => e.Type.Equals("Warning", StringComparison.OrdinalIgnoreCase))))
            {
                _reporter.Warning($"Aborting deployment {key} after {(stopOnWarning ? "a warning or error" : "an error")}.");
                await _client.AbortDeploymentAsync(key, cancellationToken).ConfigureAwait(false);
                abortSent = true;
            }
            if (status.DeploymentStatus == DeploymentStatuses.NeedsUserIntervention)
            {
                if (status.Info == DeploymentStatuses.DeploymentPrepared && continueAfterPrepared && !continued)
                {
                    _reporter.Verbose($"Deployment {key} is prepared (two-step stage one done); continuing.");
                    await _client.ContinueDeploymentAsync(key, cancellationToken).ConfigureAwait(false);
                    continued = true;
                    progressed = true;
                }
                else if (!continued || status.Info != DeploymentStatuses.DeploymentPrepared)
                {
                    _reporter.Warning(status.Info == DeploymentStatuses.DeploymentPrepared
                        ? $"Deployment {key} is prepared and waits for 'continue': run again with -Continue, or continue it in LifeTime."
                        : $"Deployment {key} needs user intervention in LifeTime ({status.Info}).");
                    _reporter.Progress(new ProgressUpdate(activity, status.DeploymentStatus, -1, Completed: true));
                    return new Outcome(status, polls, abortSent);
                }
            }
            if (status.DeploymentStatus == DeploymentStatuses.Saved && polls >= 30)
            {
                throw new OsRollbackException("DeploymentNotStarted", OsErrorCategory.InvalidOperation,
                    $"Deployment {key} is still saved: LifeTime did not start it.", key, "Start it in LifeTime, or delete it and try again.");
            }
            if (options.TimeProvider.GetUtcNow() >= deadline)
            {
                throw new OsRollbackException("DeploymentTimeout", OsErrorCategory.OperationTimeout,
                    $"Deployment {key} is still {status.DeploymentStatus} after {policy.Timeout.TotalMinutes:0} minutes; it keeps running in LifeTime.", key,
                    "Follow it with Get-OsDeployment, or stop it with Stop-OsDeployment.");
            }
            interval = polls == 1 ? policy.InitialInterval : policy.Next(interval, progressed);
            await options.DelayAsync(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
