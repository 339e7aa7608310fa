using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>The documented LifeTime rollback: deploy the previous tag from upstream, even when upstream runs a newer one.</summary>
public sealed class LifeTimeStrategyRulesTests
{
    private static readonly PlatformEnvironmentInfo Dev = new("d", "Development", 1), Qa = new("q", "Quality", 2), Prd = new("p", "Production", 3);
    private static readonly PlatformEnvironmentInfo[] All = [Prd, Dev, Qa];

    private static Func<string, IReadOnlySet<string>> Running(string dev, string qa) =>
        name => new HashSet<string>([name == "Development" ? dev : name == "Quality" ? qa : "v2"]);

    [Fact]
    public void Upstream_that_runs_the_newer_tag_is_still_a_source()
    {
        var (source, whyNot) = LifeTimeStrategyRules.ChooseSource(Prd, All, Running("v2", "v2"), ["v1"]);
        Assert.Null(whyNot);
        Assert.Equal(("Quality", false), (source!.Environment.Name, source.RunsThePreviousTags));
        Assert.Contains("nearest upstream", source.Reason);
    }

    [Fact]
    public void An_upstream_environment_that_runs_the_previous_tag_is_preferred()
    {
        var (source, _) = LifeTimeStrategyRules.ChooseSource(Prd, All, Running("v1", "v2"), ["v1"]);
        Assert.Equal(("Development", true), (source!.Environment.Name, source.RunsThePreviousTags));
    }

    [Fact]
    public void No_upstream_or_a_deleted_tag_means_no_source_and_says_why()
    {
        var (none, why) = LifeTimeStrategyRules.ChooseSource(Dev, All, Running("v2", "v2"), ["v1"]);
        Assert.Null(none);
        Assert.Contains("no upstream environment", why);
        var (deleted, reason) = LifeTimeStrategyRules.ChooseSource(Prd, All, Running("v2", "v2"), ["v1"], tagExists: _ => false);
        Assert.Null(deleted);
        Assert.Contains("no longer has the previous tag(s) v1", reason);
    }
}
