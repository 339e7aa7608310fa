using System.Globalization;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>What users saw: offline (taken away from them), a republish while they worked on, or nothing yet.</summary>
public enum UsersOutageKind { Offline, Republish, None }

/// <summary>
/// The users' side of a run, from its journal: for a plan that takes the applications offline,
/// from the start of the first step that does (maintenance mode, the -OfflineScript hook, stopping
/// the servers) to the end of the step that opens them to users again; for a code rollback, the
/// window in which the applications were republished (the steps of <see cref="UsersOutageWindow"/>,
/// which the outage estimate uses too). Journal times, so a resumed run counts from its first attempt.
/// </summary>
public sealed class UsersOutage
{
    public UsersOutageKind Kind { get; init; }

    /// <summary>When users lost the applications (Offline) or the republish began (Republish).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>When users had them back, or the republish ended; null while still offline (the run stopped before).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>From to To, or to the last journal event while the applications are still offline.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>One line that leads the report: "Offline from 10:02 to 10:17 (UTC), 15 minutes".</summary>
    public string Summary { get; init; } = "";

    public override string ToString() => Summary;

    public static UsersOutage Of(RollbackPlan plan, IReadOnlyList<JournalEntry> journal)
    {
        var started = FirstStarted(journal);
        var finished = LastFinished(journal);
        var offline = plan.Steps.Where(s => UsersOutageWindow.OfflineKinds.Contains(s.Kind)).ToList();
        if (offline.Count > 0)
        {
            var online = plan.Steps.LastOrDefault(s => s.Kind == RollbackStepKind.FirewallOnline)
                ?? plan.Steps.LastOrDefault(s => s.Kind == RollbackStepKind.MaintenanceOff);
            var from = offline.Select(s => started.GetValueOrDefault(s.Number)).Where(t => t is not null).Min();
            if (from is null)
                return new UsersOutage { Kind = UsersOutageKind.None, Summary = $"Users kept the applications: the run stopped before step {offline[0].Number} ({offline[0].Title}) took them offline." };
            var to = online is null ? null : finished.GetValueOrDefault(online.Number);
            if (to is null)
            {
                var last = journal.Max(e => e.At);
                return new UsersOutage
                {
                    Kind = UsersOutageKind.Offline, From = from, Duration = last - from.Value,
                    Summary = $"Offline since {Clock(from.Value, last)} (UTC) and not back online: the run stopped before {(online is null ? "the applications were opened again" : $"step {online.Number} ({online.Title})")}; {Minutes(last - from.Value)} so far at {Clock(last, from.Value)}.",
                };
            }
            return new UsersOutage
            {
                Kind = UsersOutageKind.Offline, From = from, To = to, Duration = to.Value - from.Value,
                Summary = $"Offline from {Clock(from.Value, to.Value)} to {Clock(to.Value, from.Value)} (UTC), {Minutes(to.Value - from.Value)}{Day(from.Value, to.Value)}.",
            };
        }
        var republish = plan.Steps.Where(s => UsersOutageWindow.RepublishKinds.Contains(s.Kind)).ToList();
        var begun = republish.Select(s => started.GetValueOrDefault(s.Number)).Where(t => t is not null).Min();
        if (begun is null)
            return new UsersOutage { Kind = UsersOutageKind.None, Summary = $"No planned outage: users kept working; nothing of {plan.Environment} was republished." };
        var ended = republish.Select(s => finished.GetValueOrDefault(s.Number)).Where(t => t is not null).Max();
        var end = ended ?? journal.Max(e => e.At);
        var what = republish.Count == 1 && republish[0].Kind == RollbackStepKind.DeployVersions ? "redeployed by LifeTime" : "republished";
        return new UsersOutage
        {
            Kind = UsersOutageKind.Republish, From = begun, To = ended, Duration = end - begun.Value,
            Summary = ended is null
                ? $"No planned outage: users kept working; {plan.Environment} was being {what} from {Clock(begun.Value, end)} (UTC) when the run stopped, {Minutes(end - begun.Value)} in."
                : $"No planned outage: users kept working while {plan.Environment} was {what} from {Clock(begun.Value, end)} to {Clock(end, begun.Value)} (UTC), {Minutes(end - begun.Value)}{Day(begun.Value, end)}; an application may reload for its users as its new version starts.",
        };
    }

    private static Dictionary<int, DateTimeOffset?> FirstStarted(IReadOnlyList<JournalEntry> journal) =>
        journal.Where(e => e.Event == JournalEvent.Started).GroupBy(e => e.Step).ToDictionary(g => g.Key, g => (DateTimeOffset?)g.Min(e => e.At));

    private static Dictionary<int, DateTimeOffset?> LastFinished(IReadOnlyList<JournalEntry> journal) =>
        journal.Where(e => e.Event == JournalEvent.Finished).GroupBy(e => e.Step).ToDictionary(g => g.Key, g => (DateTimeOffset?)g.Max(e => e.At));

    // HH:mm to the nearest minute (as the duration is rounded), with the date when the other end falls on another day.
    private static string Clock(DateTimeOffset at, DateTimeOffset other)
    {
        var minute = Nearest(at);
        return minute.ToString(minute.Date == Nearest(other).Date ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
    }

    private static DateTime Nearest(DateTimeOffset at) => new DateTime(at.UtcDateTime.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(at.Second >= 30 ? 1 : 0);

    private static string Day(DateTimeOffset from, DateTimeOffset to) =>
        Nearest(from).Date == Nearest(to).Date ? $" on {Nearest(from):yyyy-MM-dd}" : "";

    /// <summary>Whole minutes (rounded), "less than a minute" under half a minute.</summary>
    public static string Minutes(TimeSpan span)
    {
        var minutes = (long)Math.Round(span.TotalMinutes, MidpointRounding.AwayFromZero);
        return minutes <= 0 ? "less than a minute" : minutes == 1 ? "1 minute" : string.Create(CultureInfo.InvariantCulture, $"{minutes} minutes");
    }
}
