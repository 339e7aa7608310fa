using OsRollback.Engine.Database;
namespace OsRollback.Engine.Rollback.Ports;

/// <summary>An environment of the factory, as LifeTime lists it. <see cref="Order"/> grows downstream (Development &lt; Quality &lt; Production).</summary>
/// <param name="IsCloud">OutSystems Cloud (LifeTime's IsCloudEnvironment): OutSystems Support, not the customer, restores its platform database.</param>
/// <param name="DatabaseProvider">LifeTime's DatabaseProvider (SqlServer or Oracle); null when not known.</param>
public sealed record PlatformEnvironmentInfo(string Key, string Name, int Order, bool IsCloud = false, string? DatabaseProvider = null);

/// <summary>One module version running in an environment.</summary>
public sealed record RunningModule(string Key, string Name, string Kind, string VersionKey);

/// <summary>
/// One application running in an environment: its LifeTime key, the version tag running
/// (<see cref="VersionKey"/> = ApplicationVersionKey, <see cref="Version"/> = its label), its
/// modules and, when the platform knows it, the URL of its default page (for smoke tests).
/// </summary>
public sealed record RunningApplication(
    string Key,
    string Name,
    string VersionKey,
    string Version,
    IReadOnlyList<RunningModule> Modules,
    string? Url = null,
    string? Kind = null);

/// <summary>One module to publish in a wave: the version to make the published one.</summary>
public sealed record ModulePublishItem(string Name, string Key, string Kind, string VersionKey);

/// <summary>A database backup taken (and verified) by <see cref="IRollbackDatabase"/>.</summary>
public sealed record BackupRecord(string Path, DateTimeOffset TakenAt, bool Verified, long SizeBytes)
{
    /// <summary>SQL Server: the last LSN of the backup, where a log chain to the deploy's mark starts (null: SQLite or not read).</summary>
    public decimal? LastLsn { get; init; }

    /// <summary>The proof this process verified the backup (null when read back from a journal): a restore re-checks it cheaply instead of taking a second safety backup.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public VerifiedBackup? Evidence { get; init; }
}

/// <summary>What a firewall hook is told: which environment, which run, which phase.</summary>
public sealed record HookContext(string Environment, string PlanId, string RollbackPointId, string Phase);
