using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// Reads a past run from its folder: the plan copy (plan.json) names the steps, the journal
/// (journal.jsonl) times them. The journal is read in file order, which is the order things
/// happened across resumes (each -Resume appends); times are instants, so events written with
/// different UTC offsets subtract correctly. A step that ran more than once (failed or cut by a
/// crash, then resumed) is timed by its last attempt; a step finished before a resume is not
/// journaled again and keeps its first time.
/// </summary>
public static class RunJournalReader
{
    public const string PlanFileName = "plan.json";

    /// <summary>The run in <paramref name="runFolder"/>; null when nothing of it ran yet (no journal event).</summary>
    public static RollbackRunRecord? Read(string runFolder)
    {
        try
        {
            var entries = RollbackJournal.ReadEntries(Path.Combine(runFolder, RollbackJournal.FileName));
            return entries.Count == 0 ? null : FromJournal(RollbackPlanFile.Read(Path.Combine(runFolder, PlanFileName)), entries, runFolder);
        }
        catch (Exception ex) when (ex is OsRollbackException or IOException or UnauthorizedAccessException)
        {
            throw new OsRollbackException("RollbackRunUnreadable", OsErrorCategory.InvalidData,
                $"The rollback run '{runFolder}' cannot be read: {ex.Message}", runFolder,
                "A run folder needs its journal.jsonl and the plan.json that Invoke-OsRollback copied there, readable by this account; restore plan.json from the approved plan, or move the folder out of the runs folder.", ex);
        }
    }

    /// <summary>The run of <paramref name="plan"/> as its journal entries tell it.</summary>
    public static RollbackRunRecord FromJournal(RollbackPlan plan, IReadOnlyList<JournalEntry> entries, string runFolder)
    {
        var window = UsersOutageWindow.Of(plan.Strategy, plan.Steps);
        var steps = plan.Steps.Select((s, i) => StepTime(s, entries, window is { } w && i >= w.First && i <= w.Last)).ToList();
        var offline = window is { } o ? entries.FirstOrDefault(e => e.Step == plan.Steps[o.First].Number && e.Event == JournalEvent.Started)?.At : null;
        var online = window is { } on ? entries.LastOrDefault(e => e.Step == plan.Steps[on.Last].Number && e.Event == JournalEvent.Finished)?.At : null;
        return new RollbackRunRecord
        {
            Id = plan.Id,
            RollbackPointId = plan.RollbackPointId,
            Environment = plan.Environment,
            Strategy = plan.Strategy,
            Reason = plan.Reason,
            IsDrill = RollbackDrills.IsDrill(plan.Environment),
            Status = StateOf(entries),
            StartedAt = entries.Min(e => e.At),
            EndedAt = entries.Max(e => e.At),
            Resumes = Math.Max(0, entries.Count(e => e.Event == JournalEvent.RunStarted) - 1),
            UsersOfflineAt = offline,
            UsersOnlineAt = offline is null ? null : online,
            DatabaseBytes = entries.LastOrDefault(e => e.Event == JournalEvent.Finished && e.Outcome is BackupTaken { Database: null, SizeBytes: > 0 })?.Outcome is BackupTaken b ? b.SizeBytes : null,
            Steps = steps,
            Path = runFolder,
        };
    }

    private static RollbackRunStepTime StepTime(RollbackStep step, IReadOnlyList<JournalEntry> entries, bool inOutage)
    {
        var own = entries.Where(e => e.Step == step.Number).ToList();
        var lastStart = own.FindLastIndex(e => e.Event == JournalEvent.Started);
        var end = lastStart < 0 ? null : own.Skip(lastStart + 1).FirstOrDefault(e => e.Event is JournalEvent.Finished or JournalEvent.Failed);
        var started = lastStart < 0 ? null : own[lastStart];
        return new RollbackRunStepTime
        {
            Number = step.Number,
            Kind = step.Kind,
            Title = step.Title,
            Status = started is null ? "NotRun" : end is null ? "Interrupted" : end.Event == JournalEvent.Finished ? "Finished" : "Failed",
            Attempts = own.Count(e => e.Event == JournalEvent.Started),
            StartedAt = started?.At,
            EndedAt = end?.At,
            Duration = started is not null && end is not null ? end.At - started.At : null,
            InUsersOutage = inOutage,
        };
    }

    private static RollbackRunState StateOf(IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Any(e => e.Event == JournalEvent.RunFinished)) return RollbackRunState.Succeeded;
        var last = entries.LastOrDefault(e => e.Step > 0 && e.Event is JournalEvent.Started or JournalEvent.Finished or JournalEvent.Failed);
        return last?.Event == JournalEvent.Failed ? RollbackRunState.Failed : RollbackRunState.Unfinished;
    }
}
