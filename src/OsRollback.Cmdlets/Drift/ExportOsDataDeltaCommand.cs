using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Cmdlets.Rollback;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;

namespace OsRollback.Cmdlets.Drift;

/// <summary>
/// Export-OsDataDelta: the changes lost by the restore (parallel vs base), as a reviewable delta
/// file plus a SQL script. The base is the rollback point's backup (-RollbackPoint, default: the
/// rollback point of the newest finished Database run into this database) or a database given
/// with -BaseSqlitePath or -BaseSqlInstance/-BaseDatabase.
/// </summary>
[Cmdlet(VerbsData.Export, "OsDataDelta", DefaultParameterSetName = SqlServerSet, SupportsShouldProcess = true)]
[OutputType(typeof(DataDeltaExportResult))]
public sealed class ExportOsDataDeltaCommand : TwoDatabaseCmdlet
{
    private readonly List<string> _tables = new();

    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FilePath", "OutFile")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Table { get; set; } = [];

    /// <summary>The rollback point whose backup production was restored to (object, Id or folder).</summary>
    [Parameter]
    [ValidateNotNull]
    [Rollback.RollbackPointTransformation]
    public Rollback.RollbackPointReference? RollbackPoint { get; set; }

    /// <summary>The base as a SQLite file (what production was restored to).</summary>
    [Parameter(ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseSqlitePath { get; set; }

    /// <summary>The base as a SQL Server database (the rollback point's backup restored under another name); default instance: -SqlInstance.</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNull]
    public DatabaseInstanceParameter? BaseSqlInstance { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? BaseDatabase { get; set; }

    /// <summary>The rollback point catalog (default OSROLLBACK_HOME, else ~/.osrollback).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>Do not write the SQL script beside the delta file.</summary>
    [Parameter]
    public SwitchParameter NoScript { get; set; }

    /// <summary>Overwrite an existing delta file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => _tables.AddRange(Table);

    protected override void EndProcessing()
    {
        if (MyInvocation.ExpectingInput && _tables.Count == 0)
        {
            // An empty pipeline (everything filtered out upstream) must not mean "every table".
            WriteWarning("No table came through the pipeline: nothing was exported.");
            return;
        }
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        Run(_ => OutputFile.EnsureWritable(path, "-Path"));
        var current = GetCurrentTarget();
        var reference = GetReferenceTarget();
        if (File.Exists(path) && !Force.IsPresent)
            ThrowInvalid("DeltaFileExists", OsErrorCategory.ResourceExists, $"The file '{path}' already exists.", path,
                "Choose another -Path, or add -Force to overwrite it.");
        var (baseTarget, pointId, environment) = Run(ResolveBase);
        var scope = _tables.Count == 0 ? "every OSUSR_* table" : string.Join(", ", _tables.Distinct(StringComparer.OrdinalIgnoreCase));
        if (!ShouldProcess(path, $"Write the changes lost by the restore of {current.DisplayName} (the parallel database {reference.DisplayName} against the base {baseTarget.DisplayName}, {scope}) to the delta file{(NoScript.IsPresent ? "" : " and its .sql script")}"))
            return;
        var result = Run(reporter => DataDeltaExporter.Export(new DataDeltaSources { Production = current, Base = baseTarget, Parallel = reference, RollbackPointId = pointId, Environment = environment }, path, new DataDeltaExportOptions
        {
            Compare = CompareOptions(_tables.Distinct(StringComparer.OrdinalIgnoreCase).ToList()),
            IncludeScript = !NoScript.IsPresent,
        }, reporter, StopToken));
        WriteObject(result);
    }

    /// <summary>The base: -BaseSqlitePath / -BaseDatabase, else -RollbackPoint, else the newest finished Database run's rollback point.</summary>
    private (DatabaseTarget Target, string? PointId, string? Environment) ResolveBase(IOperationReporter reporter)
    {
        var given = BaseSqlitePath is not null || BaseDatabase is not null;
        if (BaseSqlInstance is not null && BaseDatabase is null)
            throw new OsRollbackException("DeltaBaseIncomplete", OsErrorCategory.InvalidArgument, "-BaseSqlInstance needs -BaseDatabase.", BaseSqlInstance.ToString(),
                "Give -BaseDatabase (the rollback point's backup restored under another name).");
        if (given && RollbackPoint is not null)
            throw new OsRollbackException("DeltaBaseAmbiguous", OsErrorCategory.InvalidArgument, "Give either -RollbackPoint or a base database, not both.", RollbackPoint,
                "Leave out -RollbackPoint, or -BaseSqlitePath / -BaseDatabase.");
        if (BaseSqlitePath is not null) return (new SqliteTarget(GetUnresolvedProviderPathFromPSPath(BaseSqlitePath)), null, null);
        if (BaseDatabase is not null)
            return (TargetOn(BaseSqlInstance, BaseDatabase, null), null, null);
        var catalog = RollbackInputs.Catalog(this, CatalogPath);
        var current = GetCurrentTarget();
        var point = RollbackPoint is not null
            ? RollbackPoint.Resolve(catalog)
            : LastDatabaseRunLookup.Find(catalog, current, reporter)
              ?? throw new OsRollbackException("DeltaBaseNotFound", OsErrorCategory.ObjectNotFound,
                  $"No finished Database rollback of {current.DisplayName} was found in '{catalog.Home}', so the base (what production was restored to) is unknown.", current.DisplayName,
                  "Give -RollbackPoint (the one that was restored), or the base with -BaseSqlitePath or -BaseSqlInstance/-BaseDatabase; -CatalogPath chooses the catalog.");
        reporter.Verbose($"The base is the backup of rollback point {point.Id}.");
        return (DeltaBaseSource.FromRollbackPoint(point), point.Id, point.Environment);
    }
}
