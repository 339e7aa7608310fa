using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>The sandbox plays what a real LifeTime and Service Center do (issue 18), and the client copes, over HTTP on 127.0.0.1.</summary>
public sealed class LifeTimeRealitySandboxTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly RecordingReporter _reporter = new();
    private SandboxHost? _sandbox;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_sandbox is not null) await _sandbox.DisposeAsync();
        _temp.Dispose();
    }

    private async Task StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { DataDirectory = _temp.File("data"), Pace = TimeSpan.FromMilliseconds(5), Token = "reality-TOKEN-1234567", ServiceCenterPassword = "#reality-PASSWORD-1" };
        configure?.Invoke(options);
        _sandbox = await SandboxHost.StartAsync(options);
    }

    private LifeTimeClient LifeTime(FakeTimeProvider? clock = null) => new(new LifeTimeConnection(_sandbox!.Url, SecretText.FromPlainText(_sandbox.Token), new PlatformHttpOptions
    {
        MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        TimeProvider = clock ?? TimeProvider.System,
        Delay = clock is null ? null : (wait, _) => { clock.Advance(wait); return Task.CompletedTask; },
        Polling = new PollingPolicy { InitialInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMinutes(2) },
    }));

    private static async Task<string> VersionKey(LifeTimeClient client, string app, string tag) =>
        (await client.GetApplicationVersionsAsync((await client.ResolveApplicationAsync(app)).Key)).Single(v => v.Version == tag).Key;

    [Fact]
    public async Task A_start_into_a_target_this_session_put_in_maintenance_mode_is_refused_first_and_leaves_no_plan()
    {
        await StartAsync();
        using var client = LifeTime();
        var production = await client.ResolveEnvironmentAsync("Production");
        await client.SetMaintenanceModeAsync(production.Key, true, "restore");
        var before = (await client.GetDeploymentsAsync()).Count;
        var key = await VersionKey(client, "Orders", "1.0.0");

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], null, _reporter));

        Assert.Equal("TargetInMaintenanceMode", error.ErrorId);
        Assert.Contains("maintenance mode", error.Message);
        Assert.Contains("nothing of this deployment is left", error.Message);
        Assert.Equal(before, (await client.GetDeploymentsAsync()).Count);
    }

    [Fact]
    public async Task A_start_LifeTime_refuses_quotes_its_details_and_the_documented_causes()
    {
        await StartAsync();
        using (var other = LifeTime()) // maintenance mode set elsewhere (another session, the LifeTime console)
            await other.SetMaintenanceModeAsync((await other.ResolveEnvironmentAsync("Production")).Key, true, "Database restore by the DBA team");
        using var client = LifeTime();
        var key = await VersionKey(client, "Orders", "1.0.0");

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], null, _reporter));

        Assert.Equal("DeploymentStartFailed", error.ErrorId);
        Assert.Contains("Database restore by the DBA team", error.Message); // LifeTime's details, sent because IncludeErrorDetails=true
        Assert.Contains("maintenance mode or offline", error.Message);
    }

    [Fact]
    public async Task Before_LifeTime_11_21_a_saved_plan_on_the_target_refuses_a_new_one_and_the_client_says_so()
    {
        await StartAsync(o => o.LifeTimeVersion = "11.20.0");
        using var client = LifeTime();
        var quality = await client.ResolveEnvironmentAsync("Quality");
        var production = await client.ResolveEnvironmentAsync("Production");
        var key = await VersionKey(client, "Orders", "1.0.0");
        var draft = await client.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            SourceEnvironmentKey = quality.Key, TargetEnvironmentKey = production.Key,
            ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = key }],
        });

        var refused = await Assert.ThrowsAsync<OsRollbackException>(() => client.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            SourceEnvironmentKey = quality.Key, TargetEnvironmentKey = production.Key,
            ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = key }],
        }));
        Assert.Equal("PlatformRequestFailed", refused.ErrorId);

        var busy = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key],
            new DeployOptions { WaitForOtherPlansTimeout = TimeSpan.Zero }, _reporter));
        Assert.Equal("TargetEnvironmentBusy", busy.ErrorId);
        Assert.Contains(draft, busy.Message);
        Assert.Contains("saved plan", busy.Message);
    }

    [Fact]
    public async Task A_two_step_plan_prepared_longer_than_SolutionPackHoursCache_is_prepared_again_on_resume()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await StartAsync(o => { o.TwoStepEnvironments = ["Production"]; o.TimeProvider = clock; });
        using var client = LifeTime(clock);
        var key = await VersionKey(client, "Orders", "1.0.0");
        var deployer = new ApplicationDeployer(client);
        var prepared = await deployer.DeployAsync("Quality", "Production", [key], null, _reporter);
        Assert.Equal(DeploymentStatuses.DeploymentPrepared, prepared.Info);

        clock.Advance(TimeSpan.FromHours(97));
        var resumed = await deployer.DeployAsync("Quality", "Production", [key], new DeployOptions { ExistingDeploymentKey = prepared.DeploymentKey, ContinueAfterPrepared = true }, _reporter);

        Assert.True(resumed.Succeeded, resumed.DeploymentStatus);
        Assert.NotEqual(prepared.DeploymentKey, resumed.DeploymentKey);
        Assert.Equal(DeploymentStatuses.Aborted, (await client.GetDeploymentStatusAsync(prepared.DeploymentKey)).DeploymentStatus);
        Assert.Contains(_reporter.Warnings, w => w.Contains("SolutionPackHoursCache", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_two_step_plan_continued_after_SolutionPackHoursCache_fails_in_the_sandbox_as_on_a_real_server()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await StartAsync(o => { o.TwoStepEnvironments = ["Production"]; o.TimeProvider = clock; });
        using var client = LifeTime(clock);
        var prepared = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [await VersionKey(client, "Orders", "1.0.0")], null, _reporter);

        clock.Advance(TimeSpan.FromHours(97));
        await client.ContinueDeploymentAsync(prepared.DeploymentKey);

        var status = await client.GetDeploymentStatusAsync(prepared.DeploymentKey);
        Assert.Equal(DeploymentStatuses.FinishedWithErrors, status.DeploymentStatus);
        Assert.Contains(status.DeploymentLog, e => e.Message.Contains("SolutionPackHoursCache", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_finished_plan_whose_details_answer_Invalid_status_change_is_reported_from_its_status()
    {
        await StartAsync(o => o.FinishedPlanDetailFails = true);
        using var client = LifeTime();
        var result = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [await VersionKey(client, "Orders", "1.0.0")], null, _reporter);

        var report = await client.GetDeploymentReportAsync(result.DeploymentKey);

        Assert.Equal(DeploymentStatuses.FinishedSuccessful, report.DeploymentStatus);
        // one when the saved plan was checked, one for the report (answered 500 "Invalid status change", not retried)
        Assert.Equal(2, _sandbox!.Control.RequestCounts.Where(c => c.Key == "GET /lifetimeapi/rest/v2/deployments/{DeploymentKey}/").Sum(c => c.Value));
    }

    [Fact]
    public async Task A_deployment_stopped_for_business_process_impact_is_named_and_unrelated_plans_are_not()
    {
        await StartAsync();
        using var client = LifeTime();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var key = await VersionKey(client, "Orders", "1.0.0");
        await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], null, _reporter);
        Assert.Empty(await BusinessProcessImpact.NoticesAsync(client, "Production", since, CancellationToken.None));

        _sandbox!.Control.SetNextDeploymentOutcome(OsRollback.Sandbox.Runtime.RunOutcome.NeedsUserIntervention, DeploymentStatuses.BusinessProcessImpact);
        var stopped = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [await VersionKey(client, "Orders", "1.1.0")], null, _reporter);
        Assert.Equal(DeploymentStatuses.BusinessProcessImpact, stopped.Info);

        var notices = await BusinessProcessImpact.NoticesAsync(client, "Production", since, CancellationToken.None);
        var notice = Assert.Single(notices);
        Assert.Contains(stopped.DeploymentKey, notice);
        Assert.Contains("business_process_impact", notice);
    }

    [Fact]
    public async Task A_staging_naming_a_module_Service_Center_does_not_have_is_refused_with_its_reason()
    {
        await StartAsync();
        using var sc = new ServiceCenterClient(new ServiceCenterConnection($"{_sandbox!.Url}/production", _sandbox.ServiceCenterUser, SecretText.FromPlainText(_sandbox.ServiceCenterPassword), new PlatformHttpOptions { MaxRetries = 0 }));

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => sc.PublishModulesAsync("wave 1", [new ServiceCenterModule { Name = "No_Such_Module", Key = "nope", Kind = "eSpace" }]));

        Assert.Equal("ServiceCenterPublishRejected", error.ErrorId);
        Assert.Contains("No_Such_Module does not exist", error.Message);
    }
}
