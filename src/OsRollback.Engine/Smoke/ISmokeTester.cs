using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Smoke;

/// <summary>
/// Runs the smoke tests of an environment after a rollback: HTTP checks of the applications'
/// pages plus any user checks. Implemented for real by <see cref="HttpSmokeTester"/>
/// (the cmdlet layer adds script-block checks).
/// </summary>
public interface ISmokeTester
{
    /// <summary>Runs every check and returns one result per check; never throws for a failed check.</summary>
    Task<IReadOnlyList<SmokeResult>> RunAsync(string environment, IReadOnlyList<SmokeTarget> targets, IOperationReporter reporter, CancellationToken cancellationToken);
}
