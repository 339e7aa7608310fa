using System.Globalization;
using System.Text.Json;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Platform;

/// <summary>One timer and the state it had before it was suspended.</summary>
public sealed class TimerState
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public long? EspaceId { get; set; }
    public bool IsActive { get; set; }
    /// <summary>NEXT_RUN before the suspension, as the database held it (invariant text; null when empty).</summary>
    public string? NextRun { get; set; }
    /// <summary>Set when the timer was running when it was suspended (a running timer is not interrupted).</summary>
    public string? IsRunningSince { get; set; }
    /// <summary>
    /// The NEXT_RUN a publish gave the timer while it was suspended ("When Published" timers wake after
    /// each publish): Resume writes it back instead of <see cref="NextRun"/>, so the timer runs once, as
    /// after any publish, but only when the timers resume. Null: not woken.
    /// </summary>
    public string? WokenNextRun { get; set; }
    /// <summary>The tenant of a per-tenant row (OSSYS_CYCLIC_JOB, timers of multi-tenant modules whose meta timer is not shared); null for the shared row.</summary>
    public long? TenantId { get; set; }
    /// <summary>The name, with the tenant for a per-tenant row.</summary>
    public string Label => TenantId is { } tenant ? $"{Name} (tenant {tenant})" : Name;
    public override string ToString() => Label;
}

/// <summary>What <see cref="TimerSuspension.Suspend"/> changed: written to a state file and taken back by Resume-OsTimer.</summary>
public sealed class TimerSuspensionState
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    public int FormatVersion { get; set; } = 1;
    public string Database { get; set; } = "";
    public DateTimeOffset SuspendedOn { get; set; }
    /// <summary>The NEXT_RUN value written while suspended (the scheduler never reaches it).</summary>
    public string SuspendedUntil { get; set; } = TimerSuspension.SuspendedUntilText;
    public List<TimerState> Timers { get; set; } = new();
    public string? Path { get; set; }

    public void Save(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllText(Path, JsonSerializer.Serialize(this, Indented));
    }

    public static TimerSuspensionState Load(string path)
    {
        if (!File.Exists(path))
            throw new OsRollbackException("TimerStateFileNotFound", OsErrorCategory.ObjectNotFound, $"The timer state file '{path}' does not exist.", path, "Give the file written by Suspend-OsTimer -StatePath.");
        try
        {
            var state = JsonSerializer.Deserialize<TimerSuspensionState>(File.ReadAllText(path)) ?? throw new JsonException("empty");
            state.Path = System.IO.Path.GetFullPath(path);
            return state;
        }
        catch (JsonException ex)
        {
            throw new OsRollbackException("TimerStateFileInvalid", OsErrorCategory.InvalidData, $"'{path}' is not a timer state file: {ex.Message}", path, "Give the file written by Suspend-OsTimer -StatePath.");
        }
    }

    public override string ToString() => $"{Timers.Count} timer(s) suspended in {Database}";
}

/// <summary>The outcome of a resume: which timers got their state back and which were left alone.</summary>
public sealed class TimerResumeResult
{
    public string Database { get; init; } = "";
    public string[] Restored { get; init; } = [];
    /// <summary>Timers whose NEXT_RUN was changed by someone else since the suspension, or that no longer exist.</summary>
    public string[] Skipped { get; init; } = [];
}

/// <summary>
/// Suspends OutSystems timers by moving NEXT_RUN (OSSYS_CYCLIC_JOB_SHARED, and OSSYS_CYCLIC_JOB per
/// tenant) far into the future (the scheduler runs a timer when NEXT_RUN &lt;= now), after recording
/// each timer's prior NEXT_RUN; Resume writes back exactly the recorded value, only where the
/// suspension is still in place. The tables are the provider's (<see cref="IPlatformTables"/>).
/// </summary>
public static class TimerSuspension
{
    public const string SuspendedUntilText = "2999-12-31 00:00:00";

    /// <summary>The timers and their current state.</summary>
    public static IReadOnlyList<TimerState> Read(DatabaseTarget target)
    {
        using var table = Open(target);
        return ReadTimers(table);
    }

    /// <summary>
    /// Suspends the active timers (all, or those named); returns what was recorded. <paramref name="names"/> matches NAME
    /// case-insensitively. <paramref name="beforeCommit"/> gets the state before the change is committed (to save it):
    /// if it throws, nothing is suspended, so a prior schedule is never lost.
    /// </summary>
    public static TimerSuspensionState Suspend(DatabaseTarget target, IEnumerable<string>? names = null, IOperationReporter? reporter = null, TimeProvider? time = null,
        Action<TimerSuspensionState>? beforeCommit = null)
    {
        reporter ??= NullReporter.Instance;
        var wanted = names?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var table = Open(target);
        var timers = ReadTimers(table).Where(t => wanted is null || wanted.Count == 0 || wanted.Contains(t.Name)).ToList();
        if (wanted is { Count: > 0 })
        {
            var unknown = wanted.Where(w => !timers.Any(t => t.Name.Equals(w, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
                throw new OsRollbackException("TimerNotFound", OsErrorCategory.ObjectNotFound, $"No timer named {string.Join(", ", unknown)} in {target.DisplayName}.", unknown[0], "List the timers with Suspend-OsTimer -WhatIf.");
        }
        var state = new TimerSuspensionState { Database = target.DisplayName, SuspendedOn = (time ?? TimeProvider.System).GetUtcNow() };
        foreach (var timer in timers)
        {
            if (IsSuspendedValue(timer.NextRun))
            {
                reporter.Warning($"Timer {timer.Label} is already suspended; it is left out of this state (resume it with the earlier state).");
                continue;
            }
            if (timer.IsRunningSince is not null) reporter.Warning($"Timer {timer.Label} is running since {timer.IsRunningSince}; the current run is not interrupted.");
            table.SetNextRun(timer.Id, timer.TenantId, SuspendedUntilText);
            state.Timers.Add(timer);
            reporter.Verbose($"Suspended timer {timer.Label} (next run was {timer.NextRun ?? "not set"}).");
        }
        beforeCommit?.Invoke(state);
        table.Commit();
        return state;
    }

    /// <summary>Writes back each recorded NEXT_RUN where the timer is still suspended; leaves others alone with a warning.</summary>
    public static TimerResumeResult Resume(DatabaseTarget target, TimerSuspensionState state, IOperationReporter? reporter = null)
    {
        reporter ??= NullReporter.Instance;
        using var table = Open(target);
        var restored = new List<string>();
        var skipped = new List<string>();
        foreach (var timer in state.Timers)
        {
            var current = table.ReadNextRun(timer.Id, timer.TenantId);
            if (current is null && !table.Exists(timer.Id, timer.TenantId))
            {
                reporter.Warning($"Timer {timer.Label} no longer exists; skipped.");
                skipped.Add(timer.Label);
                continue;
            }
            if (!IsSuspendedValue(current))
            {
                reporter.Warning($"Timer {timer.Label} was rescheduled since the suspension (next run {current}); left as it is.");
                skipped.Add(timer.Label);
                continue;
            }
            var nextRun = timer.WokenNextRun ?? timer.NextRun;
            table.SetNextRun(timer.Id, timer.TenantId, nextRun);
            restored.Add(timer.Label);
            reporter.Verbose($"Resumed timer {timer.Label} (next run {nextRun ?? "not set"}{(timer.WokenNextRun is null ? "" : ", as the publish that woke it asked")}).");
        }
        table.Commit();
        return new TimerResumeResult { Database = target.DisplayName, Restored = restored.ToArray(), Skipped = skipped.ToArray() };
    }

    private static ITimerTable Open(DatabaseTarget target) => DatabaseProviders.Default.For(target).Operations.Tables.OpenTimers(target);

    private static List<TimerState> ReadTimers(ITimerTable table) =>
        table.Read().Select(row => new TimerState
        {
            Id = row.Id, Name = row.Name, EspaceId = row.EspaceId, IsActive = row.IsActive,
            NextRun = row.NextRun, IsRunningSince = row.IsRunningSince, TenantId = row.TenantId,
        }).ToList();

    private static bool IsSuspendedValue(string? text) =>
        text is not null && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) && value.Year >= 2999;
}
