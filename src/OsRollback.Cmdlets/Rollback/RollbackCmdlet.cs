using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// Input handling shared by the rollback cmdlets: the catalog (-CatalogPath, else
/// OSROLLBACK_HOME, else ~/.osrollback) and the rollback point of a plan (-RollbackPoint and -Plan
/// arguments are <see cref="RollbackPointReference"/> and <see cref="RollbackPlanReference"/>).
/// </summary>
internal static class RollbackInputs
{
    public static RollbackCatalog Catalog(PSCmdlet cmdlet, string? catalogPath)
    {
        var home = catalogPath is null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(catalogPath);
        // A file there would surface later as a raw IOException (or a misleading "not found"): stop before anything is written.
        if (home is not null && FolderPaths.BlockingFile(home) is { } file)
        {
            cmdlet.ThrowTerminatingError(OsCmdlet.ToErrorRecord(new OsRollbackException("CatalogPathIsFile", OsErrorCategory.InvalidArgument,
                $"-CatalogPath '{home}' cannot be a folder: '{file}' is a file; the catalog is a folder (it holds rollback-points/ and the journals).", home,
                "Give -CatalogPath a folder (it is created when missing), or leave it out to use OSROLLBACK_HOME or ~/.osrollback.")));
        }
        return RollbackCatalog.Resolve(home);
    }

    /// <summary>The rollback point a plan was made from: its recorded folder, else its Id in the catalog.</summary>
    public static RollbackPoint PointOfPlan(RollbackCatalog catalog, RollbackPlan plan) =>
        Directory.Exists(plan.RollbackPointPath) && File.Exists(Path.Combine(plan.RollbackPointPath, RollbackCatalog.ManifestFileName))
            ? RollbackCatalog.Load(plan.RollbackPointPath)
            : catalog.Open(plan.RollbackPointId);
}

/// <summary>
/// Base of the rollback cmdlets that take the database parameters (New-OsRollbackPoint,
/// Test-OsRollbackPoint, Invoke-OsRollback): the catalog and the database they work on.
/// </summary>
public abstract class RollbackDatabaseCmdlet : OsDatabaseCmdlet
{
    /// <summary>The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    internal RollbackCatalog Catalog => RollbackInputs.Catalog(this, CatalogPath);

    /// <summary>The database named by the bound parameters, or null when none was given.</summary>
    internal DatabaseTarget? DatabaseOrNull => HasDatabaseTarget ? GetDatabaseTarget() : null;
}
