using System.Net;

namespace OsRollback.Sandbox.Tests;

/// <summary>
/// The sandbox as a serial LifeTime (before 11.24: one running plan per target) and as a parallel
/// one (11.24+: plans that share no application or module run side by side; a shared one is refused).
/// </summary>
public abstract class ParallelDeploymentDialectTests : SandboxTestBase
{
    protected async Task<(HttpStatusCode Status, string Text)> Start(string key) => await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");

    protected async Task<string> StartedPlan(params Model.AppVersionDef[] versions)
    {
        var key = await CreatePlan("Quality", "Production", versions);
        Assert.Equal(HttpStatusCode.Accepted, (await Start(key)).Status);
        Assert.Equal("running", (await Status(key)).GetProperty("DeploymentStatus").GetString());
        return key;
    }
}

public sealed class SerialDeploymentTests : ParallelDeploymentDialectTests
{
    protected override void Configure(SandboxOptions options) => options.LifeTimeVersion = "11.23.0";

    [Fact]
    public async Task A_second_plan_on_a_busy_target_is_refused_even_when_it_shares_nothing()
    {
        var running = await StartedPlan(Tag("Reporting", "1.0.0"));
        var second = await CreatePlan("Quality", "Production", Tag("Orders", "1.0.0"));

        var (status, text) = await Start(second);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"deployment {running} is already running for environment Production", text);
        Assert.Equal("saved", (await Status(second)).GetProperty("DeploymentStatus").GetString());
    }
}

public sealed class ParallelDeploymentSandboxTests : ParallelDeploymentDialectTests
{
    protected override void Configure(SandboxOptions options) => options.LifeTimeVersion = "11.24.0";

    [Fact]
    public async Task A_plan_that_shares_nothing_with_the_running_one_starts_beside_it()
    {
        var running = await StartedPlan(Tag("Reporting", "1.0.0"));
        var second = await CreatePlan("Quality", "Production", Tag("Orders", "1.0.0"));

        Assert.Equal(HttpStatusCode.Accepted, (await Start(second)).Status);

        Assert.Equal("running", (await Status(running)).GetProperty("DeploymentStatus").GetString());
        Assert.Equal("running", (await Status(second)).GetProperty("DeploymentStatus").GetString());
    }

    [Fact]
    public async Task A_plan_that_shares_an_application_with_the_running_one_is_refused()
    {
        var running = await StartedPlan(Tag("Orders", "1.0.0"));
        var second = await CreatePlan("Quality", "Production", Tag("Orders", "1.0.0"));

        var (status, text) = await Start(second);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"deployment {running} running for environment Production already deploys Orders", text);
        Assert.Equal("saved", (await Status(second)).GetProperty("DeploymentStatus").GetString());
    }

    [Fact]
    public async Task Once_the_shared_plan_finished_the_second_one_starts()
    {
        var running = await StartedPlan(Tag("Orders", "1.0.0"));
        var second = await CreatePlan("Quality", "Production", Tag("Orders", "1.0.0"));
        for (var i = 0; i < 10 && (await Status(running)).GetProperty("DeploymentStatus").GetString() == "running"; i++) Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("finished_successful", (await Status(running)).GetProperty("DeploymentStatus").GetString());

        Assert.Equal(HttpStatusCode.Accepted, (await Start(second)).Status);
    }
}
