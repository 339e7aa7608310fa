using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>
/// Waiting for other plans on the target, against the sandbox as a serial LifeTime (11.23) and as
/// a parallel one (11.24): an unrelated running plan is waited for only on the serial one; a plan
/// that shares an application, or whose applications cannot be read, is waited for on both.
/// Time is a fake clock that the client's waits move on.
/// </summary>
public sealed class ParallelDeploymentTests : IAsyncLifetime
{
    private const string Serial = "11.23.0";
    private const string Parallel = "11.24.0";
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingReporter _reporter = new();
    private SandboxHost? _sandbox;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_sandbox is not null) await _sandbox.DisposeAsync();
        _temp.Dispose();
    }

    private async Task<LifeTimeClient> StartAsync(string lifeTimeVersion)
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            DataDirectory = _temp.File("data"), Pace = TimeSpan.FromSeconds(10), TimeProvider = _clock, LifeTimeVersion = lifeTimeVersion,
            Token = "sandbox-TOKEN-1234567", ServiceCenterPassword = "#sandbox-PASSWORD-99",
        });
        var options = new PlatformHttpOptions
        {
            TimeProvider = _clock, Delay = (delay, _) => { _clock.Advance(delay); return Task.CompletedTask; },
            MaxRetries = 0,
            Polling = new PollingPolicy { InitialInterval = TimeSpan.FromSeconds(2), MaxInterval = TimeSpan.FromSeconds(15), Timeout = TimeSpan.FromHours(2) },
        };
        // Auto: the version the user gave decides, as Connect-OsLifeTime -LifeTimeVersion does.
        return new LifeTimeClient(new LifeTimeConnection(_sandbox.Url, SecretText.FromPlainText(_sandbox.Token), options) { LifeTimeVersion = Version.Parse(lifeTimeVersion) });
    }

    private static async Task<string> VersionKey(LifeTimeClient client, string app, string tag)
    {
        var application = await client.ResolveApplicationAsync(app);
        return (await client.GetApplicationVersionsAsync(application.Key)).Single(v => v.Version == tag).Key;
    }

    /// <summary>Starts another team's plan on Production and leaves it running.</summary>
    private static async Task<string> StartTheirPlanAsync(LifeTimeClient client, string app, string tag)
    {
        var environments = await client.GetEnvironmentsAsync();
        var key = await client.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            SourceEnvironmentKey = environments.Single(e => e.Name == "Quality").Key, TargetEnvironmentKey = environments.Single(e => e.Name == "Production").Key,
            ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = await VersionKey(client, app, tag) }],
        });
        await client.StartDeploymentAsync(key);
        Assert.Equal(DeploymentStatuses.Running, (await client.GetDeploymentStatusAsync(key)).DeploymentStatus);
        return key;
    }

    private async Task<DeploymentResult> DeployOrdersAsync(LifeTimeClient client)
    {
        var result = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [await VersionKey(client, "Orders", "1.0.0")], null, _reporter);
        Assert.True(result.Succeeded, result.DeploymentStatus);
        return result;
    }

    /// <summary>When ours started, and when theirs finished (its last log line).</summary>
    private static async Task<(DateTimeOffset OursStarted, DateTimeOffset TheirsFinished)> TimesAsync(LifeTimeClient client, string ours, string theirs)
    {
        var plans = await client.GetDeploymentsAsync();
        var theirStatus = await client.GetDeploymentStatusAsync(theirs);
        Assert.True(DeploymentStatuses.IsFinal(theirStatus.DeploymentStatus), theirStatus.DeploymentStatus);
        return (plans.Single(p => p.Key == ours).StartedOn!.Value, theirStatus.DeploymentLog.Last().Instant!.Value);
    }

    private bool WaitedFor(string key) => _reporter.ProgressUpdates.Any(p => p.Status.StartsWith($"Waiting for deployment {key}", StringComparison.Ordinal));

    [Fact]
    public async Task An_unrelated_running_plan_is_not_waited_for_on_a_parallel_LifeTime()
    {
        using var client = await StartAsync(Parallel);
        var theirs = await StartTheirPlanAsync(client, "Reporting", "1.0.0");

        var ours = await DeployOrdersAsync(client);

        Assert.False(WaitedFor(theirs));
        Assert.Contains(_reporter.Verboses, v => v.Contains($"Deployment {theirs}") && v.Contains("shares no application"));
        var (started, theirsFinished) = await TimesAsync(client, ours.DeploymentKey, theirs);
        Assert.True(started < theirsFinished, $"ours started {started:o}, theirs finished {theirsFinished:o}");
    }

    [Fact]
    public async Task An_unrelated_running_plan_is_waited_for_on_a_serial_LifeTime()
    {
        using var client = await StartAsync(Serial);
        var theirs = await StartTheirPlanAsync(client, "Reporting", "1.0.0");

        var ours = await DeployOrdersAsync(client);

        Assert.True(WaitedFor(theirs));
        Assert.Contains(_reporter.Verboses, v => v.Contains("LifeTime 11.23.0 runs one plan at a time"));
        var (started, theirsFinished) = await TimesAsync(client, ours.DeploymentKey, theirs);
        Assert.True(started >= theirsFinished, $"ours started {started:o}, theirs finished {theirsFinished:o}");
    }

    [Theory]
    [InlineData(Serial)]
    [InlineData(Parallel)]
    public async Task A_running_plan_that_shares_an_application_is_waited_for_on_both(string lifeTimeVersion)
    {
        using var client = await StartAsync(lifeTimeVersion);
        var theirs = await StartTheirPlanAsync(client, "Orders", "1.0.0");

        var ours = await DeployOrdersAsync(client);

        Assert.True(WaitedFor(theirs));
        if (lifeTimeVersion == Parallel)
        {
            var orders = await client.ResolveApplicationAsync("Orders");
            Assert.Contains(_reporter.ProgressUpdates, p => p.Status.Contains("also deploys application(s) " + orders.Key));
        }
        var (started, theirsFinished) = await TimesAsync(client, ours.DeploymentKey, theirs);
        Assert.True(started >= theirsFinished, $"ours started {started:o}, theirs finished {theirsFinished:o}");
    }

    [Fact]
    public async Task A_running_plan_whose_applications_cannot_be_read_is_waited_for_and_the_reason_is_shown()
    {
        using var client = await StartAsync(Parallel);
        var theirs = await StartTheirPlanAsync(client, "Reporting", "1.0.0");
        _sandbox!.Control.AddFault(new FaultRule { PathPattern = $"/lifetimeapi/rest/v2/deployments/{theirs}/", Method = "GET", StatusCode = 403 });

        var ours = await DeployOrdersAsync(client);

        Assert.Contains(_reporter.ProgressUpdates, p => p.Status.StartsWith($"Waiting for deployment {theirs}", StringComparison.Ordinal) && p.Status.Contains("could not be read"));
        var (started, theirsFinished) = await TimesAsync(client, ours.DeploymentKey, theirs);
        Assert.True(started >= theirsFinished, $"ours started {started:o}, theirs finished {theirsFinished:o}");
    }

    [Fact]
    public async Task Giving_up_on_a_busy_parallel_target_deletes_the_saved_plan_and_says_so()
    {
        using var client = await StartAsync(Parallel);
        var theirs = await StartTheirPlanAsync(client, "Orders", "1.0.0");
        var before = (await client.GetDeploymentsAsync()).Count;

        var error = await Assert.ThrowsAsync<OsRollbackException>(async () => await new ApplicationDeployer(client).DeployAsync("Quality", "Production",
            [await VersionKey(client, "Orders", "1.0.0")], new DeployOptions { WaitForOtherPlansTimeout = TimeSpan.FromSeconds(5) }, _reporter));

        Assert.Equal("TargetEnvironmentBusy", error.ErrorId);
        Assert.Contains(theirs, error.Message);
        Assert.Contains("nothing of this deployment is left in LifeTime", error.Message);
        Assert.Equal(before, (await client.GetDeploymentsAsync()).Count);
    }
}
