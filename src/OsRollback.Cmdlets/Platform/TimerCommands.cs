using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Cmdlets.Platform;

/// <summary>Suspend-OsTimer: records each timer's next run and moves it out of the scheduler's reach.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "OsTimer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TimerSuspensionState))]
public sealed class SuspendOsTimerCommand : OsDatabaseCmdlet
{
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsTimerCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    protected override void EndProcessing()
    {
        var target = GetDatabaseTarget();
        var timers = Run(_ => TimerSuspension.Read(target));
        var selected = Name.Length == 0 ? timers : timers.Where(t => Name.Any(n => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(t.Name))).ToList();
        if (Name.Length > 0 && selected.Count == 0)
            ThrowInvalid("TimerNotFound", OsErrorCategory.ObjectNotFound, $"No timer matches {string.Join(", ", Name)} in {target.DisplayName}.", Name, "Run without -Name to see all timers (with -WhatIf).");
        var chosen = selected.Where(t => ShouldProcess($"{t.Name} in {target.DisplayName}", $"Suspend the timer (next run {t.NextRun ?? "not set"} is recorded and restored by Resume-OsTimer)")).Select(t => t.Name).ToList();
        if (chosen.Count == 0) return;
        var statePath = StatePath is null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
        // The state file is written before the suspension commits: no timer loses its schedule to a failed save.
        var state = Run(reporter => TimerSuspension.Suspend(target, chosen, reporter, beforeCommit: s => SaveState(s, statePath)));
        WriteObject(state);
    }

    private static void SaveState(TimerSuspensionState state, string? path)
    {
        if (path is null) return;
        // The file may be the only record of earlier schedules: never write over it.
        if (File.Exists(path))
        {
            throw new OsRollbackException("TimerStateExists", OsErrorCategory.ResourceExists,
                $"The timer state file '{path}' already exists; it may be the only record of suspended timers' schedules. No timer was suspended.", path,
                $"Resume those timers first (Resume-OsTimer -State '{path}'), or give another -StatePath.");
        }
        try
        {
            state.Save(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OsRollbackException("TimerStateNotSaved", OsErrorCategory.WriteError,
                $"The timer state could not be written to '{path}': {ex.Message} No timer was suspended.", path,
                "Give a -StatePath in a folder you can write to, and run Suspend-OsTimer again.", ex);
        }
    }
}

/// <summary>Resume-OsTimer: restores exactly the next runs recorded by Suspend-OsTimer.</summary>
[Cmdlet(VerbsLifecycle.Resume, "OsTimer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TimerResumeResult))]
public sealed class ResumeOsTimerCommand : OsDatabaseCmdlet
{
    /// <summary>The object Suspend-OsTimer returned, or the path of its state file.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    [TimerStateTransformation]
    public TimerStateReference State { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var state = Run(_ => State.Resolve());
        var target = GetDatabaseTarget();
        if (!ShouldProcess(target.DisplayName, $"Restore the next run of {state.Timers.Count} timer(s): {string.Join(", ", state.Timers.Select(t => t.Label))}")) return;
        WriteObject(Run(reporter => TimerSuspension.Resume(target, state, reporter)));
    }
}
