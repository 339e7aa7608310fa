using System.Management.Automation;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// The engine's reporter for a running cmdlet. Messages from the pipeline thread are written
/// at once; messages from other threads (HTTP continuations, timers) are queued on the cmdlet's
/// <see cref="EngineWork"/> and written by its pump on the pipeline thread, as PowerShell requires. In Azure DevOps
/// (TF_BUILD set) progress and warnings are also written as logging commands.
/// </summary>
/// <remarks>
/// The step's progress bar (task.setprogress) follows one activity at a time: the first top-level
/// activity of this command with a percentage owns it until it completes. Engines a command uses
/// (a backup inside New-OsRollbackPoint) report their own top-level activities; forwarding those
/// would jump the bar to 100 % mid-command. Each command has its own reporter, so the next command
/// of the same step (Invoke-OsRollback after New-OsRollbackPoint) starts its own activity.
/// </remarks>
internal sealed class CmdletReporter : IOperationReporter
{
    private readonly OsCmdlet _cmdlet;
    private readonly EngineWork _work;
    private readonly bool _azureDevOps = AzureDevOps.IsActive;
    private string? _progressOwner;
    private int _lastPercent = -1;

    public CmdletReporter(OsCmdlet cmdlet, EngineWork work)
    {
        _cmdlet = cmdlet;
        _work = work;
    }

    public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

    public void Warning(string message) => Post(() =>
    {
        _cmdlet.WriteWarning(message);
        // -WarningAction SilentlyContinue silences the pipeline's copy of the warning too.
        if (_azureDevOps && !_cmdlet.WarningsSilenced()) Console.Out.WriteLine(AzureDevOps.LogIssue("warning", message));
    });

    public void Progress(ProgressUpdate update) => Post(() =>
    {
        var record = new ProgressRecord(update.ActivityId, update.Activity, string.IsNullOrEmpty(update.Status) ? "Working" : update.Status)
        {
            PercentComplete = Math.Clamp(update.PercentComplete, -1, 100),
            ParentActivityId = update.ParentActivityId,
            RecordType = update.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        _cmdlet.WriteProgress(record);
        if (_azureDevOps && update.ParentActivityId < 0 && StepProgress(update) is { } line) Console.Out.WriteLine(line);
    });

    /// <summary>The setprogress line for the owning activity when its percentage moved forward, else null.</summary>
    private string? StepProgress(ProgressUpdate update)
    {
        if (_progressOwner is null && update.PercentComplete >= 0 && !update.Completed)
        {
            _progressOwner = update.Activity;
            _lastPercent = -1;
        }
        if (!string.Equals(_progressOwner, update.Activity, StringComparison.Ordinal)) return null;
        string? line = null;
        var percent = Math.Clamp(update.PercentComplete, -1, 100);
        if (percent > _lastPercent)
        {
            _lastPercent = percent;
            line = AzureDevOps.SetProgress(percent, update.Activity);
        }
        if (update.Completed) _progressOwner = null;
        return line;
    }

    private void Post(Action write) => _work.Post(write);
}
