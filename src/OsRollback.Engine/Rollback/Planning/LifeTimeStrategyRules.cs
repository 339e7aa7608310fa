using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>Where a LifeTime rollback deploys from, and why.</summary>
public sealed record LifeTimeSource(PlatformEnvironmentInfo Environment, bool RunsThePreviousTags, string Reason);

/// <summary>
/// The LifeTime strategy as OutSystems documents it (docs-product
/// src/ref/apis/lifetime-deployment/examples/api-rollback-mobile-app.md): a rollback is a normal
/// plan from the upstream environment with the previous ApplicationVersionKey, although that
/// environment runs the newer tag. So the source need not run the previous tag; the tag must
/// exist in LifeTime. An upstream environment that does run it is still preferred (its
/// deployment is the one LifeTime's console would offer). Whether LifeTime then refuses a version
/// lower than the running one is known only when the plan is created (see LifeTimeRefusal).
/// </summary>
public static class LifeTimeStrategyRules
{
    /// <param name="target">The environment to roll back.</param>
    /// <param name="environments">All environments, in any order.</param>
    /// <param name="runningVersionKeys">Application version keys running in an environment (by name).</param>
    /// <param name="previousVersionKeys">The rollback point's application version keys.</param>
    /// <param name="tagExists">Whether LifeTime still has a tag (a tag can be deleted); null when unknown (then assumed, as the rollback point read it from LifeTime).</param>
    /// <returns>The source, or null with the reason when there is none.</returns>
    public static (LifeTimeSource? Source, string? WhyNot) ChooseSource(PlatformEnvironmentInfo target, IReadOnlyList<PlatformEnvironmentInfo> environments,
        Func<string, IReadOnlySet<string>> runningVersionKeys, IReadOnlyList<string> previousVersionKeys, Func<string, bool>? tagExists = null)
    {
        var upstream = environments.Where(e => e.Order < target.Order).OrderByDescending(e => e.Order).ToList();
        if (upstream.Count == 0) return (null, $"{target.Name} has no upstream environment to deploy from (LifeTime refuses source = target)");
        var missing = previousVersionKeys.Where(k => tagExists is not null && !tagExists(k)).ToList();
        if (missing.Count > 0)
            return (null, $"LifeTime no longer has the previous tag(s) {string.Join(", ", missing)}; tag the previous version anew, or use another strategy");
        foreach (var environment in upstream)
        {
            var running = runningVersionKeys(environment.Name);
            if (previousVersionKeys.All(running.Contains))
                return (new LifeTimeSource(environment, true, $"{environment.Name} holds the previous tags"), null);
        }
        var nearest = upstream[0];
        return (new LifeTimeSource(nearest, false,
            $"{nearest.Name} is the nearest upstream environment; it runs newer tags, and LifeTime deploys the previous tags from it as OutSystems' API rollback does"), null);
    }
}
