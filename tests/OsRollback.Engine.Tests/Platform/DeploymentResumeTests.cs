using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>
/// A LifeTime step that is journaled and resumed: the new plan's key is handed out before it
/// starts, a resume continues that plan instead of creating a second one, and a failed start
/// leaves no saved plan behind. Also LifeTime's refusal of a lower version (a sandbox switch)
/// and tagging what runs.
/// </summary>
public sealed class DeploymentResumeTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SandboxHost? _sandbox;
    private readonly RecordingReporter _reporter = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_sandbox is not null) await _sandbox.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<LifeTimeClient> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { DataDirectory = _temp.File("data"), Pace = TimeSpan.FromMilliseconds(5), Token = "sandbox-TOKEN-1234567", ServiceCenterPassword = "#sandbox-PASSWORD-99" };
        configure?.Invoke(options);
        _sandbox = await SandboxHost.StartAsync(options);
        return new LifeTimeClient(new LifeTimeConnection(_sandbox.Url, SecretText.FromPlainText(_sandbox.Token), new PlatformHttpOptions
        {
            MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(5),
            Polling = new PollingPolicy { InitialInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMinutes(2) },
        }));
    }

    private static async Task<string> VersionKey(LifeTimeClient client, string app, string tag)
    {
        var application = await client.ResolveApplicationAsync(app);
        return (await client.GetApplicationVersionsAsync(application.Key)).Single(v => v.Version == tag).Key;
    }

    private static async Task<string> Running(LifeTimeClient client, string environment, string app)
    {
        var env = await client.ResolveEnvironmentAsync(environment);
        return (await client.GetEnvironmentApplicationsAsync(env.Key)).Single(a => a.Name == app).AppStatusInEnvs.Single().BaseApplicationVersionLabel!;
    }

    private static async Task<int> PlanCount(LifeTimeClient client) => (await client.GetDeploymentsAsync()).Count;

    [Fact]
    public async Task The_new_plan_is_handed_out_after_its_conflicts_are_checked_and_before_it_starts()
    {
        using var client = await StartAsync();
        var key = await VersionKey(client, "Orders", "1.0.0");
        string? created = null;
        string? statusWhenCreated = null;

        var result = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], new DeployOptions
        {
            DeploymentCreated = async (k, ct) => { created = k; statusWhenCreated = (await client.GetDeploymentStatusAsync(k, ct)).DeploymentStatus; },
        }, _reporter);

        Assert.Equal((result.DeploymentKey, DeploymentStatuses.Saved), (created, statusWhenCreated));
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task A_resume_of_a_saved_plan_starts_it_and_creates_no_second_plan()
    {
        using var client = await StartAsync();
        var key = await VersionKey(client, "Orders", "1.0.0");
        var environments = await client.GetEnvironmentsAsync();
        var saved = await client.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            SourceEnvironmentKey = environments.Single(e => e.Name == "Quality").Key, TargetEnvironmentKey = environments.Single(e => e.Name == "Production").Key,
            ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = key }],
        });
        var before = await PlanCount(client);

        var result = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], new DeployOptions { ExistingDeploymentKey = saved }, _reporter);

        Assert.Equal((saved, true), (result.DeploymentKey, result.Succeeded));
        Assert.Equal(before, await PlanCount(client));
        Assert.Equal("1.0.0", await Running(client, "Production", "Orders"));
    }

    [Fact]
    public async Task A_resume_continues_a_prepared_two_step_plan_and_reports_a_finished_one_as_it_ended()
    {
        using var client = await StartAsync(o => o.TwoStepEnvironments = ["Production"]);
        var key = await VersionKey(client, "Orders", "1.0.0");
        var deployer = new ApplicationDeployer(client);
        var prepared = await deployer.DeployAsync("Quality", "Production", [key], null, _reporter);
        Assert.Equal(DeploymentStatuses.DeploymentPrepared, prepared.Info);
        var plans = await PlanCount(client);

        var continued = await deployer.DeployAsync("Quality", "Production", [key], new DeployOptions { ExistingDeploymentKey = prepared.DeploymentKey }, _reporter);
        Assert.Equal((prepared.DeploymentKey, DeploymentStatuses.FinishedSuccessful), (continued.DeploymentKey, continued.DeploymentStatus));

        var again = await deployer.DeployAsync("Quality", "Production", [key], new DeployOptions { ExistingDeploymentKey = prepared.DeploymentKey }, _reporter);
        Assert.Equal((prepared.DeploymentKey, DeploymentStatuses.FinishedSuccessful), (again.DeploymentKey, again.DeploymentStatus));
        Assert.Equal(plans, await PlanCount(client));
    }

    [Fact]
    public async Task A_failed_start_deletes_the_saved_plan_and_says_nothing_is_left()
    {
        using var client = await StartAsync();
        var key = await VersionKey(client, "Orders", "1.0.0");
        _sandbox!.Control.AddFault(new FaultRule { PathPattern = "/lifetimeapi/rest/v2/deployments/*/start/*", Method = "POST", StatusCode = 500 });
        var before = await PlanCount(client);
        string? created = null;

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key],
            new DeployOptions { DeploymentCreated = (k, _) => { created = k; return Task.CompletedTask; } }, _reporter));

        Assert.Equal("DeploymentStartFailed", error.ErrorId);
        Assert.Contains($"The saved plan {created} was deleted: nothing of this deployment is left in LifeTime.", error.Message);
        Assert.Equal(before, await PlanCount(client));
        _sandbox.Control.ClearFaults();
        var resumed = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], new DeployOptions { ExistingDeploymentKey = created }, _reporter);
        Assert.True(resumed.Succeeded);
        Assert.Contains(_reporter.Warnings, w => w.Contains($"no longer has deployment {created}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lower_version_is_accepted_or_refused_as_LifeTime_answers(bool refuse)
    {
        using var client = await StartAsync(o => o.RefuseLowerVersions = refuse);
        var key = await VersionKey(client, "Orders", "1.0.0");   // Production runs 1.1.0; Quality runs 1.2.0 and deploys the older tag
        var deploy = () => new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], null, _reporter);
        if (!refuse)
        {
            Assert.True((await deploy()).Succeeded);
            Assert.Equal("1.0.0", await Running(client, "Production", "Orders"));
            return;
        }
        var error = await Assert.ThrowsAsync<OsRollbackException>(deploy);
        Assert.Equal("LifeTimeRefusedDeployment", error.ErrorId);
        Assert.Contains("lower than the version running there (1.1.0)", error.Message);     // LifeTime's answer, as it came
        Assert.Contains("New-OsApplicationVersion", error.RecommendedAction);
        Assert.Contains("-Strategy Solution", error.RecommendedAction);
        Assert.Equal("1.1.0", await Running(client, "Production", "Orders"));
    }

    [Fact]
    public async Task Tagging_what_runs_creates_a_version_that_the_environment_then_runs()
    {
        using var client = await StartAsync();
        var orders = await client.ResolveApplicationAsync("Orders");
        var production = await client.ResolveEnvironmentAsync("Production");

        var key = await client.CreateApplicationVersionAsync(production.Key, orders.Key, "1.1.1", "Tagged after a rollback", [new MobileVersionRequest("Android", "1.1.1")]);

        var tag = (await client.FindApplicationVersionAsync(orders.Key, key))!;
        Assert.Equal(("1.1.1", "Tagged after a rollback"), (tag.Version, tag.ChangeLog));
        var running = (await client.GetEnvironmentApplicationsAsync(production.Key)).Single(a => a.Key == orders.Key).AppStatusInEnvs.Single();
        Assert.Equal((key, "1.1.1", false), (running.BaseApplicationVersionKey, running.BaseApplicationVersionLabel, running.IsModified));
        var duplicate = await Assert.ThrowsAsync<OsRollbackException>(() => client.CreateApplicationVersionAsync(production.Key, orders.Key, "1.1.1"));
        Assert.Equal("PlatformRequestFailed", duplicate.ErrorId);
    }
}
