using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary>
/// <see cref="IRollbackPlatform"/> over the LifeTime client (deployments, solutions, maintenance
/// mode), the Service Center client (module waves) and the platform database (timers).
/// Long operations wait for their end; an unsuccessful end is an <see cref="OsRollbackException"/>
/// quoting the platform's answer. Secrets stay inside the connections.
/// </summary>
public sealed class PlatformServicesAdapter : IRollbackPlatform, IDisposable
{
    private readonly LifeTimeClient _lifeTime;
    private readonly ServiceCenterConnection? _serviceCenter;
    private readonly DatabaseTarget? _platformDatabase;
    private readonly string _timerStateDirectory;

    /// <param name="lifeTime">The LifeTime connection (Connect-OsLifeTime).</param>
    /// <param name="serviceCenter">The Service Center connection of the target environment; needed for module waves only.</param>
    /// <param name="platformDatabase">The target environment's platform database; needed for timers only.</param>
    /// <param name="timerStateDirectory">Where suspended timers' prior state is kept until they are resumed.</param>
    public PlatformServicesAdapter(LifeTimeConnection lifeTime, ServiceCenterConnection? serviceCenter, DatabaseTarget? platformDatabase, string timerStateDirectory)
    {
        _lifeTime = new LifeTimeClient(lifeTime);
        _serviceCenter = serviceCenter;
        _platformDatabase = platformDatabase;
        _timerStateDirectory = timerStateDirectory;
    }

    /// <summary>Releases the LifeTime client this adapter created.</summary>
    public void Dispose() => _lifeTime.Dispose();

    public async Task<IReadOnlyList<PlatformEnvironmentInfo>> GetEnvironmentsAsync(CancellationToken cancellationToken) =>
        (await _lifeTime.GetEnvironmentsAsync(cancellationToken).ConfigureAwait(false))
            .Select(e => new PlatformEnvironmentInfo(e.Key, e.Name, e.Order, e.IsCloudEnvironment, e.DatabaseProvider)).ToList();

    public Task<IReadOnlyList<string>> GetBusinessProcessNoticesAsync(string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        Platform.BusinessProcessImpact.NoticesAsync(_lifeTime, environment, since, cancellationToken);

    public async Task<IReadOnlyList<RunningApplication>> GetRunningApplicationsAsync(string environment, CancellationToken cancellationToken)
    {
        var env = await _lifeTime.ResolveEnvironmentAsync(environment, cancellationToken).ConfigureAwait(false);
        var applications = await _lifeTime.GetEnvironmentApplicationsAsync(env.Key, includeModules: true, cancellationToken).ConfigureAwait(false);
        var modules = (await _lifeTime.GetModulesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Key, StringComparer.OrdinalIgnoreCase);
        var result = new List<RunningApplication>();
        foreach (var application in applications.Where(a => !a.IsSystem))
        {
            var status = application.AppStatusInEnvs.FirstOrDefault(s => string.Equals(s.EnvironmentKey, env.Key, StringComparison.OrdinalIgnoreCase));
            if (status?.BaseApplicationVersionKey is not { Length: > 0 } versionKey) continue;
            // Module names come with the application version (module version → module key).
            var running = await _lifeTime.FindApplicationVersionAsync(application.Key, versionKey, cancellationToken).ConfigureAwait(false);
            var runningModules = (running?.ModuleVersions ?? [])
                .Select(mv => modules.TryGetValue(mv.ModuleKey, out var m)
                    ? new RunningModule(m.Key, m.Name, m.Kind ?? "eSpace", mv.Key)
                    : new RunningModule(mv.ModuleKey, mv.ModuleKey, "eSpace", mv.Key))
                .ToList();
            var url = application.URLPath is { Length: > 0 } path && env.HostName is { Length: > 0 } host
                ? $"{(env.UseHTTPS ? "https" : "http")}://{host.TrimEnd('/')}/{path}/"
                : null;
            result.Add(new RunningApplication(application.Key, application.Name, versionKey,
                status.BaseApplicationVersionLabel ?? running?.Version ?? "", runningModules, url, application.Kind));
        }
        return result;
    }

    public async Task<bool?> ApplicationVersionExistsAsync(string applicationKey, string versionKey, CancellationToken cancellationToken) =>
        await _lifeTime.FindApplicationVersionAsync(applicationKey, versionKey, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<string?> GetNativeHashAsync(string applicationKey, string versionKey, CancellationToken cancellationToken) =>
        (await _lifeTime.FindApplicationVersionAsync(applicationKey, versionKey, cancellationToken).ConfigureAwait(false))?.NativeHash is { Length: > 0 } hash ? hash : null;

    public Task<string> DeployVersionsAsync(string sourceEnvironment, string targetEnvironment, IReadOnlyList<string> applicationVersionKeys, string notes, IOperationReporter reporter, CancellationToken cancellationToken) =>
        DeployVersionsAsync(new DeployVersionsRequest { SourceEnvironment = sourceEnvironment, TargetEnvironment = targetEnvironment, ApplicationVersionKeys = applicationVersionKeys, Notes = notes },
            reporter, cancellationToken);

    public async Task<string> DeployVersionsAsync(DeployVersionsRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var (sourceEnvironment, targetEnvironment) = (request.SourceEnvironment, request.TargetEnvironment);
        var result = await new ApplicationDeployer(_lifeTime).DeployAsync(sourceEnvironment, targetEnvironment, request.ApplicationVersionKeys,
            new DeployOptions
            {
                Notes = request.Notes, ContinueAfterPrepared = true,
                DeploymentCreated = request.DeploymentCreated, ExistingDeploymentKey = request.ExistingDeploymentKey,
            }, reporter, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var errors = result.DeploymentLog.Where(l => string.Equals(l.Type, "Error", StringComparison.OrdinalIgnoreCase)).Select(l => l.Message).ToList();
            throw new OsRollbackException("DeploymentFailed", OsErrorCategory.InvalidResult,
                $"LifeTime deployment {result.DeploymentKey} to {targetEnvironment} ended {result.DeploymentStatus}{(errors.Count > 0 ? ": " + string.Join(" | ", errors) : ".")}",
                result.DeploymentKey, "Read the deployment log in LifeTime (Get-OsDeployment -DeploymentKey), fix the cause, then Invoke-OsRollback -Resume.");
        }
        return result.DeploymentKey;
    }

    public async Task DownloadSolutionPackageAsync(string environment, IReadOnlyList<string> applicationKeys, string destinationPath, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var env = await _lifeTime.ResolveEnvironmentAsync(environment, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destinationPath))!);
        await _lifeTime.BuildAndDownloadSolutionAsync(env.Key, $"OsRollback {env.Name} {DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}",
            applicationKeys, destinationPath, includeReferences: false, reporter, cancellationToken).ConfigureAwait(false);
    }

    public async Task PublishPackageAsync(string environment, string packagePath, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var result = await SolutionPublisher.PublishAsync(_lifeTime, environment, packagePath,
            new SolutionPublishOptions { ContinueAfterPrepared = true }, reporter, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new OsRollbackException("SolutionPublishFailed", OsErrorCategory.InvalidResult,
                $"Publishing {Path.GetFileName(packagePath)} in {environment} ended {result.Status}: {string.Join(" | ", result.Messages.Where(m => m.Type == "Error").Select(m => m.Message))}",
                packagePath, "Read the publish messages, fix the cause, then Invoke-OsRollback -Resume.");
        }
    }

    public Task PublishModulesAsync(string environment, IReadOnlyList<ModulePublishItem> modules, IOperationReporter reporter, CancellationToken cancellationToken) =>
        PublishModulesAsync(environment, modules, useUnverifiedVersionField: false, reporter, cancellationToken);

    public async Task PublishModulesAsync(string environment, IReadOnlyList<ModulePublishItem> modules, bool useUnverifiedVersionField, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (_serviceCenter is null)
        {
            throw new OsRollbackException("PlatformNotConnected", OsErrorCategory.ResourceUnavailable,
                $"Republishing modules in {environment} needs a Service Center connection.", environment,
                "Connect to the environment's Service Center (Connect-OsServiceCenter) and pass -ServiceCenterConnection.");
        }
        // One wave: every module in wave 1 of one staging. Pinned to the rollback point's versions
        // only when the plan opted in to the undocumented Version field; otherwise the published
        // version is republished, as SetupTools does (the VerifyVersions step checks what runs).
        var client = new ServiceCenterClient(_serviceCenter);
        var versions = useUnverifiedVersionField
            ? await ServiceCenterVersionsAsync(client, modules, reporter, cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var entries = modules.Select((m, i) => new ModuleOrderEntry
        {
            Order = i + 1,
            Wave = 1,
            Name = m.Name,
            Kind = string.Equals(m.Kind, "Extension", StringComparison.OrdinalIgnoreCase) ? ModuleKind.Extension : ModuleKind.eSpace,
        }).ToList();
        var result = await ModuleWavePublisher.PublishAsync(client, entries, new ModuleWavePublishOptions { Versions = versions, UseUnverifiedVersionField = useUnverifiedVersionField }, reporter, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new OsRollbackException("ModulePublishFailed", OsErrorCategory.InvalidResult,
                $"Republishing {string.Join(", ", result.FailedModules)} in {environment} failed.",
                result.FailedModules, "Read the publish messages in Service Center, fix the cause, then Invoke-OsRollback -Resume.");
        }
    }

    /// <summary>
    /// Maps each module's LifeTime version key to its Service Center version number through the
    /// version hash (LifeTime's GeneralHash is Service Center's Hash of the same module version).
    /// </summary>
    private async Task<Dictionary<string, int>> ServiceCenterVersionsAsync(ServiceCenterClient client, IReadOnlyList<ModulePublishItem> modules, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var module in modules.Where(m => m.Key.Length > 0 && m.VersionKey.Length > 0))
        {
            var hash = (await _lifeTime.FindModuleVersionAsync(module.Key, module.VersionKey, cancellationToken).ConfigureAwait(false))?.GeneralHash;
            var match = hash is { Length: > 0 }
                ? (await client.GetModuleVersionsAsync(module.Key, cancellationToken).ConfigureAwait(false)).Versions.FirstOrDefault(v => string.Equals(v.Hash, hash, StringComparison.OrdinalIgnoreCase))
                : null;
            if (match is null)
                reporter.Warning($"Service Center has no version of {module.Name} matching the rollback point's ({module.VersionKey}); its published version is republished.");
            else
                versions[module.Name] = match.Version;
        }
        return versions;
    }

    public async Task SetMaintenanceModeAsync(string environment, bool enabled, string reason, CancellationToken cancellationToken) =>
        await MaintenanceMode.SetAsync(_lifeTime, environment, enabled, reason, null, cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<string>> SuspendWokenTimersAsync(string environment, CancellationToken cancellationToken) => Task.Run(() =>
        WokenTimerSuspension.Resuspend(TimerDatabase(environment), TimerStatePath(environment)), cancellationToken);

    private DatabaseTarget TimerDatabase(string environment) => _platformDatabase ?? throw new OsRollbackException("DatabaseServiceNotConnected", OsErrorCategory.InvalidArgument,
        $"Suspending the timers of {environment} needs its platform database.", environment,
        "Give -SqlInstance/-Database (and -SqlCredential) or -SqlitePath of the environment's platform database.");

    private string TimerStatePath(string environment) => Path.Combine(_timerStateDirectory, $"timers-{SafeName(environment)}.json");

    public Task SetTimersSuspendedAsync(string environment, bool suspended, CancellationToken cancellationToken) => Task.Run(() =>
    {
        if (_platformDatabase is null)
        {
            throw new OsRollbackException("DatabaseServiceNotConnected", OsErrorCategory.InvalidArgument,
                $"Suspending the timers of {environment} needs its platform database.", environment,
                "Give -SqlInstance/-Database (and -SqlCredential) or -SqlitePath of the environment's platform database.");
        }
        // The prior state lives in a file until resume, so a resume after a crash restores exactly it.
        var statePath = Path.Combine(_timerStateDirectory, $"timers-{SafeName(environment)}.json");
        if (suspended)
        {
            // Idempotent and restore-proof: timers already suspended are skipped by Suspend; newly
            // suspended ones (e.g. in a just-restored database) join the recorded state, which is
            // saved before the change commits.
            Directory.CreateDirectory(_timerStateDirectory);
            var recorded = File.Exists(statePath) ? TimerSuspensionState.Load(statePath) : null;
            TimerSuspension.Suspend(_platformDatabase, beforeCommit: fresh =>
            {
                if (recorded is null) { fresh.Save(statePath); return; }
                foreach (var timer in fresh.Timers)
                {
                    recorded.Timers.RemoveAll(t => t.Id == timer.Id);
                    recorded.Timers.Add(timer);
                }
                recorded.Save(statePath);
            });
        }
        else if (File.Exists(statePath))
        {
            TimerSuspension.Resume(_platformDatabase, TimerSuspensionState.Load(statePath));
            File.Delete(statePath);
        }
    }, cancellationToken);

    private static string SafeName(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
}
