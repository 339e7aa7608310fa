using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Security;

namespace OsRollback.Engine.Platform;

/// <summary>A native build version of a mobile app for a new tag (LifeTime's MobileVersions items).</summary>
public sealed record MobileVersionRequest(string NativePlatform, string VersionNumber, string? VersionDescription = null);

/// <summary>What a new deployment plan holds (POST /deployments/).</summary>
public sealed class DeploymentPlanRequest
{
    public string? Notes { get; init; }
    public required string SourceEnvironmentKey { get; init; }
    public required string TargetEnvironmentKey { get; init; }
    public required IReadOnlyList<DeploymentApplicationOperation> ApplicationOperations { get; init; }
}

/// <summary>
/// The LifeTime Deployment API v2 (documented by OutSystems): environments, applications,
/// versions, modules, deployments, maintenance mode, binary deployments and solutions.
/// Reads are retried on transient faults; commands (POST) are sent once.
/// </summary>
public sealed class LifeTimeClient : IDisposable
{
    public const string ServiceName = "LifeTime";
    private readonly PlatformHttpClient _http;

    public LifeTimeClient(LifeTimeConnection connection)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _http = new PlatformHttpClient(connection.ApiUri, connection.Options, ServiceName, connection.Token,
            request => request.Headers.Authorization = SecretText.Use(connection.Token, token => new AuthenticationHeaderValue("Bearer", token)));
    }

    public LifeTimeConnection Connection { get; }
    public PlatformHttpOptions Options => Connection.Options;

    /// <summary>HTTP requests sent by this client, retries included.</summary>
    public int RequestCount => _http.RequestCount;

    // ---- environments -------------------------------------------------------------------

    public async Task<IReadOnlyList<LifeTimeEnvironment>> GetEnvironmentsAsync(CancellationToken cancellationToken = default) =>
        (await _http.GetJsonAsync<List<LifeTimeEnvironment>>("environments/", "listing environments", null, cancellationToken).ConfigureAwait(false))
            .OrderBy(e => e.Order).ToList();

    /// <summary>Finds an environment by key or name (case-insensitive); unknown names list the closest ones.</summary>
    public async Task<LifeTimeEnvironment> ResolveEnvironmentAsync(string nameOrKey, CancellationToken cancellationToken = default)
    {
        var all = await GetEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        return Resolve(all, nameOrKey, e => e.Key, e => e.Name, "environment", "Get-OsEnvironment");
    }

    public async Task SetMaintenanceModeAsync(string environmentKey, bool enabled, string? reason, CancellationToken cancellationToken = default)
    {
        await SendAsync(HttpMethod.Put, $"environments/{Esc(environmentKey)}/maintenancemode",
            PlatformJson.Serialize(new { IsMaintenanceModeEnabled = enabled, Reason = reason ?? "" }), true,
            $"setting maintenance mode on environment {environmentKey}", environmentKey, cancellationToken).ConfigureAwait(false);
        Connection.MaintenanceModeSet[environmentKey] = enabled;
    }

    // ---- applications -------------------------------------------------------------------

    public async Task<IReadOnlyList<LifeTimeApplication>> GetApplicationsAsync(bool includeEnvStatus = false, bool includeModules = false, CancellationToken cancellationToken = default) =>
        await _http.GetJsonAsync<List<LifeTimeApplication>>(
            $"applications/?IncludeModules={B(includeModules && includeEnvStatus)}&IncludeEnvStatus={B(includeEnvStatus)}",
            "listing applications", null, cancellationToken).ConfigureAwait(false);

    /// <summary>The applications of one environment with their running version (IncludeEnvStatus is always sent, as IncludeModules requires it).</summary>
    public async Task<IReadOnlyList<LifeTimeApplication>> GetEnvironmentApplicationsAsync(string environmentKey, bool includeModules = false, CancellationToken cancellationToken = default) =>
        await _http.GetJsonAsync<List<LifeTimeApplication>>(
            $"environments/{Esc(environmentKey)}/applications/?IncludeModules={B(includeModules)}&IncludeEnvStatus=true",
            $"listing the applications of environment {environmentKey}", environmentKey, cancellationToken).ConfigureAwait(false);

    public async Task<LifeTimeApplication> ResolveApplicationAsync(string nameOrKey, CancellationToken cancellationToken = default)
    {
        var all = await GetApplicationsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return Resolve(all, nameOrKey, a => a.Key, a => a.Name, "application", "Get-OsApplication");
    }

    /// <summary>Version tags of an application, newest first (LifeTime returns 5 unless asked for more).</summary>
    public async Task<IReadOnlyList<LifeTimeApplicationVersion>> GetApplicationVersionsAsync(string applicationKey, int maximumVersions = 5, CancellationToken cancellationToken = default)
    {
        var versions = await _http.GetJsonAsync<List<LifeTimeApplicationVersion>>(
            $"applications/{Esc(applicationKey)}/versions/?MaximumVersionsToReturn={maximumVersions.ToString(CultureInfo.InvariantCulture)}",
            $"listing the versions of application {applicationKey}", applicationKey, cancellationToken).ConfigureAwait(false);
        foreach (var v in versions) if (string.IsNullOrEmpty(v.ApplicationKey)) v.ApplicationKey = applicationKey;
        return versions;
    }

    /// <summary>One application version (tag) by key, or null when LifeTime has no such version.</summary>
    public async Task<LifeTimeApplicationVersion?> GetApplicationVersionAsync(string applicationKey, string versionKey, CancellationToken cancellationToken = default)
    {
        // IncludeModules is a required query parameter of Applications_Versions_Get (Swagger).
        LifeTimeApplicationVersion? version;
        try
        {
            version = await OrNullWhenMissing(() => _http.GetJsonAsync<LifeTimeApplicationVersion>($"applications/{Esc(applicationKey)}/versions/{Esc(versionKey)}/?IncludeModules=true",
                $"reading version {versionKey} of application {applicationKey}", versionKey, cancellationToken)).ConfigureAwait(false);
        }
        catch (OsRollbackException ex) when (ex.ErrorId == "PlatformRequestFailed")
        {
            throw new OsRollbackException("ApplicationVersionRequestRefused", OsErrorCategory.InvalidOperation,
                $"LifeTime refused to read version {versionKey} of application {applicationKey}. Its answer: {ex.Message}", versionKey,
                "Check the application and version keys (Get-OsApplicationVersion lists them) and that the service account may read the application.", ex);
        }
        if (version is not null && string.IsNullOrEmpty(version.ApplicationKey)) version.ApplicationKey = applicationKey;
        return version;
    }

    /// <summary>An application version that may be older than the newest five: the default page first, then by key.</summary>
    public async Task<LifeTimeApplicationVersion?> FindApplicationVersionAsync(string applicationKey, string versionKey, CancellationToken cancellationToken = default)
    {
        var newest = await GetApplicationVersionsAsync(applicationKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return newest.FirstOrDefault(v => string.Equals(v.Key, versionKey, StringComparison.OrdinalIgnoreCase))
               ?? await GetApplicationVersionAsync(applicationKey, versionKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tags what runs in the environment as a new application version (POST
    /// /environments/{e}/applications/{a}/versions: ChangeLog, Version, MobileVersions; 201 with the
    /// new version key). Sent once (never retried): a retry could create a second tag.
    /// </summary>
    public async Task<string> CreateApplicationVersionAsync(string environmentKey, string applicationKey, string version, string? changeLog = null,
        IReadOnlyList<MobileVersionRequest>? mobileVersions = null, CancellationToken cancellationToken = default)
    {
        var body = PlatformJson.Serialize(new
        {
            ChangeLog = changeLog ?? "",
            Version = version,
            MobileVersions = (mobileVersions ?? []).Select(m => new { m.NativePlatform, m.VersionNumber, VersionDescription = m.VersionDescription ?? "" }).ToList(),
        });
        using var response = await _http.SendCheckedAsync(() => Json(HttpMethod.Post, $"environments/{Esc(environmentKey)}/applications/{Esc(applicationKey)}/versions/", body), false,
            $"tagging version {version} of application {applicationKey}", applicationKey, cancellationToken).ConfigureAwait(false);
        return ReadKey(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), "ApplicationVersionKey", "Key");
    }

    /// <summary>The download link of a version's package; LifeTime answers 204 when it has no binary for the version (Swagger), which is an error here.</summary>
    public async Task<ApplicationVersionContent> GetApplicationVersionContentAsync(string applicationKey, string versionKey, CancellationToken cancellationToken = default)
    {
        var what = $"getting the package link of version {versionKey}";
        using var response = await _http.SendCheckedAsync(() => new HttpRequestMessage(HttpMethod.Get, _http.Resolve($"applications/{Esc(applicationKey)}/versions/{Esc(versionKey)}/content/")),
            true, what, versionKey, cancellationToken).ConfigureAwait(false);
        var content = response.StatusCode == HttpStatusCode.NoContent ? null
            : await _http.ReadJsonAsync<ApplicationVersionContent>(response, what, cancellationToken).ConfigureAwait(false);
        if (content is null || string.IsNullOrWhiteSpace(content.url))
        {
            throw new OsRollbackException("ApplicationVersionPackageUnavailable", OsErrorCategory.ObjectNotFound,
                $"LifeTime has no package (binary) for version {versionKey} of application {applicationKey}" +
                (response.StatusCode == HttpStatusCode.NoContent ? " (HTTP 204)." : ": it answered without a download link."), versionKey,
                "Pick another version, or capture the package with a solution build (New-OsRollbackPoint) while the version runs.");
        }
        return content;
    }

    /// <summary>Downloads the package (.oap) of an application version to <paramref name="path"/>.</summary>
    public async Task<string> DownloadApplicationVersionAsync(string applicationKey, string versionKey, string path, CancellationToken cancellationToken = default)
    {
        var content = await GetApplicationVersionContentAsync(applicationKey, versionKey, cancellationToken).ConfigureAwait(false);
        if (!Uri.TryCreate(Connection.Uri, content.url, out var link) || !link.IsAbsoluteUri)
            throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult, $"LifeTime gave no valid download link for version {versionKey}.", versionKey, "Try again; the link is valid for 60 minutes.");
        await DownloadAsync(link, path, $"downloading version {versionKey}", versionKey, cancellationToken).ConfigureAwait(false);
        return path;
    }

    // ---- modules ------------------------------------------------------------------------

    public async Task<IReadOnlyList<LifeTimeModule>> GetModulesAsync(CancellationToken cancellationToken = default) =>
        await _http.GetJsonAsync<List<LifeTimeModule>>("modules/", "listing modules", null, cancellationToken).ConfigureAwait(false);

    /// <summary>Versions of a module, newest first; LifeTime returns the newest 5 unless asked for more (0 = all).</summary>
    public async Task<IReadOnlyList<LifeTimeModuleVersion>> GetModuleVersionsAsync(string moduleKey, int maximumVersions = 5, CancellationToken cancellationToken = default)
    {
        var versions = await _http.GetJsonAsync<List<LifeTimeModuleVersion>>(
            $"modules/{Esc(moduleKey)}/versions/?MaximumVersionsToReturn={maximumVersions.ToString(CultureInfo.InvariantCulture)}",
            $"listing the versions of module {moduleKey}", moduleKey, cancellationToken).ConfigureAwait(false);
        foreach (var v in versions) if (string.IsNullOrEmpty(v.ModuleKey)) v.ModuleKey = moduleKey;
        return versions;
    }

    /// <summary>One module version by key (GET /modules/{k}/versions/{v}/), or null when LifeTime has no such version.</summary>
    public async Task<LifeTimeModuleVersion?> GetModuleVersionAsync(string moduleKey, string versionKey, CancellationToken cancellationToken = default)
    {
        var version = await OrNullWhenMissing(() => _http.GetJsonAsync<LifeTimeModuleVersion>($"modules/{Esc(moduleKey)}/versions/{Esc(versionKey)}/",
            $"reading version {versionKey} of module {moduleKey}", versionKey, cancellationToken)).ConfigureAwait(false);
        if (version is not null && string.IsNullOrEmpty(version.ModuleKey)) version.ModuleKey = moduleKey;
        return version;
    }

    /// <summary>
    /// A module version that may be older than the newest five: the default page first (one
    /// call in the common case), then the version by its key.
    /// </summary>
    public async Task<LifeTimeModuleVersion?> FindModuleVersionAsync(string moduleKey, string versionKey, CancellationToken cancellationToken = default)
    {
        var newest = await GetModuleVersionsAsync(moduleKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return newest.FirstOrDefault(v => string.Equals(v.Key, versionKey, StringComparison.OrdinalIgnoreCase))
               ?? await GetModuleVersionAsync(moduleKey, versionKey, cancellationToken).ConfigureAwait(false);
    }

    // ---- deployments --------------------------------------------------------------------

    /// <summary>
    /// Plans newest first; LifeTime's MinDate defaults to a week ago. MinDate and MaxDate are dates
    /// (yyyy-MM-dd): the day of <paramref name="minDate"/> and the day after <paramref name="maxDate"/>
    /// are sent, and the plans are then cut to the exact times by their CreatedOn.
    /// </summary>
    public async Task<IReadOnlyList<LifeTimeDeployment>> GetDeploymentsAsync(DateTimeOffset? minDate = null, DateTimeOffset? maxDate = null, string? targetEnvironmentKey = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (minDate is { } min) query.Add("MinDate=" + Day(min.UtcDateTime));
        if (maxDate is { } max) query.Add("MaxDate=" + Day(max.UtcDateTime.AddDays(1)));
        if (!string.IsNullOrEmpty(targetEnvironmentKey)) query.Add("TargetEnvironmentKey=" + Esc(targetEnvironmentKey));
        var plans = await _http.GetJsonAsync<List<LifeTimeDeployment>>("deployments/" + (query.Count > 0 ? "?" + string.Join("&", query) : ""),
            "listing deployments", targetEnvironmentKey, cancellationToken).ConfigureAwait(false);
        return plans.Where(p => p.CreatedOn is not { } created || (minDate is null || created >= minDate) && (maxDate is null || created <= maxDate)).ToList();

        static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Plans as <see cref="GetDeploymentsAsync"/> lists them, each with its status read (Deployment_v2 carries none): whether it worked.</summary>
    public async Task<IReadOnlyList<LifeTimeDeployment>> GetDeploymentsWithStatusAsync(DateTimeOffset? minDate = null, DateTimeOffset? maxDate = null, string? targetEnvironmentKey = null, CancellationToken cancellationToken = default)
    {
        var plans = await GetDeploymentsAsync(minDate, maxDate, targetEnvironmentKey, cancellationToken).ConfigureAwait(false);
        foreach (var plan in plans.Where(p => p.DeploymentStatus is null))
            plan.DeploymentStatus = (await GetDeploymentStatusAsync(plan.Key, cancellationToken).ConfigureAwait(false)).DeploymentStatus;
        return plans;
    }

    /// <summary>Creates a saved plan and returns its key. Sent once (never retried).</summary>
    public async Task<string> CreateDeploymentAsync(DeploymentPlanRequest plan, CancellationToken cancellationToken = default)
    {
        var body = PlatformJson.Serialize(new
        {
            plan.Notes,
            plan.SourceEnvironmentKey,
            plan.TargetEnvironmentKey,
            // DeploymentZoneKey is required (Swagger TextTextRecord): "" lets LifeTime use the application's zone, as the official client and the rollback how-to send it.
            ApplicationOperations = plan.ApplicationOperations.Select(o => new { o.ApplicationVersionKey, DeploymentZoneKey = o.DeploymentZoneKey ?? "" }).ToList(),
        });
        using var response = await _http.SendCheckedAsync(() => Json(HttpMethod.Post, "deployments/", body), false,
            "creating a deployment plan", plan.TargetEnvironmentKey, cancellationToken).ConfigureAwait(false);
        return ReadKey(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), "DeploymentKey", "Key");
    }

    /// <summary>A plan with its conflicts and the keys of the applications it touches (<see cref="PlanApplications"/>).</summary>
    public async Task<LifeTimeDeploymentDetail> GetDeploymentAsync(string deploymentKey, CancellationToken cancellationToken = default)
    {
        var what = $"reading deployment {deploymentKey}";
        JsonElement json;
        try
        {
            json = await _http.GetJsonAsync<JsonElement>($"deployments/{Esc(deploymentKey)}/", what, deploymentKey, cancellationToken).ConfigureAwait(false);
        }
        catch (OsRollbackException ex) when (ex.ErrorId == "PlatformUnavailable" && ex.Message.Contains(PlatformHttpClient.InvalidStatusChange, StringComparison.OrdinalIgnoreCase))
        {
            return await DetailFromStatusAsync(deploymentKey, ex, cancellationToken).ConfigureAwait(false);
        }
        if (json.ValueKind != JsonValueKind.Object) return new LifeTimeDeploymentDetail();
        try
        {
            var detail = json.Deserialize<LifeTimeDeploymentDetail>(PlatformJson.Options) ?? new LifeTimeDeploymentDetail();
            detail.ApplicationKeys = PlanApplications.KeysOf(json);
            return detail;
        }
        catch (JsonException ex)
        {
            throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult,
                $"{ServiceName} answered {what} with data OsRollback cannot read: {ex.Message}", Connection.Host,
                $"Check that the address points at {ServiceName} and that its version is supported.");
        }
    }

    /// <summary>
    /// GET deployments/{key}/ of a finished plan can answer 500 "Invalid status change" (OutSystems
    /// forum thread 72201): the status endpoint says how the plan ended. Only a finished plan is
    /// taken so; otherwise LifeTime's answer is reported as it came.
    /// </summary>
    private async Task<LifeTimeDeploymentDetail> DetailFromStatusAsync(string deploymentKey, OsRollbackException refusal, CancellationToken cancellationToken)
    {
        var status = await GetDeploymentStatusAsync(deploymentKey, cancellationToken).ConfigureAwait(false);
        if (!DeploymentStatuses.IsFinal(status.DeploymentStatus)) throw refusal;
        return new LifeTimeDeploymentDetail
        {
            Deployment = new LifeTimeDeployment { Key = deploymentKey, DeploymentStatus = status.DeploymentStatus },
            DetailUnavailableReason = $"LifeTime answered the plan's details with \"{PlatformHttpClient.InvalidStatusChange}\"; the plan is {status.DeploymentStatus}.",
        };
    }

    /// <summary>A plan, its conflicts, and its status and log, in one object.</summary>
    public async Task<LifeTimeDeploymentReport> GetDeploymentReportAsync(string deploymentKey, CancellationToken cancellationToken = default)
    {
        var detail = await GetDeploymentAsync(deploymentKey, cancellationToken).ConfigureAwait(false);
        var status = await GetDeploymentStatusAsync(deploymentKey, cancellationToken).ConfigureAwait(false);
        var plan = detail.Deployment;
        return new LifeTimeDeploymentReport
        {
            Key = string.IsNullOrEmpty(plan.Key) ? deploymentKey : plan.Key, DeploymentStatus = status.DeploymentStatus, Info = status.Info, Notes = plan.Notes,
            SourceEnvironmentKey = plan.SourceEnvironmentKey, TargetEnvironmentKey = plan.TargetEnvironmentKey, CreatedOn = plan.CreatedOn,
            ApplicationsToDeploy = detail.ApplicationsToDeploy, ApplicationsToRedeploy = detail.ApplicationsToRedeploy,
            ApplicationConflicts = detail.ApplicationConflicts, ModulesToDelete = detail.ModulesToDelete, DeploymentLog = status.DeploymentLog,
        };
    }

    /// <summary>Deletes a plan; LifeTime allows it only while the plan is saved.</summary>
    public Task DeleteDeploymentAsync(string deploymentKey, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"deployments/{Esc(deploymentKey)}/", null, true, $"deleting deployment {deploymentKey}", deploymentKey, cancellationToken);

    public Task StartDeploymentAsync(string deploymentKey, bool redeployOutdated = true, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentKey, "start", redeployOutdated, cancellationToken);

    public Task ContinueDeploymentAsync(string deploymentKey, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentKey, "continue", null, cancellationToken);

    public Task AbortDeploymentAsync(string deploymentKey, CancellationToken cancellationToken = default) =>
        CommandAsync(deploymentKey, "abort", null, cancellationToken);

    public Task<LifeTimeDeploymentStatus> GetDeploymentStatusAsync(string deploymentKey, CancellationToken cancellationToken = default) =>
        _http.GetJsonAsync<LifeTimeDeploymentStatus>($"deployments/{Esc(deploymentKey)}/status/", $"reading the status of deployment {deploymentKey}", deploymentKey, cancellationToken);

    /// <summary>Binary deployment of an .oap/.osp (LifeTime 11.22+; no impact analysis). Returns the deployment key. Sent once.</summary>
    public async Task<string> DeployBinaryAsync(string environmentKey, string packagePath, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(packagePath, cancellationToken).ConfigureAwait(false);
        using var response = await _http.SendCheckedAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, _http.Resolve($"environments/{Esc(environmentKey)}/deployment/")) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, false, $"uploading {Path.GetFileName(packagePath)} for a binary deployment", environmentKey, cancellationToken, Options.TransferTimeout).ConfigureAwait(false);
        return ReadKey(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), "DeploymentKey", "Key");
    }

    // ---- solutions (build on the server, poll, download) ---------------------------------

    /// <summary>Asks LifeTime to build a solution package of the given applications as they run in the environment. Returns the solution key.</summary>
    public async Task<string> CreateSolutionAsync(string environmentKey, string solutionName, IEnumerable<string> applicationKeys, bool includeReferences = false, CancellationToken cancellationToken = default)
    {
        var body = PlatformJson.Serialize(new { SolutionName = solutionName, ApplicationKeys = applicationKeys.ToList(), IncludeReferences = includeReferences });
        using var response = await _http.SendCheckedAsync(() => Json(HttpMethod.Post, $"environments/{Esc(environmentKey)}/solution", body), false,
            $"building solution {solutionName}", environmentKey, cancellationToken).ConfigureAwait(false);
        return ReadKey(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), "SolutionKey", "Key");
    }

    /// <summary>The build's status; the Swagger answers an array of one, the official client reads an object: both are accepted.</summary>
    public async Task<SolutionBuildStatus> GetSolutionStatusAsync(string environmentKey, string solutionKey, CancellationToken cancellationToken = default) =>
        OneOrFirst(await _http.GetJsonAsync<JsonElement>($"environments/{Esc(environmentKey)}/solutionstatus/{Esc(solutionKey)}",
            $"reading the status of solution {solutionKey}", solutionKey, cancellationToken).ConfigureAwait(false), new SolutionBuildStatus());

    /// <summary>Downloads a completed solution package: LifeTime answers with a download link ({url, expires}), which is followed.</summary>
    public async Task<string> DownloadSolutionAsync(string environmentKey, string solutionKey, string path, CancellationToken cancellationToken = default)
    {
        var content = OneOrFirst(await _http.GetJsonAsync<JsonElement>($"environments/{Esc(environmentKey)}/solution/{Esc(solutionKey)}",
            $"getting the download link of solution {solutionKey}", solutionKey, cancellationToken).ConfigureAwait(false), new ApplicationVersionContent());
        if (!Uri.TryCreate(Connection.Uri, content.url, out var link))
            throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult, $"LifeTime gave no valid download link for solution {solutionKey}.", solutionKey, "Try again.");
        await DownloadAsync(link, path, $"downloading solution {solutionKey}", solutionKey, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Builds a solution package on the server, polls until it is completed, and downloads it.</summary>
    public async Task<string> BuildAndDownloadSolutionAsync(string environmentKey, string solutionName, IEnumerable<string> applicationKeys, string path,
        bool includeReferences = false, IOperationReporter? reporter = null, CancellationToken cancellationToken = default)
    {
        reporter ??= NullReporter.Instance;
        var key = await CreateSolutionAsync(environmentKey, solutionName, applicationKeys, includeReferences, cancellationToken).ConfigureAwait(false);
        var policy = Options.Polling;
        var deadline = Options.TimeProvider.GetUtcNow() + policy.Timeout;
        var interval = policy.InitialInterval;
        string? last = null;
        while (true)
        {
            var status = await GetSolutionStatusAsync(environmentKey, key, cancellationToken).ConfigureAwait(false);
            reporter.Progress(new ProgressUpdate($"Building solution {solutionName}", status.Status ?? ""));
            if (status.IsCompleted) break;
            if (status.IsFailed) // an aborted build fails at once, not after the polling timeout
                throw new OsRollbackException("SolutionBuildFailed", OsErrorCategory.InvalidResult, $"LifeTime could not build solution {solutionName}: {status.Status} {status.StatusReason}", key, "Check the applications in LifeTime and try again.");
            if (Options.TimeProvider.GetUtcNow() >= deadline)
                throw new OsRollbackException("SolutionBuildTimeout", OsErrorCategory.OperationTimeout, $"Solution {solutionName} was not built within {policy.Timeout.TotalMinutes:0} minutes.", key, "Try again later.");
            interval = policy.Next(interval, status.Status != last);
            last = status.Status;
            await Options.DelayAsync(interval, cancellationToken).ConfigureAwait(false);
        }
        reporter.Progress(new ProgressUpdate($"Building solution {solutionName}", "Completed", 100, Completed: true));
        return await DownloadSolutionAsync(environmentKey, key, path, cancellationToken).ConfigureAwait(false);
    }

    // ---- helpers ------------------------------------------------------------------------

    private async Task CommandAsync(string deploymentKey, string command, bool? redeployOutdated, CancellationToken cancellationToken)
    {
        // IncludeErrorDetails (Swagger): a refused command says why, which OsRollback quotes.
        var query = (redeployOutdated is { } r ? $"?RedeployOutdated={B(r)}&" : "?") + "IncludeErrorDetails=true";
        await SendAsync(HttpMethod.Post, $"deployments/{Esc(deploymentKey)}/{command}/{query}", null, false,
            $"sending '{command}' to deployment {deploymentKey}", deploymentKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(HttpMethod method, string relative, string? jsonBody, bool idempotent, string what, object? target, CancellationToken cancellationToken)
    {
        using var response = await _http.SendCheckedAsync(() => Json(method, relative, jsonBody), idempotent, what, target, cancellationToken).ConfigureAwait(false);
    }

    private async Task DownloadAsync(Uri link, string path, string what, object target, CancellationToken cancellationToken)
    {
        // The token goes only to the LifeTime host itself, never to a storage link elsewhere.
        var sameHost = string.Equals(link.Host, Connection.Uri.Host, StringComparison.OrdinalIgnoreCase) && link.Port == Connection.Uri.Port;
        using var response = sameHost
            ? await _http.SendCheckedAsync(() => new HttpRequestMessage(HttpMethod.Get, link), true, what, target, cancellationToken, Options.TransferTimeout).ConfigureAwait(false)
            : await DownloadAnonymousAsync(link, what, target, cancellationToken).ConfigureAwait(false);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = path + ".partial";
        await using (var file = File.Create(temporary))
            await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private async Task<HttpResponseMessage> DownloadAnonymousAsync(Uri link, string what, object target, CancellationToken cancellationToken)
    {
        using var anonymous = new PlatformHttpClient(link, Options, ServiceName, Connection.Token, _ => { });
        var response = await anonymous.SendCheckedAsync(() => new HttpRequestMessage(HttpMethod.Get, link), true, what, target, cancellationToken, Options.TransferTimeout).ConfigureAwait(false);
        var buffer = new MemoryStream();
        await response.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        response.Dispose();
        buffer.Position = 0;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(buffer) };
    }

    private HttpRequestMessage Json(HttpMethod method, string relative, string? body)
    {
        var request = new HttpRequestMessage(method, _http.Resolve(relative));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>A key answered as plain text, a JSON string, or an object with the named property.</summary>
    internal static string ReadKey(string text, params string[] properties)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('"'))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                if (doc.RootElement.ValueKind == JsonValueKind.String) return doc.RootElement.GetString()!.Trim();
                foreach (var property in doc.RootElement.EnumerateObject())
                    if (properties.Any(p => string.Equals(p, property.Name, StringComparison.OrdinalIgnoreCase))) return property.Value.ToString().Trim();
            }
            catch (JsonException) { }
        }
        if (trimmed.Length == 0 || trimmed.Length > 200)
            throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult, "LifeTime did not answer with a key.", null, "Check the deployment in the LifeTime console.");
        return trimmed;
    }

    internal static T Resolve<T>(IReadOnlyList<T> all, string nameOrKey, Func<T, string> key, Func<T, string> name, string kind, string listCmdlet)
    {
        var match = all.FirstOrDefault(x => string.Equals(key(x), nameOrKey, StringComparison.OrdinalIgnoreCase))
                    ?? all.FirstOrDefault(x => string.Equals(name(x), nameOrKey, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        var closest = NameSuggestions.Closest(nameOrKey, all.Select(name), 3);
        throw new OsRollbackException($"{char.ToUpperInvariant(kind[0])}{kind[1..]}NotFound", OsErrorCategory.ObjectNotFound,
            $"LifeTime has no {kind} named or keyed '{nameOrKey}'." + (closest.Count > 0 ? $" Closest: {string.Join(", ", closest)}." : ""),
            nameOrKey, $"List them with {listCmdlet}.");
    }

    /// <summary>An object, or the first item of an array of them (LifeTime's Swagger and its official client disagree on the shape).</summary>
    internal static T OneOrFirst<T>(JsonElement element, T empty) where T : class
    {
        var item = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().FirstOrDefault() : element;
        return item.ValueKind == JsonValueKind.Object ? item.Deserialize<T>(PlatformJson.Options) ?? empty : empty;
    }

    private static async Task<T?> OrNullWhenMissing<T>(Func<Task<T>> read) where T : class
    {
        try { return await read().ConfigureAwait(false); }
        catch (OsRollbackException ex) when (ex.ErrorId == "PlatformObjectNotFound") { return null; }
    }

    private static string B(bool value) => value ? "true" : "false";
    private static string Esc(string value) => Uri.EscapeDataString(value);

    public void Dispose() => _http.Dispose();
}
