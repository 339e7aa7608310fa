using System.Management.Automation;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// The engine's reporter for a running cmdlet. Messages from the pipeline thread are written
/// at once; messages from other threads (HTTP continuations, timers) are queued on the cmdlet's
/// <see cref="EngineWork"/> and written by its pump on the pipeline thread, as PowerShell requires. In Azure DevOps
/// (TF_BUILD set) progress and warnings are also written as logging commands.
/// </summary>
internal sealed class CmdletReporter : IOperationReporter
{
    private readonly OsCmdlet _cmdlet;
    private readonly EngineWork _work;
    private readonly bool _azureDevOps = AzureDevOps.IsActive;

    public CmdletReporter(OsCmdlet cmdlet, EngineWork work)
    {
        _cmdlet = cmdlet;
        _work = work;
    }

    public void Verbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

    public void Warning(string message) => Post(() =>
    {
        _cmdlet.WriteWarning(message);
        if (_azureDevOps) Console.Out.WriteLine(AzureDevOps.LogIssue("warning", message));
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
        if (_azureDevOps && update.ParentActivityId < 0 && update.PercentComplete >= 0
            && AzureDevOps.ForwardProgress(update.PercentComplete, update.Activity) is { } line)
            Console.Out.WriteLine(line);
    });

    private void Post(Action write) => _work.Post(write);
}
