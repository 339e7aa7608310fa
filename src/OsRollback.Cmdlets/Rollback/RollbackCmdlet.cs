using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// Input handling shared by the rollback cmdlets: the catalog (-CatalogPath, else
/// OSROLLBACK_HOME, else ~/.osrollback), and -RollbackPoint / -Plan given as objects, Ids or paths.
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

    /// <summary>A rollback point from a RollbackPoint object (re-read, so changes are noticed), an Id, or a folder path.</summary>
    public static RollbackPoint ResolvePoint(PSCmdlet cmdlet, RollbackCatalog catalog, object? value)
    {
        value = Unwrap(value);
        return value switch
        {
            RollbackPoint point => RollbackCatalog.Load(point.Path),
            string text => catalog.Open(LooksLikePath(text) ? cmdlet.GetUnresolvedProviderPathFromPSPath(text) : text),
            FileSystemInfo file => catalog.Open(file.FullName),
            PSObject pso when pso.Properties["Path"]?.Value is string path => catalog.Open(path),
            null => throw new OsRollbackException("RollbackPointNotFound", OsErrorCategory.InvalidArgument, "No rollback point was given.", null, "Give -RollbackPoint (an object from Get-OsRollbackPoint, an Id or a folder)."),
            _ => throw new OsRollbackException("RollbackPointNotFound", OsErrorCategory.InvalidArgument, $"-RollbackPoint does not accept a {value.GetType().Name}.", value, "Give an object from Get-OsRollbackPoint, an Id or a folder path."),
        };
    }

    /// <summary>A plan from a RollbackPlan object or the path of a JSON plan file.</summary>
    public static RollbackPlan ResolvePlan(PSCmdlet cmdlet, object? value)
    {
        value = Unwrap(value);
        return value switch
        {
            RollbackPlan plan => plan,
            string path => RollbackPlanFile.Read(cmdlet.GetUnresolvedProviderPathFromPSPath(path)),
            FileInfo file => RollbackPlanFile.Read(file.FullName),
            _ => throw new OsRollbackException("RollbackPlanInvalid", OsErrorCategory.InvalidArgument,
                $"-Plan does not accept a {value?.GetType().Name ?? "null"}.", value, "Give the object from New-OsRollbackPlan or the path of a plan exported with Export-OsRollbackPlan -Format Json."),
        };
    }

    /// <summary>The rollback point a plan was made from: its recorded folder, else its Id in the catalog.</summary>
    public static RollbackPoint PointOfPlan(RollbackCatalog catalog, RollbackPlan plan) =>
        Directory.Exists(plan.RollbackPointPath) && File.Exists(Path.Combine(plan.RollbackPointPath, RollbackCatalog.ManifestFileName))
            ? RollbackCatalog.Load(plan.RollbackPointPath)
            : catalog.Open(plan.RollbackPointId);

    private static object? Unwrap(object? value) => value is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : value;

    private static bool LooksLikePath(string text) => text.IndexOfAny(['/', '\\']) >= 0 || text.StartsWith('.') || text.StartsWith('~');
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
