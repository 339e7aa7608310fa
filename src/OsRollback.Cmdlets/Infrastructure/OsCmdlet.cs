using System.Management.Automation;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// Base of every OsRollback cmdlet: turns engine failures into ErrorRecords with stable ids
/// (no stack trace for expected failures), gives the engine a reporter, and runs engine work
/// that is asynchronous while keeping all output on the pipeline thread and honouring Ctrl+C.
/// </summary>
public abstract class OsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private CmdletReporter? _reporter;

    internal CmdletReporter Reporter => _reporter ??= new CmdletReporter(this);

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>PowerShell disposes a cmdlet that is IDisposable when its pipeline ends; the Ctrl+C source goes with it.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs engine work and maps an <see cref="OsRollbackException"/> to a terminating error.</summary>
    protected T Run<T>(Func<IOperationReporter, T> work)
    {
        try
        {
            return work(Reporter);
        }
        catch (OsRollbackException ex)
        {
            Reporter.Pump();
            ThrowTerminatingError(ToErrorRecord(ex));
            throw; // not reached
        }
    }

    protected void Run(Action<IOperationReporter> work) => Run<object?>(r => { work(r); return null; });

    /// <summary>Runs asynchronous engine work, writing its messages on the pipeline thread as they come.</summary>
    protected T RunAsync<T>(Func<IOperationReporter, CancellationToken, Task<T>> work)
    {
        return Run(reporter => PipelineWait.For(Task.Run(() => work(reporter, StopToken)), Reporter.Pump, StopToken));
    }

    protected void RunAsync(Func<IOperationReporter, CancellationToken, Task> work) =>
        RunAsync<object?>(async (r, c) => { await work(r, c).ConfigureAwait(false); return null; });

    /// <summary>Writes a non-terminating error (the cmdlet goes on with the next input).</summary>
    protected void WriteOsError(OsRollbackException ex) => WriteError(ToErrorRecord(ex));

    /// <summary>Stops with a terminating error for bad input found by the cmdlet itself.</summary>
    protected void ThrowInvalid(string errorId, OsErrorCategory category, string message, object? target, string recommendedAction) =>
        ThrowTerminatingError(ToErrorRecord(new OsRollbackException(errorId, category, message, target, recommendedAction)));

    internal static ErrorRecord ToErrorRecord(OsRollbackException ex)
    {
        var category = Enum.TryParse<ErrorCategory>(ex.Category.ToString(), out var c) ? c : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(ex, ex.ErrorId, category, ex.Target);
        if (!string.IsNullOrEmpty(ex.RecommendedAction))
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.RecommendedAction };
        if (AzureDevOps.IsActive) Console.Out.WriteLine(AzureDevOps.LogIssue("error", ex.Message));
        return record;
    }
}
