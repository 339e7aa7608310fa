using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>The decision document (Export-OsRollbackPlan -Format Html/Markdown) and the planner's -AssessAllStrategies.</summary>
public class RollbackDecisionTests
{
    private static Task<RollbackPlan> PlanAsync(RollbackScenario s, bool assessAll, RollbackStrategy? strategy = null, bool allowDataLoss = false) =>
        new RollbackPlanner(s.World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = s.Point,
            Reason = "INC-42 orders page broken",
            Strategy = strategy,
            AllowDataLoss = allowDataLoss,
            AllowUnverifiedModuleVersionField = true,
            AssessAllStrategies = assessAll,
        }, s.Reporter, CancellationToken.None);

    [Fact]
    public async Task Assessing_all_strategies_says_possible_or_why_not_for_each_and_leaves_the_chosen_plan_as_it_was()
    {
        using var s = await RollbackScenario.CreateAsync();
        var usual = await PlanAsync(s, assessAll: false, allowDataLoss: true);
        var all = await PlanAsync(s, assessAll: true, allowDataLoss: true);

        Assert.All(usual.Assessments.Skip(1), a => Assert.Equal("not assessed", a.Verdict()));
        Assert.Equal(RollbackStrategy.LifeTime, all.Strategy);
        Assert.Equal(["chosen", "possible", "possible", "possible"], all.Assessments.Select(a => a.Verdict()));
        Assert.Contains("solution package", all.Assessments[1].Reason);
        Assert.Contains("recovered from the parallel database", all.Assessments[3].Reason);
        // The alternatives are assessed on a scratch plan: the chosen plan carries nothing of them.
        Assert.Equal(usual.Steps.Select(x => (x.Kind, x.Title, x.Target)), all.Steps.Select(x => (x.Kind, x.Title, x.Target)));
        Assert.Equal(usual.Warnings, all.Warnings);
        Assert.Equal((usual.SourceEnvironment, usual.DataLoss, usual.DataLossFrom, usual.RestorePath, usual.Republish), (all.SourceEnvironment, all.DataLoss, all.DataLossFrom, all.RestorePath, all.Republish));
        Assert.Equal(RollbackPlanDigest.Compute(all), all.PlanDigest);
    }

    [Fact]
    public async Task Every_possible_alternative_carries_its_own_outage_estimate_and_the_impossible_none()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: true);

        Assert.All(plan.Assessments.Where(a => a.Possible), a =>
        {
            Assert.NotNull(a.ExpectedOutage);
            Assert.StartsWith("default durations", a.OutageBasis);
        });
        var database = plan.Assessments.Single(a => a.Strategy == RollbackStrategy.Database);
        Assert.False(database.Possible);
        Assert.Null(database.ExpectedOutage);
        // The estimate of an alternative is made from its own steps: a module republish is not a LifeTime redeploy.
        Assert.NotEqual(plan.Assessments[0].ExpectedOutage, plan.Assessments.Single(a => a.Strategy == RollbackStrategy.Module).ExpectedOutage);
    }

    [Fact]
    public async Task Without_data_loss_allowed_the_database_alternative_is_not_possible_and_says_why()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: true);
        var database = plan.Assessments.Single(a => a.Strategy == RollbackStrategy.Database);
        Assert.Equal("not possible", database.Verdict());
        Assert.Contains("allowed only with -AllowDataLoss", database.Reason);
    }

    [Fact]
    public async Task With_a_strategy_asked_for_the_others_are_assessed_beside_it()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: true, strategy: RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(RollbackStrategy.Database, plan.Strategy);
        Assert.True(plan.DataLoss);
        Assert.Equal(["possible", "possible", "possible", "chosen"], plan.Assessments.Select(a => a.Verdict()));
        Assert.Null(plan.SourceEnvironment);
        Assert.Single(plan.Steps, x => x.Kind == RollbackStepKind.VerifyRollbackPoint);
    }

    [Fact]
    public async Task The_page_shows_each_strategy_with_its_outage_data_loss_and_what_users_see()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: true);
        plan.Assessments[0].ExpectedOutage = TimeSpan.FromMinutes(12);
        plan.Assessments[0].OutageBasis = "drill 7f3a on Quality, 2026-12-01";
        RollbackPlanFile.Seal(plan);
        var html = RollbackDecisionHtml.Render(plan);

        foreach (var strategy in Enum.GetValues<RollbackStrategy>())
        {
            Assert.Contains($"id=\"strategy-{strategy.ToString().ToLowerInvariant()}\"", html);
            Assert.Contains(Html(RollbackDecision.UsersSee(strategy)), html);
        }
        Assert.Contains("about 12 min (drill 7f3a on Quality, 2026-12-01)", html);
        // The planner estimates every possible way back; only the impossible one (Database, no -AllowDataLoss) has none.
        Assert.Equal(1, Count(html, "<dd>not estimated</dd>"));
        Assert.Contains("none: the database is not touched", html);
        Assert.Contains("allowed only with -AllowDataLoss", html);
        Assert.Contains("None: the chosen way back (redeploy the previous versions with LifeTime) does not touch the database", html);
        Assert.Contains(Html("Tables and columns that the rolled-back version added stay in the database"), html);
        Assert.Contains("listed in the report after the run", html);
    }

    [Fact]
    public async Task A_database_plan_shows_the_data_loss_window_now_and_an_hour_later()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: false, strategy: RollbackStrategy.Database, allowDataLoss: true);
        var decision = RollbackDecision.Of(plan);
        var window = plan.DataLossTo!.Value - plan.DataLossFrom!.Value;

        Assert.Equal(RollbackPlanner.Describe(window), decision.DataLossGrowth[0].Window);
        Assert.Equal(RollbackPlanner.Describe(window + TimeSpan.FromHours(1)), decision.DataLossGrowth[1].Window);
        Assert.Equal(plan.DataLossTo.Value + TimeSpan.FromHours(1), decision.DataLossGrowth[1].StartsAt);
        var html = RollbackDecisionHtml.Render(plan);
        Assert.Contains($"Everything written after {RollbackDecision.Time(plan.DataLossFrom.Value)} is removed from the live database", html);
        Assert.Contains("parallel database", html);
        Assert.Contains(Html("The applications go offline"), html);
    }

    [Fact]
    public async Task A_hostile_name_is_escaped_and_the_page_loads_nothing_from_outside()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: true);
        plan.Changes[0].Name = "<script>alert('x')</script> & \"Orders\"";
        plan.Warnings.Add("<img src=x onerror=alert(1)>");
        var html = RollbackDecisionHtml.Render(plan);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Orders&quot;", html);
        foreach (var external in new[] { "http://", "https://", "<link", "@import", "url(" })
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"<[^>]*\s(src|href|on\w+)=", html);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>", html);
    }

    [Fact]
    public async Task The_sign_off_names_the_plan_and_its_digest_in_Html_and_Markdown()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: true);
        var html = RollbackDecisionHtml.Render(plan);
        var markdown = RollbackPlanFile.ToMarkdown(plan);

        foreach (var text in new[] { html, markdown })
        {
            Assert.Contains($"sha256:{plan.PlanDigest}", text);
            Assert.Contains(plan.Id, text);
            Assert.All(RollbackDecision.SignOffRoles, role => Assert.Contains(role, text));
        }
        Assert.Contains("<table class=\"signoff\"><tr><th>Role</th><th>Name</th><th>Date</th><th>Decision (approve / reject)</th>", html);
        Assert.Contains("| Role | Name | Date | Decision (approve / reject) |", markdown);
    }

    [Fact]
    public async Task The_Markdown_carries_the_same_decision_per_strategy()
    {
        using var s = await RollbackScenario.CreateAsync();
        var usual = RollbackPlanFile.ToMarkdown(await PlanAsync(s, assessAll: false));
        var markdown = RollbackPlanFile.ToMarkdown(await PlanAsync(s, assessAll: true));

        Assert.Matches(@"\| Redeploy the previous versions with LifeTime \(LifeTime\) \| \*\*chosen\*\* \| about [^|]+ \(default durations[^|]*\) \| none: the database is not touched \|", markdown);
        Assert.Contains("| Publish the solution package saved before the deploy (Solution) | possible |", markdown);
        Assert.Contains("| Restore the database from the backup taken before the deploy (Database) | not possible |", markdown);
        Assert.Contains("(Solution) | not assessed | not estimated | none: the database is not touched | not assessed: a better way back was chosen first (New-OsRollbackPlan -AssessAllStrategies", usual);
        foreach (var strategy in Enum.GetValues<RollbackStrategy>()) Assert.Contains(RollbackDecision.UsersSee(strategy), markdown);
        foreach (var section in new[] { "## What users will see", "## Data-loss window", "## What is left behind", "## Decision and sign-off", "## Steps" })
            Assert.Contains(section, markdown);
    }

    [Fact]
    public async Task Write_takes_Html_as_a_format()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await PlanAsync(s, assessAll: true);
        var path = s.Temp.File("decision.html");
        RollbackPlanFile.Write(plan, path, PlanFormat.Html);
        Assert.Equal(RollbackDecisionHtml.Render(plan), File.ReadAllText(path));
    }

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
