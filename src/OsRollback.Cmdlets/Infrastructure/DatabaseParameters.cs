using System.Management.Automation;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// The database parameters shared by cmdlets that read or write a database, named as
/// dbatools names them: -SqlInstance/-Database/-SqlCredential, or -SqlitePath.
/// </summary>
public abstract class OsDatabaseCmdlet : OsCmdlet
{
    public const string SqlServerSet = "SqlServer";
    public const string SqliteSet = "Sqlite";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string SqlInstance { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string Database { get; set; } = "";

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? SqlCredential { get; set; }

    /// <summary>Accept the server certificate without validation (development instances).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter TrustServerCertificate { get; set; }

    /// <summary>Seconds to wait for a SQL Server connection (SqlClient keeps retrying a refused one until then).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string SqlitePath { get; set; } = "";

    protected bool HasDatabaseTarget => ParameterSetName is SqlServerSet or SqliteSet;

    /// <summary>The target named by the bound parameters.</summary>
    protected DatabaseTarget GetDatabaseTarget() => ParameterSetName == SqliteSet
        ? new SqliteTarget(GetUnresolvedProviderPathFromPSPath(SqlitePath))
        : DatabaseTargets.SqlServer(SqlInstance, Database, SqlCredential, TrustServerCertificate.IsPresent, ConnectTimeout);
}

/// <summary>Builds a SQL Server target from cmdlet parameters (the password stays a SecureString).</summary>
internal static class DatabaseTargets
{
    public static SqlServerTarget SqlServer(string instance, string database, PSCredential? credential, bool trustServerCertificate, int connectTimeoutSeconds) =>
        new(instance, database, credential?.UserName, credential?.Password)
        {
            TrustServerCertificate = trustServerCertificate,
            ConnectTimeoutSeconds = connectTimeoutSeconds,
        };
}

/// <summary>
/// Database parameters the dbatools way, for cmdlets that work on many databases: -SqlInstance,
/// -Database and -SqlitePath take arrays and pipeline input (by property name, so the output of
/// Get-DbaDatabase or Backup-OsDatabase pipes in); each instance x database is one item; an item's
/// failure is a non-terminating error unless -EnableException makes it terminating.
/// </summary>
public abstract class OsDatabaseSetCmdlet : OsCmdlet
{
    public const string SqlServerSet = OsDatabaseCmdlet.SqlServerSet;
    public const string SqliteSet = OsDatabaseCmdlet.SqliteSet;

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] SqlInstance { get; set; } = [];

    /// <summary>Alias Name: a dbatools database object names its database Name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Name")]
    public string[] Database { get; set; } = [];

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? SqlCredential { get; set; }

    /// <summary>Accept the server certificate without validation (development instances).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter TrustServerCertificate { get; set; }

    /// <summary>Seconds to wait for a SQL Server connection (SqlClient keeps retrying a refused one until then).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] SqlitePath { get; set; } = [];

    /// <summary>Makes a failure of one database a terminating error (scripts that use try/catch).</summary>
    [Parameter]
    public SwitchParameter EnableException { get; set; }

    /// <summary>The targets named by the bound parameters: every instance x database, or every SQLite file.</summary>
    protected IReadOnlyList<DatabaseTarget> GetDatabaseTargets() => ParameterSetName == SqliteSet
        ? SqlitePath.Select(p => (DatabaseTarget)new SqliteTarget(GetUnresolvedProviderPathFromPSPath(p))).ToArray()
        : SqlInstance.SelectMany(instance => Database.Select(database =>
            (DatabaseTarget)DatabaseTargets.SqlServer(instance, database, SqlCredential, TrustServerCertificate.IsPresent, ConnectTimeout))).ToArray();

    /// <summary>Runs the work once per target; a failed target is reported and the next one goes on.</summary>
    protected void ForEachTarget(Action<DatabaseTarget> work)
    {
        foreach (var target in GetDatabaseTargets())
        {
            try
            {
                work(target);
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
}
