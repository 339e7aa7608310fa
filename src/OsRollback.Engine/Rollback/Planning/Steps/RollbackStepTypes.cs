using Newtonsoft.Json;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>Checks the rollback point's files before anything changes.</summary>
public sealed record VerifyRollbackPointStep : RollbackStep
{
    public override bool Verifies => true;
}

/// <summary>Deploys application version tags from an upstream environment with a LifeTime plan.</summary>
public sealed record DeployVersionsStep : RollbackStep
{
    public string? SourceEnvironment { get; init; }
    public IReadOnlyList<string> VersionKeys { get; init; } = [];
}

/// <summary>Publishes the solution package captured with the rollback point.</summary>
public sealed record PublishSolutionStep : RollbackStep;

/// <summary>Republishes one wave of modules (producers before consumers).</summary>
public sealed record PublishModuleWaveStep : RollbackStep
{
    public int Wave { get; init; }
    public IReadOnlyList<ModulePublishItem> Modules { get; init; } = [];

    /// <summary>Pin each module to its version through the undocumented staging Version field (the plan's opt-in); otherwise the published version is republished.</summary>
    public bool UseUnverifiedVersionField { get; init; }
}

/// <summary>Checks that the rollback point's application and module versions run.</summary>
public sealed record VerifyVersionsStep : RollbackStep
{
    public override bool Verifies => true;

    public IReadOnlyList<string> VersionKeys { get; init; } = [];
    public IReadOnlyList<ModulePublishItem> Modules { get; init; } = [];
}

public sealed record MaintenanceOnStep : RollbackStep;
public sealed record MaintenanceOffStep : RollbackStep;
public sealed record SuspendTimersStep : RollbackStep;
public sealed record ResumeTimersStep : RollbackStep;

/// <summary>Runs the -OfflineScript hook (closes the applications to end users).</summary>
public sealed record FirewallOfflineStep : RollbackStep;

/// <summary>Runs the -OnlineScript hook (opens the applications to end users).</summary>
public sealed record FirewallOnlineStep : RollbackStep;

/// <summary>Takes the verified pre-rollback backup of one live database (the platform database, or the catalog named in <see cref="Database"/>).</summary>
public sealed record BackupCurrentStep : RollbackStep, IDatabaseStep
{
    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public string? Database { get; init; }
}

/// <summary>Restores the rollback point's pre-deploy backup over one live database (the platform database, or the catalog named in <see cref="Database"/>).</summary>
public sealed record RestoreDatabaseStep : RollbackStep, IDatabaseStep
{
    public override bool RestoresDatabase => true;

    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public string? Database { get; init; }
}

public sealed record SmokeTestStep : RollbackStep
{
    public override bool Verifies => true;
}

/// <summary>Restores the pre-rollback backup as a parallel database (data recovery).</summary>
public sealed record RestoreParallelStep : RollbackStep;

/// <summary>Reads the identity high-water marks of the application tables from the live database, before the restore.</summary>
public sealed record CaptureIdentityHighWaterStep : RollbackStep;

/// <summary>Raises the identities of the restored database above the captured marks, before the applications come back.</summary>
public sealed record ReseedIdentitiesStep : RollbackStep;
