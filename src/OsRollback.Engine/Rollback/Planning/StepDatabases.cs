using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>A database step that targets one database: a catalog named in <see cref="Database"/>, else (null) the platform database.</summary>
public interface IDatabaseStep
{
    /// <summary>The display name of the catalog (as the rollback point records it); null: the platform database.</summary>
    string? Database { get; }
}

/// <summary>The one database a step targets, with the rollback point's backup of it.</summary>
/// <param name="BackupRole">The manifest file role of its pre-deploy backup.</param>
/// <param name="FileNameSuffix">Added to the names of the files the run writes for it ("" for the platform database).</param>
public sealed record StepDatabaseTarget(DatabaseTarget Target, FactoryDatabaseRole Role, string DisplayName, string BackupRole, string FileNameSuffix);

/// <summary>
/// The database a step targets, from the step, the plan and the rollback point: the executor's handlers
/// and the T-SQL script writer both ask here, so they always name the same database.
/// </summary>
public static class StepDatabases
{
    /// <param name="platform">The platform database given for the run (its server and credential serve the SQL Server catalogs too); null: the one the point records.</param>
    public static StepDatabaseTarget Resolve(RollbackStep step, RollbackPlan plan, RollbackPoint point, DatabaseTarget? platform)
    {
        var manifest = point.Manifest;
        if ((step as IDatabaseStep)?.Database is not { } name)
        {
            var target = platform ?? manifest.Database.ToTarget() ?? throw new DatabaseParametersRequiredException(
                $"Step {step.Number} ({step.Title}) needs the database of {plan.Environment}.", step.Title, "Give -SqlInstance/-Database (and -SqlCredential) or -SqlitePath.");
            return new StepDatabaseTarget(target, FactoryDatabaseRole.Platform, target.DisplayName, RollbackFileRoles.Backup, "");
        }
        var index = manifest.Catalogs.FindIndex(c => string.Equals(c.Database.DisplayName, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new OsRollbackException("CatalogNotInRollbackPoint", OsErrorCategory.InvalidData,
                $"Step {step.Number} ({step.Title}) targets the catalog {name}, which the rollback point '{point.Id}' does not hold.", name,
                "Make a new plan with New-OsRollbackPlan from this rollback point.");
        }
        var catalog = manifest.Catalogs[index];
        return new StepDatabaseTarget(catalog.ToTarget(platform), FactoryDatabaseRole.Catalog, catalog.Database.DisplayName, catalog.BackupRole, $"-catalog-{index + 1}");
    }

    /// <summary>Every database a plan's steps target, in plan order, each once (platform first in a Database plan).</summary>
    public static IReadOnlyList<StepDatabaseTarget> Of(RollbackPlan plan, RollbackPoint point, DatabaseTarget? platform) =>
        plan.Steps.OfType<IDatabaseStep>().Cast<RollbackStep>().Select(s => Resolve(s, plan, point, platform))
            .DistinctBy(d => d.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
}
