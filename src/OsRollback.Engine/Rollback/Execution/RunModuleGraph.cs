using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// The rollback point's module graph drawn for the report of a run (module-graph.svg): titled with
/// the environment, marking the modules of the applications the bad deploy changed and the modules
/// the run's finished steps republished.
/// </summary>
public static class RunModuleGraph
{
    public const string FileName = "module-graph.svg";

    /// <summary>The SVG, or null when the point holds no usable module graph (the report says so).</summary>
    public static string? Svg(RollbackResult result, RollbackPlan plan, RollbackPoint point)
    {
        if (point.Manifest.File(RollbackFileRoles.ModuleGraph) is not { } file) return null;
        IReadOnlyList<ModuleOrderEntry> entries;
        try
        {
            entries = ModuleGraphPicture.Entries(ModuleGraphJson.ReadFile(point.FullPath(file.Path)));
        }
        catch (OsRollbackException)
        {
            return null;
        }
        var title = $"Modules of {plan.Environment}: {plan.Strategy} rollback of {result.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        return ModuleGraphPicture.Svg(entries, title, Marks(result, plan, point));
    }

    public static ModuleGraphMarks Marks(RollbackResult result, RollbackPlan plan, RollbackPoint point)
    {
        var changedApplications = plan.Changes.Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var changed = point.Manifest.Applications.Where(a => changedApplications.Contains(a.Key)).SelectMany(a => a.Modules).Select(m => m.Name).ToList();
        var done = result.Steps.Where(s => s.Status is StepStatus.Finished or StepStatus.FinishedEarlier).Select(s => s.Number).ToHashSet();
        var republished = new List<string>();
        foreach (var step in plan.Steps.Where(s => done.Contains(s.Number)))
        {
            republished.AddRange(step switch
            {
                // LifeTime deploys the applications' versions: every module of a changed application.
                DeployVersionsStep => changed,
                // The captured solution holds every application of the point.
                PublishSolutionStep => point.Manifest.Applications.SelectMany(a => a.Modules).Select(m => m.Name),
                PublishModuleWaveStep wave => wave.Modules.Select(m => m.Name),
                PublishAllComponentsStep all => all.Modules.Select(m => m.Name),
                _ => [],
            });
        }
        return new ModuleGraphMarks(changed, republished);
    }
}
