using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Drift;

namespace OsRollback.Cmdlets.Drift;

/// <summary>
/// The two databases compared by Compare-OsDatabaseData and Export-OsDataDelta: the database
/// now (production after the restore) and the reference (the parallel database), named the
/// same way on SQLite (-SqlitePath, -ReferenceSqlitePath) and SQL Server (-SqlInstance,
/// -Database, -ReferenceDatabase, optionally -ReferenceSqlInstance).
/// </summary>
public abstract class TwoDatabaseCmdlet : OsCmdlet
{
    public const string SqlServerSet = "SqlServer";
    public const string SqliteSet = "Sqlite";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string SqlInstance { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string Database { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string ReferenceDatabase { get; set; } = "";

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? ReferenceSqlInstance { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? SqlCredential { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? ReferenceSqlCredential { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter TrustServerCertificate { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string SqlitePath { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string ReferenceSqlitePath { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Entity { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Module { get; set; } = [];

    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>The compare filters for <paramref name="tables"/> and the bound -Entity, -Module, -Since.</summary>
    protected DataCompareOptions CompareOptions(IReadOnlyList<string> tables) =>
        new() { Tables = tables, Entities = Entity, Modules = Module, Since = Since };

    protected DatabaseTarget GetCurrentTarget() => ParameterSetName == SqliteSet
        ? new SqliteTarget(GetUnresolvedProviderPathFromPSPath(SqlitePath))
        : DatabaseTargets.SqlServer(SqlInstance, Database, SqlCredential, TrustServerCertificate.IsPresent, ConnectTimeout);

    protected DatabaseTarget GetReferenceTarget() => ParameterSetName == SqliteSet
        ? new SqliteTarget(GetUnresolvedProviderPathFromPSPath(ReferenceSqlitePath))
        : DatabaseTargets.SqlServer(ReferenceSqlInstance ?? SqlInstance, ReferenceDatabase, ReferenceSqlCredential ?? SqlCredential, TrustServerCertificate.IsPresent, ConnectTimeout);
}
