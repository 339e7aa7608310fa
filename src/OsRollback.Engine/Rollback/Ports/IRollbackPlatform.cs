using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// The platform operations a rollback needs (LifeTime API v2 and Service Center). Adapter:
/// OsRollback.Engine.Platform. Environments are named by their LifeTime name (as users type
/// it); the adapter maps names to keys. Long operations (deployments, publishes) return when
/// finished: the adapter polls, and turns a failed/aborted outcome or plan conflicts into an
/// <see cref="OsRollbackException"/> whose message reports the platform's answer as it came.
/// Tokens and passwords stay inside the adapter.
/// </summary>
public interface IRollbackPlatform
{
    /// <summary>
    /// Deployments to <paramref name="environment"/> since <paramref name="since"/> that affected
    /// business processes (LifeTime's business_process_impact, or process warnings in their log),
    /// one sentence each. Ports that cannot tell answer none.
    /// </summary>
    Task<IReadOnlyList<string>> GetBusinessProcessNoticesAsync(string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>All environments with their order in the pipeline.</summary>
    Task<IReadOnlyList<PlatformEnvironmentInfo>> GetEnvironmentsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The applications running in <paramref name="environment"/> with their version tag and
    /// module versions (LifeTime: IncludeModules + IncludeEnvStatus). Also how to answer
    /// "which versions does an upstream environment hold".
    /// </summary>
    Task<IReadOnlyList<RunningApplication>> GetRunningApplicationsAsync(string environment, CancellationToken cancellationToken);

    /// <summary>
    /// Deploys the application version tags <paramref name="applicationVersionKeys"/> from
    /// <paramref name="sourceEnvironment"/> to <paramref name="targetEnvironment"/> through a
    /// LifeTime deployment plan (create, check conflicts, start, poll, continue) and returns the
    /// deployment key. A plan with conflicts is deleted and reported as an error.
    /// </summary>
    Task<string> DeployVersionsAsync(string sourceEnvironment, string targetEnvironment, IReadOnlyList<string> applicationVersionKeys, string notes, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>
    /// Like the overload above, resumable: <see cref="DeployVersionsRequest.DeploymentCreated"/> gets the new
    /// deployment key before the plan starts (to journal it), and <see cref="DeployVersionsRequest.ExistingDeploymentKey"/>
    /// continues that deployment instead of creating another. The default (for ports that cannot resume) ignores both.
    /// </summary>
    Task<string> DeployVersionsAsync(DeployVersionsRequest request, IOperationReporter reporter, CancellationToken cancellationToken) =>
        DeployVersionsAsync(request.SourceEnvironment, request.TargetEnvironment, request.ApplicationVersionKeys, request.Notes, reporter, cancellationToken);

    /// <summary>Builds and downloads the solution package (.osp) of <paramref name="applicationKeys"/> as running in <paramref name="environment"/> to <paramref name="destinationPath"/>.</summary>
    Task DownloadSolutionPackageAsync(string environment, IReadOnlyList<string> applicationKeys, string destinationPath, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Publishes a solution package (.osp/.oap) in <paramref name="environment"/> and waits for the end of the publish.</summary>
    Task PublishPackageAsync(string environment, string packagePath, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Publishes one wave of modules (modules of a wave do not depend on each other) at the given versions, and waits for the end.</summary>
    Task PublishModulesAsync(string environment, IReadOnlyList<ModulePublishItem> modules, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>As above; with <paramref name="useUnverifiedVersionField"/> each module is pinned to its VersionKey through the undocumented staging Version field, otherwise its published version is republished.</summary>
    Task PublishModulesAsync(string environment, IReadOnlyList<ModulePublishItem> modules, bool useUnverifiedVersionField, IOperationReporter reporter, CancellationToken cancellationToken) =>
        PublishModulesAsync(environment, modules, reporter, cancellationToken);

    /// <summary>Turns LifeTime maintenance mode on or off (idempotent).</summary>
    Task SetMaintenanceModeAsync(string environment, bool enabled, string reason, CancellationToken cancellationToken);

    /// <summary>Suspends (<paramref name="suspended"/> = true) or resumes the timers of the environment (idempotent).</summary>
    Task SetTimersSuspendedAsync(string environment, bool suspended, CancellationToken cancellationToken);

    /// <summary>
    /// After a publish, suspends again the timers it woke (OutSystems runs "When Published" timers
    /// after each publish) and returns their names; they run when the timers resume. The default,
    /// for ports that cannot tell which timers were woken, suspends every active timer and names none.
    /// </summary>
    async Task<IReadOnlyList<string>> SuspendWokenTimersAsync(string environment, CancellationToken cancellationToken)
    {
        await SetTimersSuspendedAsync(environment, true, cancellationToken).ConfigureAwait(false);
        return [];
    }

    /// <summary>
    /// Whether LifeTime still has an application version (tag); tags can be deleted after a
    /// rollback point was taken. Null when the platform cannot tell (the planner then assumes it does).
    /// </summary>
    Task<bool?> ApplicationVersionExistsAsync(string applicationKey, string versionKey, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    /// <summary>A mobile app tag's native shell hash (LifeTime ApplicationVersion NativeHash); null when unknown.</summary>
    Task<string?> GetNativeHashAsync(string applicationKey, string versionKey, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>A LifeTime deployment of application version tags, resumable after a crash or a status outage.</summary>
public sealed class DeployVersionsRequest
{
    public required string SourceEnvironment { get; init; }
    public required string TargetEnvironment { get; init; }
    public required IReadOnlyList<string> ApplicationVersionKeys { get; init; }
    public string Notes { get; init; } = "";

    /// <summary>Called with the new deployment plan's key before it is started.</summary>
    public Func<string, CancellationToken, Task>? DeploymentCreated { get; init; }

    /// <summary>Continue this deployment (journaled by an earlier attempt) instead of creating one.</summary>
    public string? ExistingDeploymentKey { get; init; }
}
