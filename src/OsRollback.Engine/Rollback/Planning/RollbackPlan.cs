using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Smoke;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>The four ways back, from best to last resort.</summary>
public enum RollbackStrategy { LifeTime, Solution, Module, Database }

/// <summary>Why a strategy was chosen or skipped.</summary>
public sealed class StrategyAssessment
{
    public RollbackStrategy Strategy { get; set; }
    public bool Possible { get; set; }
    public bool Chosen { get; set; }
    public string Reason { get; set; } = "";

    /// <summary>The users' expected outage (offline to online) if this strategy runs; null when not estimated.</summary>
    public TimeSpan? ExpectedOutage { get; set; }

    /// <summary>Where <see cref="ExpectedOutage"/> comes from: the drill or run it was scaled from, or the default step durations.</summary>
    public string? OutageBasis { get; set; }

    /// <summary>The estimate for people: "about 12 min (drill 3f2a1b9c on Quality of ...)"; null when not estimated.</summary>
    [Newtonsoft.Json.JsonIgnore]
    public string? ExpectedOutageText => ExpectedOutage is { } outage ? $"about {OutageEstimator.Describe(outage)} ({OutageBasis})" : null;

    /// <summary>The reason of a strategy after a better one was chosen: it was not assessed (neither possible nor impossible).</summary>
    public const string NotAssessedReason = "not assessed: a better strategy was chosen first";

    /// <summary>chosen, possible, not possible, or not assessed (a better strategy was chosen first).</summary>
    public string Verdict() => Chosen ? "chosen" : Possible ? "possible" : Reason == NotAssessedReason ? "not assessed" : "not possible";

    public override string ToString() => Reason == NotAssessedReason && !Chosen ? $"{Strategy}: {Reason}" : $"{Strategy}: {Verdict()} - {Reason}";
}

/// <summary>An application whose running version differs from the rollback point.</summary>
public sealed class ApplicationChange
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
    public string RunningVersion { get; set; } = "";
    public string RollbackVersion { get; set; } = "";
    public string RollbackVersionKey { get; set; } = "";
    public override string ToString() => $"{Name} {RunningVersion} -> {RollbackVersion}";
}

/// <summary>
/// A rollback plan (format version 2: typed steps, plan digest; version 1 plans are read too):
/// made by New-OsRollbackPlan, approved by a person or a pipeline, executed by Invoke-OsRollback.
/// Holds no secret.
/// </summary>
public sealed class RollbackPlan
{
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; set; } = CurrentFormatVersion;
    public string Id { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public string Reason { get; set; } = "";
    public string Environment { get; set; } = "";
    public string RollbackPointId { get; set; } = "";
    public string RollbackPointPath { get; set; } = "";
    public string RollbackPointSha256 { get; set; } = "";

    /// <summary>The rollback-point files the plan uses, with the content hash approved (inside the digest); absent in plans made before it was recorded.</summary>
    [Newtonsoft.Json.JsonProperty(NullValueHandling = Newtonsoft.Json.NullValueHandling.Ignore)]
    public List<ApprovedFile>? RollbackPointFiles { get; set; }
    public RollbackStrategy Strategy { get; set; }
    public bool DataCorruption { get; set; }
    public bool DataLoss { get; set; }

    /// <summary>The data-loss window of the Database strategy: from the pre-deploy backup to the plan (grows until execution).</summary>
    public DateTimeOffset? DataLossFrom { get; set; }
    public DateTimeOffset? DataLossTo { get; set; }
    public string? SourceEnvironment { get; set; }
    /// <summary>The Database strategy's way back (snapshot revert, log chain to the mark, full restore), why, and its expected outage.</summary>
    public RestorePathChoice? RestorePath { get; set; }
    /// <summary>The Database strategy's way to republish the factory after the restore, and why (null in other plans).</summary>
    [Newtonsoft.Json.JsonProperty(NullValueHandling = Newtonsoft.Json.NullValueHandling.Ignore)]
    public RepublishChoice? Republish { get; set; }

    public List<StrategyAssessment> Assessments { get; set; } = [];
    public List<ApplicationChange> Changes { get; set; } = [];
    public List<string> Warnings { get; set; } = [];
    public List<RollbackStep> Steps { get; set; } = [];
    public List<SmokeTarget> SmokeTargets { get; set; } = [];

    /// <summary>
    /// OutSystems Cloud: the request to OutSystems Support that replaces the Database strategy
    /// (customers cannot restore the platform database there); null elsewhere.
    /// </summary>
    public CloudSupportRequest? SupportRequest { get; set; }

    /// <summary>SHA-256 of the canonical plan (see <see cref="RollbackPlanDigest"/>); empty in version 1 plans.</summary>
    public string PlanDigest { get; set; } = "";

    public int StepCount => Steps.Count;
    public override string ToString() => $"{Strategy} rollback of {Environment} to {RollbackPointId} ({Steps.Count} steps)";
}
