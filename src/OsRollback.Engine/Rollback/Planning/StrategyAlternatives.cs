using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// Assesses a strategy after the chosen one (New-OsRollbackPlan -AssessAllStrategies, for the
/// decision document) on a scratch copy of the plan: the assessment says possible or why not,
/// while the plan keeps the chosen strategy's steps, warnings and choices.
/// </summary>
internal static class StrategyAlternatives
{
    public static async Task AssessAsync(RollbackPlan plan, StrategyAssessment assessment, Func<RollbackPlan, Task<List<RollbackStep>?>> planStrategy)
    {
        try
        {
            assessment.Possible = await planStrategy(Scratch(plan)).ConfigureAwait(false) is not null;
        }
        catch (OsRollbackException ex)
        {
            // A refusal that would stop planning (e.g. a database in an availability group) makes the alternative impossible, not the plan.
            assessment.Possible = false;
            assessment.Reason = ex.Message;
        }
        assessment.Chosen = false;
    }

    private static RollbackPlan Scratch(RollbackPlan plan) => new()
    {
        Id = plan.Id,
        CreatedAt = plan.CreatedAt,
        CreatedBy = plan.CreatedBy,
        Reason = plan.Reason,
        Environment = plan.Environment,
        RollbackPointId = plan.RollbackPointId,
        RollbackPointPath = plan.RollbackPointPath,
        DataCorruption = plan.DataCorruption,
        Changes = [.. plan.Changes],
        SmokeTargets = [.. plan.SmokeTargets],
    };
}
