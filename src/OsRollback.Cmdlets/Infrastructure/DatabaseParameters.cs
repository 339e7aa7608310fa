using System.Management.Automation;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// The database parameters of a cmdlet that works on one database, named as dbatools names them:
/// -SqlInstance (any form of <see cref="DatabaseInstanceParameter"/>), -Database, -SqlCredential,
/// or -SqlitePath. Cmdlets comparing two databases add the reference's parameters on top.
/// </summary>
public abstract class OsDatabaseCmdlet : OsCmdlet
{
    public const string SqlServerSet = "SqlServer";
    public const string SqliteSet = "Sqlite";

    /// <summary>An instance name, a connection string, or an object naming one (dbatools, SMO).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNull]
    public DatabaseInstanceParameter SqlInstance { get; set; } = null!;

    /// <summary>Optional when -SqlInstance is a connection string or a database object that names it.</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

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

    /// <summary>The target named by the bound parameters (DatabaseNameRequired when an instance names no database).</summary>
    protected DatabaseTarget GetDatabaseTarget() => ParameterSetName == SqliteSet
        ? new SqliteTarget(GetUnresolvedProviderPathFromPSPath(SqlitePath))
        : TargetOn(SqlInstance, Database, SqlCredential);

    /// <summary>A database on -SqlInstance or on another instance, with this cmdlet's connection options (reference and base databases).</summary>
    protected DatabaseTarget TargetOn(DatabaseInstanceParameter? instance, string? database, PSCredential? credential) =>
        Run(_ => DatabaseTargets.From(this, instance ?? SqlInstance, database, credential ?? SqlCredential, TrustServerCertificate.IsPresent,
            MyInvocation.BoundParameters.ContainsKey(nameof(ConnectTimeout)) ? ConnectTimeout : null));
}

/// <summary>
/// Turns the bound database parameters into the engine's target, in one place for every cmdlet:
/// explicit parameters win over what a connection string says; the password stays a SecureString.
/// </summary>
internal static class DatabaseTargets
{
    private const int DefaultConnectTimeout = 15;

    public static DatabaseTarget From(PSCmdlet cmdlet, DatabaseInstanceParameter instance, string? database, PSCredential? credential, bool trustServerCertificate, int? connectTimeout)
    {
        if (instance.IsSqlite) return new SqliteTarget(cmdlet.GetUnresolvedProviderPathFromPSPath(instance.SqlitePath!));
        var name = database ?? instance.Database
            ?? throw new OsRollbackException("DatabaseNameRequired", OsErrorCategory.InvalidArgument,
                $"No database was named for instance {instance}.", instance.ToString(),
                "Give -Database, or a -SqlInstance connection string with Initial Catalog (Database=...).");
        return SqlServer(instance.SqlInstance!, name, credential, instance, trustServerCertificate, connectTimeout);
    }

    private static SqlServerTarget SqlServer(string server, string database, PSCredential? credential, DatabaseInstanceParameter given, bool trust, int? timeout) =>
        new(server, database, credential?.UserName ?? given.UserName, credential is null ? given.Password : credential.Password)
        {
            TrustServerCertificate = trust || given.TrustServerCertificate,
            ConnectTimeoutSeconds = timeout ?? given.ConnectTimeout ?? DefaultConnectTimeout,
        };
}

/// <summary>
/// Database parameters the dbatools way, for cmdlets that work on many databases: -SqlInstance
/// takes instance names (also piped as strings), connection strings and dbatools/SMO objects;
/// -Database and -SqlitePath take arrays and pipeline input by property name (the output of
/// Get-DbaDatabase or Backup-OsDatabase pipes in); each instance x database is one item; an
/// item's failure is a non-terminating error unless -EnableException makes it terminating.
/// </summary>
public abstract class OsDatabaseSetCmdlet : OsCmdlet
{
    public const string SqlServerSet = OsDatabaseCmdlet.SqlServerSet;
    public const string SqliteSet = OsDatabaseCmdlet.SqliteSet;

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public DatabaseInstanceParameter[] SqlInstance { get; set; } = [];

    /// <summary>Alias Name: a dbatools database object names its database Name.</summary>
    [Parameter(ParameterSetName = SqlServerSet, ValueFromPipelineByPropertyName = true)]
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

    /// <summary>Runs the work once per target (every instance x database, or every SQLite file); a failed target is reported and the next one goes on.</summary>
    protected void ForEachTarget(Action<DatabaseTarget> work)
    {
        foreach (var target in GetDatabaseTargets())
        {
            try
            {
                work(target());
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

    // Each target is built when its turn comes, so an instance without a database is that item's error only.
    private IEnumerable<Func<DatabaseTarget>> GetDatabaseTargets()
    {
        if (ParameterSetName == SqliteSet) return SqlitePath.Select(p => (Func<DatabaseTarget>)(() => new SqliteTarget(GetUnresolvedProviderPathFromPSPath(p))));
        int? timeout = MyInvocation.BoundParameters.ContainsKey(nameof(ConnectTimeout)) ? ConnectTimeout : null;
        var databases = Database.Length > 0 ? Database.Select(d => (string?)d).ToArray() : [null];
        return SqlInstance.SelectMany(instance => databases.Select(database =>
            (Func<DatabaseTarget>)(() => DatabaseTargets.From(this, instance, database, SqlCredential, TrustServerCertificate.IsPresent, timeout))));
    }
}
