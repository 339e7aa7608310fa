using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;

namespace OsRollback.Engine.Drift;

/// <summary>
/// What the rollback point catalog knows that an import checks: the base of the delta (the
/// backup of the rollback point named in its header) and the environment whose platform database
/// the target is (from the rollback points taken of it). Read-only; what cannot be found is
/// reported and left unchecked, never guessed.
/// </summary>
public static class DataDeltaCatalogFacts
{
    /// <summary>The rollback point's backup as a readable database, or null (reported) when it cannot be reached.</summary>
    public static DatabaseTarget? Base(RollbackCatalog catalog, DataDeltaHeader header, IOperationReporter reporter)
    {
        if (header.RollbackPointId is not { Length: > 0 } id)
        {
            reporter.Verbose("The delta names no rollback point: its before images cannot be checked against the base.");
            return null;
        }
        try { return DeltaBaseSource.FromRollbackPoint(catalog.Open(id)); }
        catch (OsRollbackException ex)
        {
            reporter.Warning($"The base of the delta (rollback point {id}) cannot be read ({ex.Message}): its before images are checked against production only.");
            return null;
        }
    }

    /// <summary>The one environment whose rollback points record <paramref name="target"/> as their platform database, or null.</summary>
    public static string? EnvironmentOf(RollbackCatalog catalog, DatabaseTarget target, IOperationReporter reporter)
    {
        var provider = DatabaseProviders.Default.For(target);
        // The engine knows when a recorded name is this database by another name (a SQLite file by another path).
        var environments = catalog.List(null, reporter)
            .Where(p => p.Manifest.Database.Matches(target)
                || DatabaseProviders.Default.For(p.Manifest.Database.Engine) == provider && provider.TableData.IsSameDatabase(target, p.Manifest.Database.DisplayName))
            .Select(p => p.Environment)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return environments.Count == 1 ? environments[0] : null;
    }
}
