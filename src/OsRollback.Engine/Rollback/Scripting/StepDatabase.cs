using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Scripting;

/// <summary>
/// The database a step of a plan works on, as the run resolves it (<see cref="StepDatabases.Resolve"/>):
/// the platform database or the step's catalog, with the point's backup of it and its run-file suffix.
/// </summary>
public static class StepDatabase
{
    /// <summary>The database of <paramref name="step"/>; null when the point records no database for it.</summary>
    public static StepDatabaseTarget? Of(RollbackStep step, RollbackPlan plan, RollbackPoint point)
    {
        try
        {
            return StepDatabases.Resolve(step, plan, point, null);
        }
        catch (DatabaseParametersRequiredException)
        {
            return null;
        }
    }
}
