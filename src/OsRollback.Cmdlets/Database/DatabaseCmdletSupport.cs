using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Database;

/// <summary>
/// Runs engine work off the pipeline thread, writing its progress and messages on the pipeline
/// thread while it runs, and hands back the engine's own exception (not an AggregateException).
/// </summary>
internal static class EngineWork
{
    public static T Run<T>(CmdletReporter reporter, Func<IOperationReporter, CancellationToken, T> work, CancellationToken stop) =>
        PipelineWait.For(Task.Run(() => work(reporter, stop), CancellationToken.None), reporter.Pump, stop);

    /// <summary>One service for the cmdlets (real clock, real SQL Server sessions).</summary>
    public static DatabaseBackupService Service { get; } = new();
}

/// <summary>Base of the database safety-net cmdlets that name a target database.</summary>
public abstract class DatabaseSafetyCmdlet : OsDatabaseCmdlet
{
    /// <summary>Runs engine work; a failure stops the cmdlet with its ErrorRecord.</summary>
    internal T Engine<T>(Func<DatabaseBackupService, IOperationReporter, CancellationToken, T> work)
    {
        try
        {
            return EngineWork.Run(Reporter, (r, c) => work(EngineWork.Service, r, c), StopToken);
        }
        catch (OsRollbackException ex)
        {
            Reporter.Pump();
            ThrowTerminatingError(ToErrorRecord(ex));
            throw; // not reached
        }
    }

    /// <summary>Runs engine work for one pipeline input; a failure is written as a non-terminating error and the cmdlet goes on.</summary>
    internal bool TryEngine<T>(Func<DatabaseBackupService, IOperationReporter, CancellationToken, T> work, out T result)
    {
        try
        {
            result = EngineWork.Run(Reporter, (r, c) => work(EngineWork.Service, r, c), StopToken);
            return true;
        }
        catch (OsRollbackException ex)
        {
            Reporter.Pump();
            WriteOsError(ex);
            result = default!;
            return false;
        }
    }

    /// <summary>Resolves PowerShell paths (relative, ~, PSDrives) to file-system paths; URLs pass unchanged.</summary>
    protected string[] ResolvePaths(IEnumerable<string> paths) =>
        paths.Select(p => p.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || ParameterSetName == SqlServerSet ? p : GetUnresolvedProviderPathFromPSPath(p)).ToArray();
}
