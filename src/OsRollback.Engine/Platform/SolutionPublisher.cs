using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

public sealed class SolutionPublishOptions
{
    /// <summary>Service Center two-step publication (prepare, then continue).</summary>
    public bool TwoStepMode { get; init; }

    /// <summary>After a two-step prepare, send continue (otherwise stop and report it).</summary>
    public bool ContinueAfterPrepared { get; init; }

    /// <summary>Abort on the first warning, not only on errors.</summary>
    public bool StopOnWarning { get; init; }
}

/// <summary>The outcome of publishing a solution package.</summary>
public sealed class SolutionPublishResult
{
    public string Package { get; init; } = "";
    /// <summary>LifeTime (binary deployment) or ServiceCenter (solution-pack publish).</summary>
    public string Via { get; init; } = "";
    public string? Environment { get; init; }
    public string? DeploymentKey { get; init; }
    public long? PublishId { get; init; }
    /// <summary>finished_successful, finished_with_warnings, finished_with_errors, aborted, needs_user_intervention.</summary>
    public string Status { get; init; } = "";
    public bool Succeeded => DeploymentStatuses.IsSuccess(Status);
    public bool AbortedByOsRollback { get; init; }
    public IReadOnlyList<PublishMessage> Messages { get; init; } = [];
    public int ErrorCount => Messages.Count(m => m.Type.Equals("Error", StringComparison.OrdinalIgnoreCase));
    public int WarningCount => Messages.Count(m => m.Type.Equals("Warning", StringComparison.OrdinalIgnoreCase));
    public TimeSpan Duration { get; init; }
    public override string ToString() => $"{Path.GetFileName(Package)} {Status}";
}

/// <summary>
/// Publishes a captured solution package (.osp/.oap): through LifeTime's binary deployment, or
/// through Service Center's solution-pack publication. Polls, aborts on errors (and on warnings
/// when asked), and returns every message.
/// </summary>
public static class SolutionPublisher
{
    public static async Task<SolutionPublishResult> PublishAsync(ServiceCenterClient client, string packagePath, SolutionPublishOptions? options = null,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        options ??= new SolutionPublishOptions();
        reporter ??= NullReporter.Instance;
        var bytes = await ReadPackageAsync(packagePath, cancellationToken).ConfigureAwait(false);
        var started = client.Options.TimeProvider.GetUtcNow();
        var activity = $"Publishing {Path.GetFileName(packagePath)} in Service Center {client.Connection.Host}";
        reporter.Progress(new ProgressUpdate(activity, "Uploading", 0));
        var publishId = await client.PublishSolutionPackAsync(bytes, options.TwoStepMode, cancellationToken).ConfigureAwait(false);
        reporter.Verbose($"Service Center started publication {publishId} of {Path.GetFileName(packagePath)}.");
        var outcome = await PublicationMonitor.WaitAsync(client, publishId, activity, options.StopOnWarning, options.ContinueAfterPrepared, reporter, cancellationToken).ConfigureAwait(false);
        return new SolutionPublishResult
        {
            Package = Path.GetFullPath(packagePath), Via = "ServiceCenter", Environment = client.Connection.Host, PublishId = publishId,
            Status = outcome.Status, AbortedByOsRollback = outcome.Aborted, Messages = outcome.Messages,
            Duration = client.Options.TimeProvider.GetUtcNow() - started,
        };
    }

    public static async Task<SolutionPublishResult> PublishAsync(LifeTimeClient client, string targetEnvironment, string packagePath, SolutionPublishOptions? options = null,
        IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        options ??= new SolutionPublishOptions();
        reporter ??= NullReporter.Instance;
        await ReadPackageAsync(packagePath, cancellationToken).ConfigureAwait(false);
        var target = await client.ResolveEnvironmentAsync(targetEnvironment, cancellationToken).ConfigureAwait(false);
        var started = client.Options.TimeProvider.GetUtcNow();
        var activity = $"Deploying {Path.GetFileName(packagePath)} to {target.Name}";
        reporter.Progress(new ProgressUpdate(activity, "Uploading", 0));
        var key = await client.DeployBinaryAsync(target.Key, packagePath, cancellationToken).ConfigureAwait(false);
        await ValidateBinaryPlanAsync(client, target, key, reporter, cancellationToken).ConfigureAwait(false);
        if ((await client.GetDeploymentStatusAsync(key, cancellationToken).ConfigureAwait(false)).DeploymentStatus == DeploymentStatuses.Saved)
        {
            StartPreconditions.Check(client, target, key);
            await client.StartDeploymentAsync(key, true, cancellationToken).ConfigureAwait(false);
        }
        reporter.Verbose($"LifeTime started binary deployment {key} of {Path.GetFileName(packagePath)} to {target.Name} (no impact analysis).");
        var outcome = await new DeploymentMonitor(client, reporter).WaitAsync(key, activity, options.ContinueAfterPrepared, options.StopOnWarning, cancellationToken, abortOnError: true).ConfigureAwait(false);
        return new SolutionPublishResult
        {
            Package = Path.GetFullPath(packagePath), Via = "LifeTime", Environment = target.Name, DeploymentKey = key,
            Status = outcome.Status.DeploymentStatus, AbortedByOsRollback = outcome.AbortedByUs,
            Messages = outcome.Status.DeploymentLog.Select((e, i) => new PublishMessage { Id = i + 1, Type = e.Type, Message = e.Message }).ToList(),
            Duration = client.Options.TimeProvider.GetUtcNow() - started,
        };
    }

    /// <summary>
    /// GET deployments/{key}/ before the start, as the official client does
    /// (deploy_package_to_target_env.py): the read validates the plan (Swagger, Deployments_Get),
    /// and a plan with conflicts is deleted while still saved instead of started.
    /// </summary>
    private static async Task ValidateBinaryPlanAsync(LifeTimeClient client, LifeTimeEnvironment target, string key, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var detail = await client.GetDeploymentAsync(key, cancellationToken).ConfigureAwait(false);
        if (detail.ApplicationConflicts.Count == 0) return;
        foreach (var conflict in detail.ApplicationConflicts) reporter.Warning($"Conflict in binary deployment {key}: {conflict}");
        await client.DeleteDeploymentAsync(key, CancellationToken.None).ConfigureAwait(false);
        throw new DeploymentConflictException(
            $"The binary deployment to {target.Name} has {detail.ApplicationConflicts.Count} conflict(s): " + string.Join("; ", detail.ApplicationConflicts.Select(c => c.ToString())),
            detail.ApplicationConflicts, key);
    }

    private static async Task<byte[]> ReadPackageAsync(string packagePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(packagePath))
            throw new OsRollbackException("SolutionPackageNotFound", OsErrorCategory.ObjectNotFound, $"The solution package '{packagePath}' does not exist.", packagePath, "Give the path of the .osp or .oap captured before the deploy.");
        var extension = Path.GetExtension(packagePath);
        if (!extension.Equals(".osp", StringComparison.OrdinalIgnoreCase) && !extension.Equals(".oap", StringComparison.OrdinalIgnoreCase))
            throw new OsRollbackException("SolutionPackageInvalid", OsErrorCategory.InvalidArgument, $"'{packagePath}' is not a solution package (.osp or .oap).", packagePath, "Give an .osp or .oap file.");
        return await File.ReadAllBytesAsync(packagePath, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Polls a Service Center publication's messages until it finishes; aborts on errors (and warnings when asked).</summary>
internal static class PublicationMonitor
{
    public sealed record Outcome(string Status, List<PublishMessage> Messages, bool Aborted, int Polls);

    public static async Task<Outcome> WaitAsync(ServiceCenterClient client, long publishId, string activity, bool stopOnWarning, bool continueAfterPrepared,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var options = client.Options;
        var policy = options.Polling;
        var deadline = options.TimeProvider.GetUtcNow() + policy.Timeout;
        var interval = policy.InitialInterval;
        var messages = new List<PublishMessage>();
        long after = 0;
        var aborted = false;
        var continued = false;
        var polls = 0;
        while (true)
        {
            var page = await client.GetPublishMessagesAsync(publishId, after, cancellationToken).ConfigureAwait(false);
            polls++;
            foreach (var message in page.Messages)
            {
                messages.Add(message);
                var text = $"{activity}: {message.Message}{(string.IsNullOrEmpty(message.Detail) ? "" : " — " + message.Detail)}";
                if (message.Type.Equals("Info", StringComparison.OrdinalIgnoreCase) || message.Type.Equals(ServiceCenterSoapWire.PublishStop, StringComparison.OrdinalIgnoreCase))
                    reporter.Verbose(text);
                else reporter.Warning(text);
            }
            after = Math.Max(after, page.LastMessageId);
            reporter.Progress(new ProgressUpdate(activity, page.Messages.LastOrDefault()?.Message ?? page.Status ?? "running"));

            var hasError = page.Messages.Any(m => m.Type.Equals("Error", StringComparison.OrdinalIgnoreCase));
            var hasWarning = page.Messages.Any(m => m.Type.Equals("Warning", StringComparison.OrdinalIgnoreCase));
            if (page.Finished)
            {
                var status = aborted ? DeploymentStatuses.Aborted
                    : messages.Any(m => m.Type.Equals("Error", StringComparison.OrdinalIgnoreCase)) ? DeploymentStatuses.FinishedWithErrors
                    : messages.Any(m => m.Type.Equals("Warning", StringComparison.OrdinalIgnoreCase)) ? DeploymentStatuses.FinishedWithWarnings
                    : DeploymentStatuses.FinishedSuccessful;
                reporter.Progress(new ProgressUpdate(activity, status, 100, Completed: true));
                return new Outcome(status, messages, aborted, polls);
            }
            if (!aborted && (hasError || stopOnWarning && hasWarning))
            {
                reporter.Warning($"Aborting publication {publishId} after {(hasError ? "an error" : "a warning")}.");
                await client.AbortPublishAsync(publishId, cancellationToken).ConfigureAwait(false);
                aborted = true;
            }
            else if (page.Status == DeploymentStatuses.NeedsUserIntervention)
            {
                if (continueAfterPrepared && !continued)
                {
                    reporter.Verbose($"Publication {publishId} is prepared; continuing.");
                    await client.ContinuePublishAsync(publishId, cancellationToken).ConfigureAwait(false);
                    continued = true;
                }
                else if (!continued)
                {
                    reporter.Warning($"Publication {publishId} is prepared and waits for 'continue': run again with -Continue, or continue it in Service Center.");
                    reporter.Progress(new ProgressUpdate(activity, page.Status, -1, Completed: true));
                    return new Outcome(page.Status, messages, aborted, polls);
                }
            }
            if (options.TimeProvider.GetUtcNow() >= deadline)
            {
                throw new OsRollbackException("PublicationTimeout", OsErrorCategory.OperationTimeout,
                    $"Publication {publishId} did not finish within {policy.Timeout.TotalMinutes:0} minutes; it may still be running in Service Center.", publishId,
                    "Check the publication in Service Center before trying again.");
            }
            interval = polls == 1 ? policy.InitialInterval : policy.Next(interval, page.Messages.Count > 0);
            await options.DelayAsync(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
