namespace OsRollback.Engine.Platform;

/// <summary>
/// What to do when LifeTime refuses to deploy a version lower than the one running. OutSystems
/// documents that its console refuses it (docs-product
/// src/managing-the-applications-lifecycle/deploy-applications/rollback-to-a-previous-version.md)
/// and gives two ways: a new tag based on the previous version, or republishing the solution.
/// Whether the API refuses too is unverified, so the refusal is quoted as it came.
/// </summary>
public static class LifeTimeRefusal
{
    public const string Advice =
        "If LifeTime refuses a version lower than the one running: tag the previous version anew (in the LifeTime console, create a new version " +
        "based on it; or publish it and tag what runs with New-OsApplicationVersion) and deploy that tag, or plan again with the next strategy " +
        "(New-OsRollbackPlan -Strategy Solution or -Strategy Module), which republishes the rollback point's package or module versions.";
}
