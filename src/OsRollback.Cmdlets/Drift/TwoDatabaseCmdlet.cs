using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Data;
using OsRollback.Engine.Drift;

namespace OsRollback.Cmdlets.Drift;

/// <summary>
/// The two databases compared by Compare-OsDatabaseData and Export-OsDataDelta: the database
/// now (production after the restore) and the reference (the parallel database), named the
/// same way on SQLite (-SqlitePath, -ReferenceSqlitePath) and SQL Server (-SqlInstance,
/// -Database, -ReferenceDatabase, optionally -ReferenceSqlInstance).
/// </summary>
public abstract class TwoDatabaseCmdlet : OsDatabaseCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string ReferenceDatabase { get; set; } = "";

    /// <summary>The reference's instance when it is not -SqlInstance (same forms as -SqlInstance).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNull]
    public DatabaseInstanceParameter? ReferenceSqlInstance { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? ReferenceSqlCredential { get; set; }

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

    protected DatabaseTarget GetCurrentTarget() => GetDatabaseTarget();

    protected DatabaseTarget GetReferenceTarget() => ReferenceTarget(ReferenceSqlitePath, ReferenceSqlInstance, ReferenceDatabase, ReferenceSqlCredential);
}
