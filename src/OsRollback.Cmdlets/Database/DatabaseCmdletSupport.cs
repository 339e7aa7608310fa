using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Cmdlets.Database;

/// <summary>
/// Base of the database safety-net cmdlets, which work on many databases the dbatools way: the
/// database-parameter block of <see cref="OsDatabaseCmdlet"/>, with -SqlInstance taking instance names
/// (also piped as strings), connection strings and dbatools/SMO objects, and -SqlInstance, -Database
/// and -SqlitePath taking arrays and pipeline input by property name (the output of Get-DbaDatabase
/// or Backup-OsDatabase pipes in). Each instance x database (or SQLite file) is one item; an item's
/// failure is a non-terminating error unless -EnableException makes it terminating.
/// </summary>
public abstract class DatabaseSafetyCmdlet : OsDatabaseCmdlet
{
    // These three widen the block's parameters of the same names (PowerShell binds the derived declaration).

    /// <summary>An instance name, a connection string, or an object naming one (dbatools, SMO); several, or piped; first by position, as in dbatools.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SqlServerSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public new DatabaseInstanceParameter[] SqlInstance { get; set; } = [];

    /// <summary>Alias Name: a dbatools database object names its database Name.</summary>
    [Parameter(ParameterSetName = SqlServerSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Name")]
    public new string[] Database { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public new string[] SqlitePath { get; set; } = [];

    /// <summary>Makes a failure of one database a terminating error (scripts that use try/catch).</summary>
    [Parameter]
    public SwitchParameter EnableException { get; set; }

    private protected override IReadOnlyList<DatabaseInstanceParameter> GivenInstances => SqlInstance;
    private protected override IReadOnlyList<string> GivenDatabases => Database;
    private protected override IReadOnlyList<string> GivenSqlitePaths => SqlitePath;

    /// <summary>Runs the work once per target (every instance x database, or every SQLite file); a failed target is reported and the next one goes on.</summary>
    protected void ForEachTarget(Action<DatabaseTarget> work) => ForEachItem(item => work(item.Target()));

    /// <summary>Runs the work once per item (see <see cref="OsDatabaseCmdlet.NamedTargets"/>); a failed item is reported and the next one goes on.</summary>
    private protected void ForEachItem(Action<NamedTarget> work)
    {
        foreach (var item in NamedTargets())
        {
            try
            {
                work(item);
            }
            catch (OsRollbackException ex)
            {
                Work.Pump();
                WriteItemError(ex);
            }
        }
    }

    /// <summary>One item failed: non-terminating by default, terminating with -EnableException.</summary>
    protected void WriteItemError(OsRollbackException ex)
    {
        if (EnableException) ThrowTerminatingError(ToErrorRecord(ex));
        WriteOsError(ex);
    }

    /// <summary>Runs engine work for the current item; its failure reaches <see cref="ForEachTarget"/>.</summary>
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
