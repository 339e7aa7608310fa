using Newtonsoft.Json;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// One step of a plan: an immutable record per kind (see the *Step types). Its kind is its type
/// name without "Step"; that name is the type discriminator in plan JSON ("kind").
/// Every kind is idempotent: running it again after a crash gives the same end state.
/// </summary>
public abstract record RollbackStep
{
    [JsonProperty(Order = -3)]
    public string Kind => KindOf(GetType());

    [JsonProperty(Order = -2)]
    public int Number { get; init; }

    public string Title { get; init; } = "";
    public string Target { get; init; } = "";

    /// <summary>Replaces a database with a backup or snapshot of it (a factory restore reports which ones are done when one fails).</summary>
    [JsonIgnore]
    public virtual bool RestoresDatabase => false;

    /// <summary>Proves something about the rollback (the report lists these under "Verified").</summary>
    [JsonIgnore]
    public virtual bool Verifies => false;

    public static string KindOf(Type stepType) => stepType.Name.EndsWith("Step", StringComparison.Ordinal) ? stepType.Name[..^4] : stepType.Name;

    public override string ToString() => $"{Number}. {Title} ({Target})";
}

/// <summary>The names of the step kinds this version plans (a new kind needs no entry here).</summary>
public static class RollbackStepKind
{
    public const string VerifyRollbackPoint = nameof(VerifyRollbackPoint);
    public const string DeployVersions = nameof(DeployVersions);
    public const string PublishSolution = nameof(PublishSolution);
    public const string PublishModuleWave = nameof(PublishModuleWave);
    public const string VerifyVersions = nameof(VerifyVersions);
    public const string MaintenanceOn = nameof(MaintenanceOn);
    public const string SuspendTimers = nameof(SuspendTimers);
    public const string FirewallOffline = nameof(FirewallOffline);
    public const string BackupCurrent = nameof(BackupCurrent);
    public const string RestoreDatabase = nameof(RestoreDatabase);
    public const string MaintenanceOff = nameof(MaintenanceOff);
    public const string SmokeTest = nameof(SmokeTest);
    public const string FirewallOnline = nameof(FirewallOnline);
    public const string ResumeTimers = nameof(ResumeTimers);
    public const string RestoreParallel = nameof(RestoreParallel);
}
