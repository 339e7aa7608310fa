using OsRollback.Engine.Data;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Scripting;

/// <summary>
/// The database a step of a plan works on. One function, so that every step kind (and a later
/// step per factory catalog) names its database the same way in the script.
/// </summary>
public static class StepDatabase
{
    /// <summary>The database of <paramref name="step"/>: today the rollback point's platform database (null: the point records none).</summary>
    public static DatabaseTarget? Of(RollbackStep step, RollbackPlan plan, RollbackPoint point)
    {
        _ = step;
        _ = plan;
        return point.Manifest.Database.ToTarget();
    }
}
