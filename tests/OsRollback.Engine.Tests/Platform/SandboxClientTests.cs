using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;
using OsRollback.Sandbox;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>The clients and high-level operations against the in-process sandbox over real HTTP on 127.0.0.1.</summary>
public sealed class SandboxClientTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SandboxHost _sandbox = null!;
    private readonly RecordingReporter _reporter = new();

    public async Task InitializeAsync() =>
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { DataDirectory = _temp.File("data"), Pace = TimeSpan.FromMilliseconds(5), Token = "sandbox-TOKEN-1234567", ServiceCenterPassword = "#sandbox-PASSWORD-99" });

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _temp.Dispose();
    }

    private static PlatformHttpOptions Fast(int retries = 3) => new()
    {
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        RequestTimeout = TimeSpan.FromSeconds(30),
        Polling = new PollingPolicy { InitialInterval = TimeSpan.FromMilliseconds(5), MaxInterval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMinutes(2) },
    };

    private LifeTimeClient LifeTime(string? token = null, int retries = 3) =>
        new(new LifeTimeConnection(_sandbox.Url, SecretText.FromPlainText(token ?? _sandbox.Token), Fast(retries)));

    private ServiceCenterClient ServiceCenter(string environment = "production", string? password = null) =>
        new(new ServiceCenterConnection($"{_sandbox.Url}/{environment}", _sandbox.ServiceCenterUser, SecretText.FromPlainText(password ?? _sandbox.ServiceCenterPassword), Fast()));

    private static async Task<string> RunningVersion(LifeTimeClient client, string environment, string application)
    {
        var env = await client.ResolveEnvironmentAsync(environment);
        var app = (await client.GetEnvironmentApplicationsAsync(env.Key)).Single(a => a.Name == application);
        return app.AppStatusInEnvs.Single().BaseApplicationVersionLabel!;
    }

    [Fact]
    public async Task Reads_environments_applications_versions_and_modules()
    {
        using var client = LifeTime();
        var environments = await client.GetEnvironmentsAsync();
        Assert.Equal(["Development", "Quality", "Production"], environments.Select(e => e.Name).ToArray());
        var apps = await client.GetApplicationsAsync(includeEnvStatus: true, includeModules: true);
        Assert.True(apps.Count >= 8);
        var orders = await client.ResolveApplicationAsync("orders");
        var versions = await client.GetApplicationVersionsAsync(orders.Key);
        Assert.Equal(["1.2.1", "1.2.0", "1.1.0", "1.0.0"], versions.Select(v => v.Version).ToArray());
        Assert.All(versions, v => Assert.NotNull(v.CreatedOn));
        Assert.Equal("1.1.0", await RunningVersion(client, "Production", "Orders"));
        var modules = await client.GetModulesAsync();
        Assert.True(modules.Count >= 40);
        Assert.NotEmpty(await client.GetModuleVersionsAsync(modules[0].Key));
        using var temp = new TempDirectory();
        var path = await client.DownloadApplicationVersionAsync(orders.Key, versions[1].Key, temp.File("orders.oap"));
        Assert.True(new FileInfo(path).Length > 0);
    }

    [Fact]
    public async Task An_unknown_name_lists_the_closest()
    {
        using var client = LifeTime();
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.ResolveEnvironmentAsync("Prodution"));
        Assert.Equal("EnvironmentNotFound", error.ErrorId);
        Assert.Contains("Production", error.Message);
    }

    [Fact]
    public async Task A_wrong_token_gives_the_clear_error()
    {
        using var client = LifeTime(token: "wrong-TOKEN-0000000");
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetEnvironmentsAsync());
        Assert.Equal("LifeTimeTokenRejected", error.ErrorId);
        Assert.Contains("LifeTime > User Management > Service Accounts", error.RecommendedAction);
        Assert.DoesNotContain("wrong-TOKEN", error.ToString());
    }

    [Fact]
    public async Task Deploys_an_older_tag_from_upstream_and_reports_the_final_status_and_log()
    {
        using var client = LifeTime();
        var orders = await client.ResolveApplicationAsync("Orders");
        var portal = await client.ResolveApplicationAsync("Customer Portal");
        // Roll back the two end-user applications (no consumers) to 1.0.0 from Quality.
        var keys = new[] { orders, portal }.Select(a => client.GetApplicationVersionsAsync(a.Key).Result.Single(v => v.Version == "1.0.0").Key).ToList();

        var result = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", keys, new DeployOptions { Notes = "test" }, _reporter);

        Assert.Equal(DeploymentStatuses.FinishedSuccessful, result.DeploymentStatus);
        Assert.True(result.Succeeded);
        Assert.NotEmpty(result.DeploymentLog);
        Assert.Equal(("Quality", "Production"), (result.SourceEnvironment, result.TargetEnvironment));
        Assert.Equal("1.0.0", await RunningVersion(client, "Production", "Orders"));
        Assert.NotEmpty(_reporter.ProgressUpdates);
        Assert.Contains(_reporter.Verboses, v => v.Contains(result.DeploymentKey));
    }

    [Fact]
    public async Task Refuses_the_same_source_and_target_before_creating_anything()
    {
        using var client = LifeTime();
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("Production", "production", ["v"], null, _reporter));
        Assert.Equal("SameSourceAndTarget", error.ErrorId);
        Assert.Contains("upstream", error.RecommendedAction);
        Assert.Empty(await client.GetDeploymentsAsync());
    }

    [Fact]
    public async Task A_plan_with_conflicts_is_shown_deleted_and_stopped()
    {
        using var client = LifeTime();
        // Customer Portal 1.2.0 needs Customers 1.2.0, but Production runs Customers 1.1.0.
        var portal = await client.ResolveApplicationAsync("Customer Portal");
        var newer = (await client.GetApplicationVersionsAsync(portal.Key)).Single(v => v.Version == "1.2.0");

        var error = await Assert.ThrowsAsync<DeploymentConflictException>(() => new ApplicationDeployer(client).DeployAsync("Quality", "Production", [newer.Key], null, _reporter));

        Assert.NotEmpty(error.Conflicts);
        Assert.NotEmpty(_reporter.Warnings);
        Assert.Empty(await client.GetDeploymentsAsync()); // the saved plan was deleted
        Assert.Equal("1.1.0", await RunningVersion(client, "Production", "Customer Portal"));
    }

    [Fact]
    public async Task A_two_step_deployment_stops_at_prepared_unless_asked_to_continue()
    {
        await _sandbox.DisposeAsync();
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { DataDirectory = _temp.File("two-step"), Pace = TimeSpan.FromMilliseconds(5), TwoStepEnvironments = ["Production"] });
        using var client = LifeTime();
        var orders = await client.ResolveApplicationAsync("Orders");
        var key = (await client.GetApplicationVersionsAsync(orders.Key)).Single(v => v.Version == "1.0.0").Key;
        var deployer = new ApplicationDeployer(client);

        var stopped = await deployer.DeployAsync("Quality", "Production", [key], null, _reporter);
        Assert.Equal((DeploymentStatuses.NeedsUserIntervention, DeploymentStatuses.DeploymentPrepared), (stopped.DeploymentStatus, stopped.Info));
        Assert.Contains(_reporter.Warnings, w => w.Contains("-Continue"));

        var resumed = await deployer.ResumeAsync(stopped.DeploymentKey, continueAfterPrepared: true, _reporter);
        Assert.Equal(DeploymentStatuses.FinishedSuccessful, resumed.DeploymentStatus);
    }

    [Fact]
    public async Task A_failing_deployment_reports_finished_with_errors()
    {
        _sandbox.Control.SetNextDeploymentOutcome(RunOutcome.FinishedWithErrors);
        using var client = LifeTime();
        var orders = await client.ResolveApplicationAsync("Orders");
        var key = (await client.GetApplicationVersionsAsync(orders.Key)).Single(v => v.Version == "1.0.0").Key;
        var result = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", [key], null, _reporter);
        Assert.Equal(DeploymentStatuses.FinishedWithErrors, result.DeploymentStatus);
        Assert.False(result.Succeeded);
        Assert.Contains(result.DeploymentLog, l => l.Type == "Error");
    }

    [Fact]
    public async Task Reads_recover_from_injected_transient_faults()
    {
        _sandbox.Control.AddFault(new FaultRule { PathPattern = "/lifetimeapi/rest/v2/environments*", StatusCode = 503, Count = 2 });
        using var client = LifeTime(retries: 3);
        Assert.Equal(3, (await client.GetEnvironmentsAsync()).Count);
        Assert.Equal(3, client.RequestCount);
    }

    [Fact]
    public async Task Persistent_faults_give_a_clear_error_without_hanging()
    {
        _sandbox.Control.AddFault(new FaultRule { PathPattern = "/lifetimeapi/rest/v2/environments*", StatusCode = 500 });
        using var client = LifeTime(retries: 2);
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetEnvironmentsAsync());
        Assert.Equal("PlatformUnavailable", error.ErrorId);
        Assert.Equal(3, client.RequestCount);
    }

    [Fact]
    public async Task A_faulted_POST_is_sent_once()
    {
        using var client = LifeTime();
        var environments = await client.GetEnvironmentsAsync();
        _sandbox.Control.AddFault(new FaultRule { PathPattern = "/lifetimeapi/rest/v2/deployments*", Method = "POST", StatusCode = 503, Count = 1 });
        var before = client.RequestCount;
        await Assert.ThrowsAsync<OsRollbackException>(() => client.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            SourceEnvironmentKey = environments[1].Key, TargetEnvironmentKey = environments[2].Key, ApplicationOperations = [],
        }));
        Assert.Equal(before + 1, client.RequestCount);
        Assert.Empty(await client.GetDeploymentsAsync());
    }

    [Fact]
    public async Task Maintenance_mode_is_set_and_cleared()
    {
        using var client = LifeTime();
        var on = await MaintenanceMode.SetAsync(client, "Production", true, "restore", _reporter);
        Assert.True(on.IsMaintenanceModeEnabled);
        var off = await MaintenanceMode.SetAsync(client, "Production", false, null, _reporter);
        Assert.False(off.IsMaintenanceModeEnabled);
    }

    [Fact]
    public async Task Builds_downloads_and_publishes_a_solution_through_service_center()
    {
        using var lt = LifeTime();
        var production = await lt.ResolveEnvironmentAsync("Production");
        var orders = await lt.ResolveApplicationAsync("Orders");
        var package = await lt.BuildAndDownloadSolutionAsync(production.Key, "before-deploy", [orders.Key], _temp.File("before.osp"), reporter: _reporter);
        Assert.True(File.Exists(package));

        using var sc = ServiceCenter("production");
        var result = await SolutionPublisher.PublishAsync(sc, package, new SolutionPublishOptions(), _reporter);
        Assert.Equal("ServiceCenter", result.Via);
        Assert.True(result.Succeeded, result.Status);
        Assert.NotEmpty(result.Messages);
    }

    [Fact]
    public async Task A_two_step_solution_publish_stops_when_prepared_and_continues_when_asked()
    {
        using var lt = LifeTime();
        var production = await lt.ResolveEnvironmentAsync("Production");
        var orders = await lt.ResolveApplicationAsync("Orders");
        var package = await lt.BuildAndDownloadSolutionAsync(production.Key, "two-step", [orders.Key], _temp.File("two-step.osp"));
        using var sc = ServiceCenter("production");

        var stopped = await SolutionPublisher.PublishAsync(sc, package, new SolutionPublishOptions { TwoStepMode = true }, _reporter);
        Assert.Equal(DeploymentStatuses.NeedsUserIntervention, stopped.Status);
        Assert.Contains(_reporter.Warnings, w => w.Contains("continue"));

        var continued = await SolutionPublisher.PublishAsync(sc, package, new SolutionPublishOptions { TwoStepMode = true, ContinueAfterPrepared = true }, _reporter);
        Assert.True(continued.Succeeded, continued.Status);
    }

    [Fact]
    public async Task Publishes_a_solution_through_lifetime_binary_deployment()
    {
        using var lt = LifeTime();
        var quality = await lt.ResolveEnvironmentAsync("Quality");
        var orders = await lt.ResolveApplicationAsync("Orders");
        var package = await lt.BuildAndDownloadSolutionAsync(quality.Key, "orders", [orders.Key], _temp.File("orders.osp"));
        var result = await SolutionPublisher.PublishAsync(lt, "Production", package, null, _reporter);
        Assert.Equal("LifeTime", result.Via);
        Assert.Equal(DeploymentStatuses.FinishedSuccessful, result.Status);
        Assert.Equal("1.2.0", await RunningVersion(lt, "Production", "Orders"));
    }

    [Fact]
    public async Task A_failing_solution_publish_is_aborted_or_reported_with_its_messages()
    {
        using var lt = LifeTime();
        var production = await lt.ResolveEnvironmentAsync("Production");
        var orders = await lt.ResolveApplicationAsync("Orders");
        var package = await lt.BuildAndDownloadSolutionAsync(production.Key, "s", [orders.Key], _temp.File("s.osp"));
        _sandbox.Control.SetNextDeploymentOutcome(RunOutcome.FinishedWithErrors);
        using var sc = ServiceCenter("production");
        var result = await SolutionPublisher.PublishAsync(sc, package, null, _reporter);
        Assert.False(result.Succeeded);
        Assert.True(result.ErrorCount > 0);
    }

    [Fact]
    public async Task A_wrong_service_center_password_is_rejected_clearly()
    {
        using var sc = ServiceCenter(password: "#wrong-PASSWORD-1");
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => sc.GetModulesAsync());
        Assert.Equal("ServiceCenterLoginRejected", error.ErrorId);
        Assert.DoesNotContain("wrong-PASSWORD", error.ToString());
    }

    [Fact]
    public async Task Republishes_modules_wave_by_wave_with_one_staging_per_wave()
    {
        using var sc = ServiceCenter("production");
        var entries = new[]
        {
            new ModuleOrderEntry { Name = "Common_Lib", Wave = 1 },
            new ModuleOrderEntry { Name = "Logging_Ext", Wave = 1, Kind = ModuleKind.Extension },
            new ModuleOrderEntry { Name = "Common_Utils", Wave = 2 },
            new ModuleOrderEntry { Name = "Auditing_Lib", Wave = 2 },
        };
        var result = await ModuleWavePublisher.PublishAsync(sc, entries, null, _reporter);
        Assert.True(result.Succeeded);
        Assert.Equal(2, result.PublishOperations);
        Assert.Equal(["Common_Lib", "Logging_Ext", "Common_Utils", "Auditing_Lib"], result.PublishedModules);

        var oneByOne = await ModuleWavePublisher.PublishAsync(sc, entries, new ModuleWavePublishOptions { OneModulePerStaging = true }, _reporter);
        Assert.Equal(4, oneByOne.PublishOperations);
    }

    [Fact]
    public async Task Stops_at_the_first_failing_wave_and_lists_what_was_published()
    {
        using var sc = ServiceCenter("production");
        var entries = new[]
        {
            new ModuleOrderEntry { Name = "Common_Lib", Wave = 1 },
            new ModuleOrderEntry { Name = "Common_Utils", Wave = 2 },
            new ModuleOrderEntry { Name = "Auditing_Lib", Wave = 3 },
        };
        // The first publish succeeds; fail the second.
        var first = await ModuleWavePublisher.PublishAsync(sc, entries.Take(1), null, _reporter);
        Assert.True(first.Succeeded);
        var reporter = new FailSecondWave(_sandbox);
        var result = await ModuleWavePublisher.PublishAsync(sc, entries, null, reporter);
        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedWave);
        Assert.Equal(["Common_Lib"], result.PublishedModules);
        Assert.Equal(["Auditing_Lib"], result.NotPublishedModules);
    }

    [Fact]
    public async Task An_unknown_module_publishes_nothing()
    {
        using var sc = ServiceCenter("production");
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => ModuleWavePublisher.PublishAsync(sc, [new ModuleOrderEntry { Name = "Comon_Lib", Wave = 1 }], null, _reporter));
        Assert.Equal("ModuleNotFound", error.ErrorId);
        Assert.Contains("Common_Lib", error.Message);
    }

    [Fact]
    public async Task Suspends_and_resumes_the_sandbox_timers_exactly()
    {
        var target = new SqliteTarget(_sandbox.PlatformDatabase);
        var before = TimerSuspension.Read(target);
        Assert.NotEmpty(before);
        var state = TimerSuspension.Suspend(target, null, _reporter);
        Assert.Equal(before.Count, state.Timers.Count);
        Assert.All(TimerSuspension.Read(target), t => Assert.StartsWith("2999-12-31", t.NextRun));
        var resumed = TimerSuspension.Resume(target, state, _reporter);
        Assert.Equal(before.Count, resumed.Restored.Length);
        Assert.Equal(before.Select(t => t.NextRun), TimerSuspension.Read(target).Select(t => t.NextRun));
    }

    [Fact]
    public void Per_tenant_timers_of_a_multi_tenant_module_are_suspended_and_resumed_to_each_tenants_own_state()
    {
        var target = new SqliteTarget(_sandbox.PlatformDatabase);
        var tenants = TimerSuspension.Read(target).Where(t => t.Name == "SyncTechnicianRoutes").ToList();
        Assert.Equal(new long?[] { 1, 2, 3 }, tenants.Select(t => t.TenantId));
        Assert.Equal(3, tenants.Select(t => t.NextRun).Distinct().Count());
        Assert.Contains(TimerSuspension.Read(target), t => t.TenantId is null);

        var state = TimerSuspension.Suspend(target, ["SyncTechnicianRoutes"], _reporter);
        Assert.Equal(["SyncTechnicianRoutes (tenant 1)", "SyncTechnicianRoutes (tenant 2)", "SyncTechnicianRoutes (tenant 3)"], state.Timers.Select(t => t.Label));
        Assert.All(TimerSuspension.Read(target).Where(t => t.Name == "SyncTechnicianRoutes"), t => Assert.StartsWith("2999-12-31", t.NextRun));
        Assert.DoesNotContain(TimerSuspension.Read(target).Where(t => t.TenantId is null), t => t.NextRun!.StartsWith("2999", StringComparison.Ordinal));

        var path = Path.Combine(Path.GetTempPath(), $"osr-tenant-timers-{Guid.NewGuid():N}.json");
        try
        {
            state.Save(path);
            var resumed = TimerSuspension.Resume(target, TimerSuspensionState.Load(path), _reporter);
            Assert.Equal(3, resumed.Restored.Length);
        }
        finally { File.Delete(path); }
        Assert.Equal(tenants.Select(t => (t.TenantId, t.NextRun)), TimerSuspension.Read(target).Where(t => t.Name == "SyncTechnicianRoutes").Select(t => (t.TenantId, t.NextRun)));
    }

    /// <summary>Sets the next publish to fail when the second wave starts (a reporter sees each wave's first progress).</summary>
    [Fact]
    public async Task A_wave_whose_staging_is_refused_fails_and_names_what_was_and_was_not_published()
    {
        using var sc = ServiceCenter("production");
        var entries = new[]
        {
            new ModuleOrderEntry { Name = "Common_Lib", Wave = 1 },
            new ModuleOrderEntry { Name = "Common_Utils", Wave = 2 },
            new ModuleOrderEntry { Name = "Auditing_Lib", Wave = 3 },
        };
        var reporter = new RefuseSecondWave(_sandbox);

        var result = await ModuleWavePublisher.PublishAsync(sc, entries, null, reporter);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedWave);
        Assert.Equal(["Common_Lib"], result.PublishedModules);
        Assert.Equal(["Common_Utils"], result.FailedModules);
        Assert.Equal(["Auditing_Lib"], result.NotPublishedModules);
        var refused = result.Waves[^1];
        Assert.Equal(ModuleWavePublisher.Refused, refused.Status);
        Assert.Equal(0, refused.PublishId);
        Assert.Contains(refused.Messages, m => m.Message.Contains("is being published by another staging", StringComparison.Ordinal));
        Assert.Contains(reporter.Warnings, w => w.Contains("Wave 2 ended refused", StringComparison.Ordinal) && w.Contains("Already published: Common_Lib", StringComparison.Ordinal));
        Assert.Equal(2, result.PublishOperations);                 // the third wave was never staged
    }

    private sealed class RefuseSecondWave(SandboxHost sandbox) : IOperationReporter
    {
        public List<string> Warnings { get; } = [];
        public void Verbose(string message) { }
        public void Warning(string message) => Warnings.Add(message);
        public void Progress(ProgressUpdate update)
        {
            if (update.Status.StartsWith("Wave 2:", StringComparison.Ordinal)) sandbox.Control.RefuseNextStaging("Module Common_Utils is being published by another staging");
        }
    }

    private sealed class FailSecondWave(SandboxHost sandbox) : IOperationReporter
    {
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public void Progress(ProgressUpdate update)
        {
            if (update.Status.StartsWith("Wave 2:", StringComparison.Ordinal)) sandbox.Control.SetNextDeploymentOutcome(RunOutcome.FinishedWithErrors);
        }
    }
}

/// <summary>Aborting, and secrets in everything the engine reports.</summary>
public sealed class SandboxAbortAndSecretTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SandboxHost _sandbox = null!;
    private const string Token = "abort-TOKEN-5a5a5a5a5a";
    private const string Password = "#abort-PASSWORD-7b7b7b";

    public async Task InitializeAsync() =>
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { DataDirectory = _temp.File("data"), Pace = TimeSpan.FromSeconds(2), Token = Token, ServiceCenterPassword = Password });

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _temp.Dispose();
    }

    private static PlatformHttpOptions Fast() => new()
    {
        Polling = new PollingPolicy { InitialInterval = TimeSpan.FromMilliseconds(20), MaxInterval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMinutes(2) },
    };

    [Fact]
    public async Task A_running_deployment_is_aborted()
    {
        using var client = new LifeTimeClient(new LifeTimeConnection(_sandbox.Url, SecretText.FromPlainText(Token), Fast()));
        var environments = await client.GetEnvironmentsAsync();
        var orders = await client.ResolveApplicationAsync("Orders");
        var version = (await client.GetApplicationVersionsAsync(orders.Key)).Single(v => v.Version == "1.0.0");
        var key = await client.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            SourceEnvironmentKey = environments[1].Key, TargetEnvironmentKey = environments[2].Key,
            ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = version.Key }],
        });
        await client.StartDeploymentAsync(key);
        await client.AbortDeploymentAsync(key);
        var reporter = new RecordingReporter();
        var result = await new ApplicationDeployer(client).ResumeAsync(key, false, reporter);
        Assert.Equal(DeploymentStatuses.Aborted, result.DeploymentStatus);
    }

    [Fact]
    public async Task No_secret_reaches_the_reporter_or_the_results()
    {
        var reporter = new RecordingReporter();
        using var lt = new LifeTimeClient(new LifeTimeConnection(_sandbox.Url, SecretText.FromPlainText(Token), Fast()));
        using var sc = new ServiceCenterClient(new ServiceCenterConnection($"{_sandbox.Url}/production", _sandbox.ServiceCenterUser, SecretText.FromPlainText(Password), Fast()));
        var orders = await lt.ResolveApplicationAsync("Orders");
        var version = (await lt.GetApplicationVersionsAsync(orders.Key)).Single(v => v.Version == "1.0.0");
        var deployment = await new ApplicationDeployer(lt).DeployAsync("Quality", "Production", [version.Key], null, reporter);
        var modules = await ModuleWavePublisher.PublishAsync(sc, [new ModuleOrderEntry { Name = "Common_Lib", Wave = 1 }], null, reporter);
        var everything = string.Join("\n", reporter.Verboses.Concat(reporter.Warnings).Concat(reporter.ProgressUpdates.Select(p => p.Activity + " " + p.Status)))
            + System.Text.Json.JsonSerializer.Serialize(deployment) + System.Text.Json.JsonSerializer.Serialize(modules)
            + System.Text.Json.JsonSerializer.Serialize(lt.Connection) + System.Text.Json.JsonSerializer.Serialize(sc.Connection);
        Assert.NotEmpty(reporter.Verboses);
        Assert.DoesNotContain(Token, everything);
        Assert.DoesNotContain(Password, everything);
    }
}
