using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Runtime;

/// <summary>A LifeTime deployment plan and, once started, its run.</summary>
public sealed class Deployment
{
    public static readonly DateTime NotSet = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public required string Key { get; init; }
    public EnvironmentDef? Source { get; init; }
    public required EnvironmentDef Target { get; init; }
    public string Notes { get; init; } = "";
    public required DateTime CreatedOn { get; init; }
    public List<(AppVersionDef Version, string DeploymentZoneKey)> Operations { get; } = [];
    /// <summary>Module versions of a binary deployment (from its package); empty for a plan.</summary>
    public List<ModuleVersionDef> BinaryModules { get; } = [];
    public bool IsBinary { get; init; }
    public PublishRun? Run { get; set; }
    public DateTime? AbortedOn { get; set; }

    /// <summary>The module versions this deployment publishes.</summary>
    public IReadOnlyList<ModuleVersionDef> Modules => IsBinary ? BinaryModules : Operations.SelectMany(o => o.Version.ModuleVersions).ToList();

    public string Status => Run?.Status ?? (AbortedOn is null ? "saved" : "aborted");
}
