using Newtonsoft.Json;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// What a finished step reports, stored in the journal with its type name ("type") as the
/// discriminator, so later steps, -Resume and the report read typed values, not string keys.
/// </summary>
public abstract record StepOutcome
{
    [JsonProperty(Order = -2)]
    public string Type => GetType().Name;

    public string Detail { get; init; } = "";
}

/// <summary>A step that did its work and has nothing more to report than its detail.</summary>
public sealed record StepDone : StepOutcome
{
    public static StepDone With(string detail) => new() { Detail = detail };
}

/// <summary>The LifeTime deployment a DeployVersions step created (and, finished, ran).</summary>
public sealed record DeploymentFinished : StepOutcome
{
    /// <summary>Null when the versions already ran and nothing was deployed.</summary>
    public string? DeploymentKey { get; init; }
}

/// <summary>The verified pre-rollback backup of one database.</summary>
public sealed record BackupTaken : StepOutcome
{
    /// <summary>The catalog it is of (the step's <see cref="Planning.IDatabaseStep.Database"/>); null: the platform database (also in journals written before catalogs).</summary>
    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public string? Database { get; init; }

    public string BackupPath { get; init; } = "";
    public long SizeBytes { get; init; }

    /// <summary>The backup as the run took it, with the evidence this process verified it (none after -Resume in a new process: then a fresh safety backup is taken).</summary>
    [JsonIgnore]
    public Ports.BackupRecord? Record { get; init; }
}

/// <summary>The parallel database holding the pre-rollback data.</summary>
public sealed record ParallelDatabaseRestored : StepOutcome
{
    public string ParallelDatabase { get; init; } = "";
}

/// <summary>How many smoke checks ran and passed (zero: none configured).</summary>
public sealed record SmokeTestPassed : StepOutcome
{
    public int Checks { get; init; }
}

/// <summary>A LifeTime deployment plan created but maybe not finished (journaled before it starts, for -Resume).</summary>
public sealed record DeploymentStarted : StepOutcome
{
    public string DeploymentKey { get; init; } = "";
}

/// <summary>The identity high-water marks of the pre-rollback database (read in the outage, before the restore).</summary>
public sealed record IdentityHighWaterCaptured : StepOutcome
{
    public IReadOnlyList<Database.IdentityHighWater> Marks { get; init; } = [];
}

/// <summary>How many identities were raised, and which tables could not be reseeded (and why).</summary>
public sealed record IdentitiesReseeded : StepOutcome
{
    public int Reseeded { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
