using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Rollback;
using OsRollback.Engine.Data;
using OsRollback.Engine.Platform;
using OsRollback.Engine.RollForward;

namespace OsRollback.Cmdlets.RollForward;

/// <summary>
/// Test-OsRollForward: the readiness report before a fix is deployed after a rollback: the base
/// (versions deployed and rolled back), the schema left behind with its rows, the rows changed
/// since the rollback point, and whether each -FixVersion is a sound roll-forward. Reads only.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "OsRollForward", DefaultParameterSetName = SqliteSet)]
[OutputType(typeof(RollForwardReport), typeof(string))]
public sealed class TestOsRollForwardCommand : OsDatabaseCmdlet
{
    private readonly List<LifeTimeApplicationVersion> _fixes = new();

    [Parameter(Mandatory = true, Position = 0)]
    [RollbackPointTransformation]
    public RollbackPointReference? RollbackPoint { get; set; }

    /// <summary>Application versions of the fix (from Get-OsApplicationVersion).</summary>
    [Parameter(ValueFromPipeline = true)]
    public LifeTimeApplicationVersion[] FixVersion { get; set; } = [];

    [Parameter(ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string? ParallelSqlitePath { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? ParallelDatabase { get; set; }

    [Parameter(ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseSqlitePath { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseDatabase { get; set; }

    [Parameter]
    public LifeTimeConnection? Connection { get; set; }

    [Parameter]
    public SwitchParameter AsMarkdown { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override void ProcessRecord() => _fixes.AddRange(FixVersion);

    protected override void EndProcessing()
    {
        var catalog = RollbackInputs.Catalog(this, CatalogPath);
        var point = Run(_ => RollbackPoint!.Resolve(catalog));
        var connection = Connection ?? Services.Connections.LifeTime;
        var inputs = new RollForwardInputs
        {
            Point = point,
            Production = GetDatabaseTarget(),
            Parallel = Other(ParallelSqlitePath, ParallelDatabase),
            Base = Other(BaseSqlitePath, BaseDatabase),
            FixVersions = _fixes,
            VersionsOf = connection is null ? null : async (key, cancel) =>
            {
                using var client = new LifeTimeClient(connection);
                return await client.GetApplicationVersionsAsync(key, 50, cancel).ConfigureAwait(false);
            },
        };
        var report = RunAsync((reporter, cancel) => RollForwardReadiness.AssessAsync(inputs, reporter, cancel));
        foreach (var warning in report.Warnings) WriteWarning(warning);
        WriteObject(AsMarkdown.IsPresent ? report.ToMarkdown() : report);
    }

    private DatabaseTarget? Other(string? sqlitePath, string? database) =>
        sqlitePath is not null ? new SqliteTarget(GetUnresolvedProviderPathFromPSPath(sqlitePath))
        : database is not null ? TargetOn(null, database, null)
        : null;
}
