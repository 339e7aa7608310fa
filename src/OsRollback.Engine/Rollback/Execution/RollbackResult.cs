using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

public enum StepStatus { NotRun, Finished, FinishedEarlier, Failed }

public enum RollbackRunStatus { Succeeded, Failed }

/// <summary>The outcome of one step.</summary>
public sealed class RollbackStepResult
{
    public int Number { get; set; }
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    public string Target { get; set; } = "";
    public StepStatus Status { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Detail { get; set; }

    /// <summary>The typed outcome the step journaled (null when it did not finish).</summary>
    public StepOutcome? Outcome { get; set; }
    public override string ToString() => $"{Number}. {Status}: {Title}";
}

/// <summary>The outcome of Invoke-OsRollback: one result per step and the overall status; also written as report.json and report.md next to the journal.</summary>
public sealed class RollbackResult
{
    public string PlanId { get; set; } = "";
    public string PlanDigest { get; set; } = "";
    public string Environment { get; set; } = "";
    public RollbackStrategy Strategy { get; set; }
    public string RollbackPointId { get; set; } = "";
    public RollbackRunStatus Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public bool Resumed { get; set; }
    public int? FailedStep { get; set; }
    public string? Message { get; set; }
    public string? ParallelDatabase { get; set; }
    public string? PreRollbackBackup { get; set; }
    public DateTimeOffset? DataLossFrom { get; set; }
    public List<RollbackStepResult> Steps { get; set; } = [];
    public List<string> Warnings { get; set; } = [];

    /// <summary>What users saw (offline from ... to ..., or a republish window); leads the report.</summary>
    public UsersOutage? UsersOutage { get; set; }

    /// <summary>Rows held in the parallel database and the schema left behind, counted after the last step.</summary>
    public RunAftermath? Aftermath { get; set; }

    /// <summary>The rollback point's module graph with the changed and republished modules marked (module-graph.svg); null without a graph.</summary>
    public string? ModuleGraphPath { get; set; }
    public string JournalPath { get; set; } = "";
    public string ReportPath { get; set; } = "";
    public string MarkdownReportPath { get; set; } = "";

    /// <summary>The failure, for the cmdlet to turn into an error record (not serialized).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public OsRollbackException? Error { get; set; }

    public override string ToString() => $"{Strategy} rollback of {Environment}: {Status}";
}
