using OsRollback.Engine.Data;

namespace OsRollback.Engine.Platform;

/// <summary>
/// OutSystems wakes the timers scheduled "When Published" after each publish (docs-product
/// class-timer.md), so a republish during a suspension sets their NEXT_RUN back to now. This
/// suspends them again, keeps their recorded schedule and the woken NEXT_RUN in the state file,
/// and names them; without it, Resume would leave them as "rescheduled" and they would have run
/// in the outage.
/// </summary>
public static class WokenTimerSuspension
{
    /// <summary>Suspends every timer that is no longer suspended and returns their labels; the state file at <paramref name="statePath"/> is updated before the change commits.</summary>
    public static IReadOnlyList<string> Resuspend(DatabaseTarget target, string statePath, TimeProvider? time = null)
    {
        var recorded = File.Exists(statePath) ? TimerSuspensionState.Load(statePath) : null;
        var woken = new List<string>();
        // No reporter: the timers still suspended are the expected case here, not a warning.
        TimerSuspension.Suspend(target, time: time, beforeCommit: fresh =>
        {
            woken.AddRange(fresh.Timers.Select(t => t.Label));
            if (recorded is null) { fresh.Save(statePath); return; }
            foreach (var timer in fresh.Timers)
            {
                var known = recorded.Timers.FirstOrDefault(r => r.Id == timer.Id && r.TenantId == timer.TenantId);
                if (known is null) recorded.Timers.Add(timer);
                else known.WokenNextRun = timer.NextRun;
            }
            recorded.Save(statePath);
        });
        return woken;
    }
}
