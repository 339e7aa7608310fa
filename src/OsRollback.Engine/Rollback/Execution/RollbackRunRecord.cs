using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>How a past run ended, as its journal tells.</summary>
public enum RollbackRunState
{
    /// <summary>The journal records the run's end: every step finished.</summary>
    Succeeded,

    /// <summary>The last step the journal records failed (the run can be resumed).</summary>
    Failed,

    /// <summary>The run stopped without a recorded failure (a crash, a killed process) or is still running.</summary>
    Unfinished,
}

/// <summary>The time one step of a past run took, read from the journal (the last attempt when the step ran more than once).</summary>
public sealed class RollbackRunStepTime
{
    public int Number { get; init; }
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";

    /// <summary>Finished, Failed, Interrupted (started, then the run stopped) or NotRun.</summary>
    public string Status { get; init; } = "";

    /// <summary>How many times the step started (more than one after -Resume).</summary>
    public int Attempts { get; init; }

    /// <summary>When the last attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the last attempt finished or failed.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The last attempt's time (null when it did not end).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The step lies in the users' outage (from the step that takes the applications away to the one that gives them back).</summary>
    public bool InUsersOutage { get; init; }

    public override string ToString() => $"{Number}. {Kind}: {Status}{(Duration is { } d ? $" in {d:hh\\:mm\\:ss}" : "")}";
}

/// <summary>
/// One past rollback run (runs/&lt;plan id&gt; beside its rollback point): what it rolled back,
/// whether it was a drill, how it ended, the users' outage and every step's time, all read from
/// its plan.json and journal.jsonl (see <see cref="RunJournalReader"/>).
/// </summary>
public sealed class RollbackRunRecord
{
    /// <summary>The run's plan Id (the name of its folder).</summary>
    public string Id { get; init; } = "";
    public string RollbackPointId { get; init; } = "";
    public string Environment { get; init; } = "";
    public RollbackStrategy Strategy { get; init; }
    public string Reason { get; init; } = "";

    /// <summary>A practice run: on an environment other than production (see <see cref="RollbackDrills"/>).</summary>
    public bool IsDrill { get; init; }
    public RollbackRunState Status { get; init; }

    /// <summary>The first and last event of the journal (over every resume).</summary>
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset EndedAt { get; init; }

    /// <summary>From the first to the last event, pauses between a failure and its -Resume included.</summary>
    public TimeSpan Duration => EndedAt - StartedAt;

    /// <summary>How many times the run was resumed.</summary>
    public int Resumes { get; init; }

    /// <summary>When the step that takes the applications away from users first started (null: the run never got there).</summary>
    public DateTimeOffset? UsersOfflineAt { get; init; }

    /// <summary>When the step that gives the applications back to users finished (null: not yet, or the run never got there).</summary>
    public DateTimeOffset? UsersOnlineAt { get; init; }

    /// <summary>What users lived through: offline to online, pauses included (null until the applications are back).</summary>
    public TimeSpan? UsersOutage => UsersOfflineAt is { } off && UsersOnlineAt is { } on ? on - off : null;

    /// <summary>The size of the platform database at the run (its verified pre-rollback backup); null when the run took none.</summary>
    public long? DatabaseBytes { get; init; }
    public IReadOnlyList<RollbackRunStepTime> Steps { get; init; } = [];

    /// <summary>The run's folder (journal.jsonl, plan.json, report.json).</summary>
    public string Path { get; init; } = "";

    /// <summary>A short form of the Id for people ("drill 3f2a1b9c on Quality").</summary>
    public string ShortId => Id.Length > 8 ? Id[..8] : Id;

    public override string ToString() => $"{(IsDrill ? "drill" : "run")} {ShortId} on {Environment} ({Strategy}): {Status}";
}

/// <summary>
/// Which runs are drills: runs on an environment whose name is not one production environments
/// go by (Production, Prod, PRD, Live; any case). A run records no environment type (LifeTime's
/// EnvironmentType is not in the plan), so the name decides, the same way for every reader.
/// </summary>
public static class RollbackDrills
{
    public static readonly IReadOnlyList<string> ProductionNames = ["Production", "Prod", "PRD", "Live"];

    public static bool IsDrill(string environment) =>
        !ProductionNames.Contains(environment.Trim(), StringComparer.OrdinalIgnoreCase);
}
