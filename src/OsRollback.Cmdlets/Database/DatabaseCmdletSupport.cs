using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Cmdlets.Database;

/// <summary>Base of the database safety-net cmdlets: one item per named database (see <see cref="OsDatabaseSetCmdlet"/>).</summary>
public abstract class DatabaseSafetyCmdlet : OsDatabaseSetCmdlet
{
    /// <summary>Runs engine work for the current item; its failure reaches <see cref="OsDatabaseSetCmdlet.ForEachTarget"/>.</summary>
    internal T Engine<T>(Func<DatabaseBackupService, IOperationReporter, CancellationToken, T> work) =>
        Work.Wait((r, c) => Task.FromResult(work(Services.DatabaseBackup, r, c)));

    /// <summary>Runs engine work for one part of an item; a failure is reported (see -EnableException) and the cmdlet goes on.</summary>
    internal bool TryEngine<T>(Func<DatabaseBackupService, IOperationReporter, CancellationToken, T> work, out T result)
    {
        try
        {
            result = Work.Wait((r, c) => Task.FromResult(work(Services.DatabaseBackup, r, c)));
            return true;
        }
        catch (OsRollbackException ex)
        {
            Work.Pump();
            WriteItemError(ex);
            result = default!;
            return false;
        }
    }

    /// <summary>Resolves PowerShell paths (relative, ~, PSDrives) to file-system paths; URLs pass unchanged.</summary>
    protected string[] ResolvePaths(IEnumerable<string> paths) =>
        paths.Select(p => p.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || ParameterSetName == SqlServerSet ? p : GetUnresolvedProviderPathFromPSPath(p)).ToArray();
}
