using System.Management.Automation;
using OsRollback.Engine.Data;

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
