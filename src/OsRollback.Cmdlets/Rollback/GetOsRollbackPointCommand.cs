using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Rollback;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>Get-OsRollbackPoint: lists the rollback points of the catalog, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "OsRollbackPoint", DefaultParameterSetName = "List")]
[OutputType(typeof(RollbackPoint))]
public sealed class GetOsRollbackPointCommand : OsCmdlet
{
    /// <summary>Rollback point Ids (wildcards allowed).</summary>
    [Parameter(Position = 0, ParameterSetName = "List")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsRollbackPointCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>A rollback point folder outside the catalog.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Only rollback points of this environment.</summary>
    [Parameter(ParameterSetName = "List")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    public string? Environment { get; set; }

    /// <summary>Only the newest rollback point (per environment).</summary>
    [Parameter(ParameterSetName = "List")]
    public SwitchParameter Latest { get; set; }

    /// <summary>The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.</summary>
    [Parameter(ParameterSetName = "List")]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName == "Path")
        {
            WriteObject(Run(_ => RollbackCatalog.Load(GetUnresolvedProviderPathFromPSPath(Path))));
            return;
        }
        var catalog = RollbackInputs.Catalog(this, CatalogPath);
        var points = Run(reporter => catalog.List(Environment, reporter)).AsEnumerable();
        if (Id.Length > 0)
        {
            var patterns = Id.Select(i => new WildcardPattern(i, WildcardOptions.IgnoreCase)).ToList();
            points = points.Where(p => patterns.Any(w => w.IsMatch(p.Id))).ToList();
            foreach (var id in Id.Where(i => !WildcardPattern.ContainsWildcardCharacters(i) && !points.Any(p => string.Equals(p.Id, i, StringComparison.OrdinalIgnoreCase))))
            {
                WriteOsError(new Engine.Diagnostics.OsRollbackException("RollbackPointNotFound", Engine.Diagnostics.OsErrorCategory.ObjectNotFound,
                    $"No rollback point '{id}' exists in '{catalog.PointsDirectory}'.", id, "List them with Get-OsRollbackPoint; -CatalogPath or OSROLLBACK_HOME choose the catalog."));
            }
        }
        if (Latest) points = points.GroupBy(p => p.Environment, StringComparer.OrdinalIgnoreCase).Select(g => g.First());
        foreach (var point in points) WriteObject(point);
    }
}
