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
    private EngineWork? _work;
    private OsRollbackServices? _services;

    /// <summary>Created on first use, on the pipeline thread (the thread it pumps for).</summary>
    internal EngineWork Work => _work ??= new EngineWork(this, _stopping.Token);

    internal CmdletReporter Reporter => Work.Reporter;

    /// <summary>The composition root of the runspace running this cmdlet (see <see cref="OsRollbackServices"/>).</summary>
    internal OsRollbackServices Services => _services ??= OsRollbackServices.For();

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
            Work.Pump();
            ThrowTerminatingError(ToErrorRecord(ex));
            throw; // not reached
        }
    }

    protected void Run(Action<IOperationReporter> work) => Run<object?>(r => { work(r); return null; });

    /// <summary>
    /// Runs engine work off the pipeline thread (see <see cref="EngineWork"/>): its messages and
    /// script hooks run on the pipeline thread as they come; a failure is a terminating error.
    /// </summary>
    protected T RunAsync<T>(Func<IOperationReporter, CancellationToken, Task<T>> work) => Run(_ => Work.Wait(work));

    protected void RunAsync(Func<IOperationReporter, CancellationToken, Task> work) =>
        RunAsync<object?>(async (r, c) => { await work(r, c).ConfigureAwait(false); return null; });

    /// <summary>
    /// -Debug makes a compiled cmdlet's verbose and debug writes Inquire. A non-interactive host (a
    /// scheduled task, a pipeline agent, pwsh -NonInteractive) cannot ask, and its failed prompt would
    /// replace the command's real result or error: such a message is dropped instead.
    /// </summary>
    public new void WriteVerbose(string text) => WithoutFailedPrompt(() => base.WriteVerbose(text));

    /// <inheritdoc cref="WriteVerbose(string)"/>
    public new void WriteDebug(string text) => WithoutFailedPrompt(() => base.WriteDebug(text));

    private static void WithoutFailedPrompt(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException && IsFailedPrompt(ex))
        {
            // The host cannot prompt; a stop chosen at a real prompt (ActionPreferenceStopException) still stops.
        }
    }

    private static bool IsFailedPrompt(Exception ex) =>
        ex.StackTrace?.Contains("Prompt", StringComparison.Ordinal) == true || ex is System.Management.Automation.Host.HostException;

    /// <summary>
    /// True when this command's warnings are silenced (-WarningAction SilentlyContinue or Ignore, or
    /// $WarningPreference in the caller's scope): the Azure DevOps logissue copy is silenced with them.
    /// </summary>
    internal bool WarningsSilenced()
    {
        var preference = MyInvocation.BoundParameters.TryGetValue("WarningAction", out var bound) ? bound : GetVariableValue("WarningPreference");
        return LanguagePrimitives.TryConvertTo(preference, out ActionPreference action)
            && action is ActionPreference.SilentlyContinue or ActionPreference.Ignore;
    }

    /// <summary>Writes a non-terminating error (the cmdlet goes on with the next input).</summary>
    protected void WriteOsError(OsRollbackException ex) => WriteError(ToErrorRecord(ex));

    /// <summary>Stops with a terminating error for bad input found by the cmdlet itself.</summary>
    protected void ThrowInvalid(string errorId, OsErrorCategory category, string message, object? target, string recommendedAction) =>
        ThrowTerminatingError(ToErrorRecord(new OsRollbackException(errorId, category, message, target, recommendedAction)));

    internal static ErrorRecord ToErrorRecord(OsRollbackException ex) => ToErrorRecord(ex, ex.Target);

    /// <summary>The ErrorRecord of <paramref name="ex"/> with another target object (what the caller needs after the failure).</summary>
    internal static ErrorRecord ToErrorRecord(OsRollbackException ex, object? target)
    {
        var category = Enum.TryParse<ErrorCategory>(ex.Category.ToString(), out var c) ? c : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(ex, ex.ErrorId, category, target);
        if (!string.IsNullOrEmpty(ex.RecommendedAction))
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.RecommendedAction };
        if (AzureDevOps.IsActive) Console.Out.WriteLine(AzureDevOps.LogIssue("error", ex.Message));
        return record;
    }
}
