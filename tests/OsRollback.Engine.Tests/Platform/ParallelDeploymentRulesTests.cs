using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>
/// When a target runs plans in parallel (documented versions: 11.24 self-managed, 11.21 Cloud),
/// and which applications a running plan touches, read from the documented fields of GET /deployments/{key}/.
/// </summary>
public class ParallelDeploymentRulesTests
{
    private static readonly LifeTimeEnvironment SelfManaged = new() { Key = "prd", Name = "Production" };
    private static readonly LifeTimeEnvironment Cloud = new() { Key = "prd", Name = "Production", IsCloudEnvironment = true };

    private static LifeTimeConnection Connection(ParallelDeploymentMode mode, string? version) =>
        new("https://lifetime.example.com", SecretText.FromPlainText(Fakes.Token)) { ParallelDeployments = mode, LifeTimeVersion = version is null ? null : Version.Parse(version) };

    [Theory]
    [InlineData(null, false, false)]           // version not known: serial
    [InlineData("11.23.2", false, false)]
    [InlineData("11.24.0", false, true)]
    [InlineData("11.20.9", true, false)]
    [InlineData("11.21.0", true, true)]       // OutSystems Cloud runs plans in parallel from 11.21
    public void Auto_follows_the_documented_versions_of_the_infrastructure(string? version, bool cloud, bool parallel)
    {
        var decision = ParallelDeployments.Decide(Connection(ParallelDeploymentMode.Auto, version), cloud ? Cloud : SelfManaged);
        Assert.Equal(parallel, decision.Parallel);
        if (version is null) Assert.Contains("-LifeTimeVersion", decision.Reason);
    }

    [Fact]
    public void An_explicit_mode_wins_over_the_version()
    {
        Assert.True(ParallelDeployments.Decide(Connection(ParallelDeploymentMode.Enabled, "11.10.0"), SelfManaged).Parallel);
        Assert.False(ParallelDeployments.Decide(Connection(ParallelDeploymentMode.Disabled, "11.30.0"), SelfManaged).Parallel);
    }

    [Fact]
    public void The_connection_keeps_the_deployment_settings_when_its_HTTP_options_change()
    {
        var copy = Connection(ParallelDeploymentMode.Enabled, "11.24.1").WithOptions(new PlatformHttpOptions());
        Assert.Equal((ParallelDeploymentMode.Enabled, new Version(11, 24, 1)), (copy.ParallelDeployments, copy.LifeTimeVersion));
    }

    [Fact]
    public async Task A_plans_applications_come_from_its_operations_and_its_deploy_and_redeploy_lists()
    {
        // Shapes as documented: operations carry ApplicationKey (api-deploy-app example), ApplicationsToDeploy items
        // ApplicationKey/ApplicationName/IsNew (binary-deployment example); a bare string there is not taken for an application key.
        // ApplicationsToRedeploy items are strings in the Swagger (application keys) and objects in older answers: both are read.
        const string detail = """
            {"Deployment":{"Key":"d1","ApplicationOperations":[{"ApplicationKey":"app-a","ApplicationVersionKey":"ver-a","DeploymentOperation":"Deploy 1.0","DeploymentZoneKey":""}]},
             "ApplicationsToDeploy":[{"ApplicationKey":"app-b","ApplicationName":"B","IsNew":false},"ver-x"],
             "ApplicationsToRedeploy":[{"ApplicationKey":"app-c","ApplicationName":"C"},"app-d"],
             "ApplicationConflicts":[],"ModulesToDelete":[]}
            """;
        using var client = Fakes.LifeTime(new FakeHandler((r, _, _) => FakeHandler.Json(detail)), new RecordedDelays());

        var plan = await client.GetDeploymentAsync("d1");

        Assert.Equal(["app-a", "app-b", "app-c", "app-d"], plan.ApplicationKeys.Order());
        Assert.Equal("app-a", plan.Deployment.ApplicationOperations.Single().ApplicationKey);
    }
}
