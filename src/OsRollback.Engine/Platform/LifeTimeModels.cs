namespace OsRollback.Engine.Platform;

// LifeTime API v2 resources. Property names are the API's field names (see the platform contract),
// so the same objects read the wire and bind by property name in PowerShell.

/// <summary>A LifeTime environment (GET /environments/).</summary>
public sealed class LifeTimeEnvironment
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string? OSVersion { get; set; }
    public int Order { get; set; }
    public string? HostName { get; set; }
    public bool UseHTTPS { get; set; }
    /// <summary>Development, Test or Production.</summary>
    public string? EnvironmentType { get; set; }
    public int NumberOfFrontEnds { get; set; }
    public string? DatabaseProvider { get; set; }
    public bool IsCloudEnvironment { get; set; }
    public override string ToString() => Name;
}

/// <summary>An application (GET /applications/ or /environments/{key}/applications/).</summary>
public sealed class LifeTimeApplication
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Mobile or WebResponsive.</summary>
    public string? Kind { get; set; }
    public string? Team { get; set; }
    public string? Description { get; set; }
    public string? URLPath { get; set; }
    public bool IsSystem { get; set; }
    public List<AppStatusInEnv> AppStatusInEnvs { get; set; } = new();
    public override string ToString() => Name;
}

/// <summary>What version of an application runs in one environment.</summary>
public sealed class AppStatusInEnv
{
    public string EnvironmentKey { get; set; } = "";
    public string? BaseApplicationVersionKey { get; set; }
    public string? BaseApplicationVersionLabel { get; set; }
    public bool IsModified { get; set; }
    public string? ConsistencyStatus { get; set; }
    public List<ModuleStatusInEnv> ModuleStatusInEnvs { get; set; } = new();
    public string? DeploymentZoneKey { get; set; }
    /// <summary>The mobile apps' native build status per platform, as LifeTime gives it (its item fields are not documented: kept as they come).</summary>
    public List<System.Text.Json.JsonElement> MobileAppsStatus { get; set; } = new();
}

public sealed class ModuleStatusInEnv
{
    public string? ApplicationKey { get; set; }
    public string? EnvironmentKey { get; set; }
    public string? ModuleVersionKey { get; set; }
    public string? ConsistencyStatus { get; set; }
}

/// <summary>
/// One row of Get-OsApplication -Environment: which version of an application runs in an
/// environment. Built by the engine from <see cref="AppStatusInEnv"/>.
/// </summary>
public sealed class ApplicationInEnvironment
{
    public string ApplicationKey { get; init; } = "";
    public string ApplicationName { get; init; } = "";
    public string EnvironmentKey { get; init; } = "";
    public string EnvironmentName { get; init; } = "";
    public string? Version { get; init; }
    public string? VersionKey { get; init; }
    public bool IsModified { get; init; }
    public string? ConsistencyStatus { get; init; }
    public string? DeploymentZoneKey { get; init; }
    public int ModuleCount { get; init; }
    public LifeTimeApplication Application { get; init; } = new();
    public override string ToString() => $"{ApplicationName} {Version} @ {EnvironmentName}";
}

/// <summary>An application version tag (ApplicationVersion_v2).</summary>
public sealed class LifeTimeApplicationVersion
{
    public string Key { get; set; } = "";
    public string ApplicationKey { get; set; } = "";
    /// <summary>Filled by the client from the application (not part of the API object).</summary>
    public string? ApplicationName { get; set; }
    public string Version { get; set; } = "";
    public string? ChangeLog { get; set; }
    public DateTimeOffset? CreatedOn { get; set; }
    public bool InUse { get; set; }
    public List<LifeTimeModuleVersion> ModuleVersions { get; set; } = new();
    public string? EnvironmentKey { get; set; }
    /// <summary>Native build versions of a mobile app's tag (empty for web apps).</summary>
    public List<LifeTimeMobileVersion> MobileVersions { get; set; } = new();
    /// <summary>Hash of the native shell of a mobile app's tag: when two tags differ in it, they need different native builds.</summary>
    public string? NativeHash { get; set; }
    public override string ToString() => $"{ApplicationName ?? ApplicationKey} {Version}";
}

/// <summary>One native build version of a mobile app tag (LifeTime MobileVersions item).</summary>
public sealed class LifeTimeMobileVersion
{
    public string NativePlatform { get; set; } = "";
    public string VersionNumber { get; set; } = "";
    public string? VersionDescription { get; set; }
    public override string ToString() => $"{NativePlatform} {VersionNumber}";
}

/// <summary>The download link of an application version's package, valid for a short time.</summary>
public sealed class ApplicationVersionContent
{
    public string url { get; set; } = "";
    public DateTimeOffset? expires { get; set; }
}

/// <summary>A module (GET /modules/).</summary>
public sealed class LifeTimeModule
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>eSpace or Extension.</summary>
    public string? Kind { get; set; }
    public override string ToString() => Name;
}

/// <summary>A module version (ModuleVersion_v2).</summary>
public sealed class LifeTimeModuleVersion
{
    public string Key { get; set; } = "";
    public string ModuleKey { get; set; } = "";
    public DateTimeOffset? CreatedOn { get; set; }
    public string? CreatedBy { get; set; }
    public string? GeneralHash { get; set; }
}

/// <summary>A deployment plan (GET /deployments/).</summary>
public sealed class LifeTimeDeployment
{
    public string Key { get; set; } = "";
    public string? Notes { get; set; }
    public string? SourceEnvironmentKey { get; set; }
    public string? TargetEnvironmentKey { get; set; }
    public List<DeploymentApplicationOperation> ApplicationOperations { get; set; } = new();
    public DateTimeOffset? CreatedOn { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? StartedOn { get; set; }
    public DateTimeOffset? AbortedOn { get; set; }
    /// <summary>Not part of LifeTime's list (Deployment_v2 has no status and no FinishedOn): read from the plan's status.</summary>
    public string? DeploymentStatus { get; set; }
    /// <summary>Whether the plan worked: true when it finished successfully or with warnings, false when it failed or was aborted, null while it is not over (or unknown).</summary>
    public bool? Succeeded => DeploymentStatus is null || !DeploymentStatuses.IsFinal(DeploymentStatus) ? null : DeploymentStatuses.IsSuccess(DeploymentStatus);
    /// <summary>LifeTime writes 1900-01-01 for "not set".</summary>
    internal static bool IsSet(DateTimeOffset? value) => value is { } v && v.Year > 1901;
    public override string ToString() => Key;
}

public sealed class DeploymentApplicationOperation
{
    /// <summary>Set in LifeTime's answers (a plan's operations); not sent when creating a plan.</summary>
    public string? ApplicationKey { get; set; }
    public string ApplicationVersionKey { get; set; } = "";
    public string? DeploymentZoneKey { get; set; }
}

/// <summary>A plan with its impact (GET /deployments/{key}/).</summary>
public sealed class LifeTimeDeploymentDetail
{
    public LifeTimeDeployment Deployment { get; set; } = new();
    [System.Text.Json.Serialization.JsonConverter(typeof(LenientStringListConverter))]
    public List<string> ApplicationsToDeploy { get; set; } = new();
    [System.Text.Json.Serialization.JsonConverter(typeof(LenientStringListConverter))]
    public List<string> ApplicationsToRedeploy { get; set; } = new();
    public List<ApplicationConflict> ApplicationConflicts { get; set; } = new();
    [System.Text.Json.Serialization.JsonConverter(typeof(LenientStringListConverter))]
    public List<string> ModulesToDelete { get; set; } = new();

    /// <summary>Keys of the applications the plan deploys or redeploys (from its operations and lists; empty when LifeTime names none).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlySet<string> ApplicationKeys { get; internal set; } = new HashSet<string>();

    /// <summary>
    /// LifeTime could not give the plan's details (a finished plan can answer 500 "Invalid status
    /// change"); the status was read instead, and the lists above are empty.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? DetailUnavailableReason { get; internal set; }
}

public sealed class ApplicationConflict
{
    public string? ApplicationKey { get; set; }
    public string? Message { get; set; }
    public ModuleConflict? ModuleConflict { get; set; }
    public override string ToString() => ModuleConflict is null ? Message ?? "" : $"{Message} ({ModuleConflict})";
}

public sealed class ModuleConflict
{
    public string? ProducerModuleKey { get; set; }
    public string? ConsumerModuleKey { get; set; }
    public string? ConflictType { get; set; }
    public override string ToString() => $"{ConflictType}: producer {ProducerModuleKey}, consumer {ConsumerModuleKey}";
}

/// <summary>GET /deployments/{key}/status/.</summary>
public sealed class LifeTimeDeploymentStatus
{
    public string DeploymentStatus { get; set; } = "";
    public string? Info { get; set; }
    public List<DeploymentLogEntry> DeploymentLog { get; set; } = new();
}

public sealed class DeploymentLogEntry
{
    public DateTimeOffset? Instant { get; set; }
    public string Message { get; set; } = "";
    /// <summary>Info, Warning or Error.</summary>
    public string Type { get; set; } = "Info";
    public override string ToString() => $"{Instant:u} {Type}: {Message}";
}

/// <summary>The deployment status values of LifeTime, and which of them are final.</summary>
public static class DeploymentStatuses
{
    public const string Saved = "saved";
    public const string Running = "running";
    public const string NeedsUserIntervention = "needs_user_intervention";
    public const string Aborting = "aborting";
    public const string Aborted = "aborted";
    public const string FinishedSuccessful = "finished_successful";
    public const string FinishedWithWarnings = "finished_with_warnings";
    public const string FinishedWithErrors = "finished_with_errors";
    public const string ForceFinished = "force_finished";

    /// <summary>Info while needs_user_intervention: the two-step stage one is done.</summary>
    public const string DeploymentPrepared = "deployment_prepared";

    /// <summary>Info while needs_user_intervention: the plan affects business processes; LifeTime asks to read its warnings first (Swagger).</summary>
    public const string BusinessProcessImpact = "business_process_impact";

    public static bool IsFinal(string? status) => status is Aborted or FinishedSuccessful or FinishedWithWarnings or FinishedWithErrors or ForceFinished;
    public static bool IsSuccess(string? status) => status is FinishedSuccessful or FinishedWithWarnings;
}

/// <summary>GET /environments/{key}/solutionstatus/{solutionKey}.</summary>
public sealed class SolutionBuildStatus
{
    /// <summary>
    /// The build steps in the official client's order (outsystems-pipeline vars/pipeline_vars.py):
    /// Created, Ready ("ready to be processed"), Gathering Dependencies, Getting Binaries,
    /// Generating Meta Model, Generating Solution, then Completed, or Aborted.
    /// </summary>
    public static readonly IReadOnlyList<string> Steps =
        ["Created", "Ready", "Gathering Dependencies", "Getting Binaries", "Generating Meta Model", "Generating Solution", Completed];

    public const string Completed = "Completed";
    public const string Aborted = "Aborted";

    /// <summary>The build step (for example "Generating Solution"); "Completed" when the package can be downloaded.</summary>
    public string? Status { get; set; }
    public string? StatusReason { get; set; }
    /// <summary>Only Completed means the package exists; Ready means "ready to be processed", and the download link answers 400 before Completed.</summary>
    public bool IsCompleted => string.Equals(Status, Completed, StringComparison.OrdinalIgnoreCase);
    /// <summary>Aborted, or a status that names a failure or an error: the build will not complete.</summary>
    public bool IsFailed => Status is not null && (Status.Equals(Aborted, StringComparison.OrdinalIgnoreCase)
        || Status.Contains("fail", StringComparison.OrdinalIgnoreCase) || Status.Contains("error", StringComparison.OrdinalIgnoreCase));
    public override string ToString() => Status ?? "";
}

/// <summary>One plan with its impact, conflicts, status and log (Get-OsDeployment -DeploymentKey).</summary>
public sealed class LifeTimeDeploymentReport
{
    public string Key { get; init; } = "";
    public string DeploymentStatus { get; init; } = "";
    public string? Info { get; init; }
    public string? Notes { get; init; }
    public string? SourceEnvironmentKey { get; init; }
    public string? TargetEnvironmentKey { get; init; }
    public DateTimeOffset? CreatedOn { get; init; }
    public IReadOnlyList<string> ApplicationsToDeploy { get; init; } = [];
    public IReadOnlyList<string> ApplicationsToRedeploy { get; init; } = [];
    public IReadOnlyList<ApplicationConflict> ApplicationConflicts { get; init; } = [];
    public IReadOnlyList<string> ModulesToDelete { get; init; } = [];
    public IReadOnlyList<DeploymentLogEntry> DeploymentLog { get; init; } = [];
    public override string ToString() => $"{Key} {DeploymentStatus}";
}
