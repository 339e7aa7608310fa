using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox.Tests;

public class SandboxBehaviourTests : SandboxTestBase
{
    [Fact]
    public async Task Count_limited_faults_fail_then_stop_and_429_carries_Retry_After()
    {
        var (added, _) = await Send(HttpMethod.Post, "_sandbox/faults", new { pathPattern = "/lifetimeapi/rest/v2/applications*", errorRate = 1.0, statusCode = 503, count = 2 });
        Assert.Equal(HttpStatusCode.Created, added);
        for (var i = 0; i < 2; i++)
        {
            var (status, body, response) = await Get(LifeTime + "applications/");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(503, body.GetProperty("StatusCode").GetInt32());
            Assert.NotNull(response.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.OK, (await Get(LifeTime + "applications/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get(LifeTime + "environments/")).Status);

        Sandbox.Control.AddFault(new FaultRule { PathPattern = "/lifetimeapi/rest/v2/environments/", StatusCode = 429, RetryAfterSeconds = 7, Count = 1 });
        var (throttled, _, throttledResponse) = await Get(LifeTime + "environments/");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled);
        Assert.Equal(TimeSpan.FromSeconds(7), throttledResponse.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "_sandbox/faults")).Status);
        Assert.Empty(Sandbox.Control.Faults);
    }

    [Fact]
    public async Task An_error_rate_fails_some_requests_deterministically_and_control_endpoints_are_never_faulted()
    {
        Sandbox.Control.AddFault(new FaultRule { PathPattern = "*", ErrorRate = 0.5, StatusCode = 500 });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) statuses.Add((await Get(LifeTime + "environments/")).Status);
        Assert.Contains(HttpStatusCode.InternalServerError, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Equal(HttpStatusCode.OK, (await Get("_sandbox/state")).Status);
    }

    [Fact]
    public async Task A_latency_only_rule_delays_without_failing_and_counts_its_hits()
    {
        Sandbox.Control.AddFault(new FaultRule { PathPattern = "/lifetimeapi/rest/v2/modules/", ErrorRate = 0, LatencyMs = 1, Count = 2, Method = "GET" });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await Get(LifeTime + "modules/")).Status);
        var (_, state, _) = await Get("_sandbox/state");
        Assert.Equal(2, state.GetProperty("faults")[0].GetProperty("hits").GetInt32());
    }

    [Fact]
    public async Task Request_counters_by_route_are_in_the_state()
    {
        await Send(HttpMethod.Delete, "_sandbox/requests");
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        await Status(key);
        await Status(key);
        var (_, state, _) = await Get("_sandbox/state");
        var byRoute = state.GetProperty("requests").GetProperty("byRoute");
        Assert.Equal(2, byRoute.GetProperty("GET /lifetimeapi/rest/v2/deployments/{DeploymentKey}/status/").GetInt64());
        Assert.Equal(1, byRoute.GetProperty("POST /lifetimeapi/rest/v2/deployments/").GetInt64());
        Assert.True(state.GetProperty("requests").GetProperty("total").GetInt64() >= 4);
        var deployment = state.GetProperty("deployments")[0];
        Assert.Equal("saved", deployment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_restored_platform_database_is_seen_at_the_next_request()
    {
        var path = Sandbox.PlatformDatabase;
        var backup = Path.Combine(DataDirectory, "before-deploy.db");
        Copy(path, backup);
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("finished_successful", (await Status(key)).GetProperty("DeploymentStatus").GetString());
        Assert.Equal("1.2.0", await RunningTag("Production", "Orders"));
        Assert.Equal(HttpStatusCode.InternalServerError, await Page("production", "orders"));

        Copy(backup, path);
        Assert.Equal("1.1.0", await RunningTag("Production", "Orders"));
        Assert.Equal(HttpStatusCode.OK, await Page("production", "orders"));
        Assert.Equal(0, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM sqlite_master WHERE name = 'OSUSR_ORD_DISCOUNT_RULE'"), CultureInfo.InvariantCulture));

        static void Copy(string from, string to)
        {
            using var source = new SqliteConnection($"Data Source={from};Pooling=False");
            using var target = new SqliteConnection($"Data Source={to};Pooling=False");
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
    }

    [Fact]
    public async Task A_binary_deployment_takes_a_package_and_runs_like_a_plan()
    {
        var production = Env("Production").Key;
        var package = SolutionPackage.Build([Tag("Products Core", "1.2.0")], Tag("Products Core", "1.2.0").ModuleVersions);
        using var content = new ByteArrayContent(package);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await Client.PostAsync(LifeTime + $"environments/{production}/deployment/", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);   // a plain key, as the official client reads it
        var key = (await response.Content.ReadAsStringAsync()).Trim();
        var (_, plan, _) = await Get(LifeTime + $"deployments/{key}/");
        Assert.Equal("", plan.GetProperty("Deployment").GetProperty("SourceEnvironmentKey").GetString());
        Assert.Equal("Products Core", plan.GetProperty("ApplicationsToDeploy")[0].GetProperty("ApplicationName").GetString());
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("finished_successful", (await Status(key)).GetProperty("DeploymentStatus").GetString());
        Assert.Equal("1.2.0", await RunningTag("Production", "Products Core"));
        Assert.Equal(1, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM sqlite_master WHERE name = 'OSUSR_PRD_PRODUCT_REVIEW'"), CultureInfo.InvariantCulture));

        using var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync(LifeTime + $"environments/{production}/deployment/", json)).StatusCode);
        using var junk = new ByteArrayContent("junk"u8.ToArray());
        junk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync(LifeTime + $"environments/{production}/deployment/", junk)).StatusCode);
    }

    [Fact]
    public async Task A_solution_is_built_polled_and_downloaded()
    {
        var production = Env("Production").Key;
        var (created, key) = await Send(HttpMethod.Post, LifeTime + $"environments/{production}/solution",
            new { SolutionName = "Before release", ApplicationKeys = new[] { App("Orders").Key }, IncludeReferences = true });
        Assert.Equal(HttpStatusCode.OK, created);                                     // the Swagger documents 200
        var (_, status, _) = await Get(LifeTime + $"environments/{production}/solutionstatus/{key}");
        Assert.Equal(JsonValueKind.Object, status.ValueKind);                         // objects, as the official client reads them (arrays in the Swagger: an option)
        Assert.Equal("Created", status.GetProperty("Status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Get(LifeTime + $"environments/{production}/solution/{key}")).Status);
        var seen = new List<string> { "Created" };
        while (seen[^1] != "Completed" && seen.Count < 20)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            (_, status, _) = await Get(LifeTime + $"environments/{production}/solutionstatus/{key}");
            Assert.Equal(["Status", "StatusReason"], Names(status));
            seen.Add(status.GetProperty("Status").GetString()!);
            if (seen[^1] != "Completed") // the link answers 400 until the package is complete (official client)
                Assert.Equal(HttpStatusCode.BadRequest, (await Get(LifeTime + $"environments/{production}/solution/{key}")).Status);
        }
        Assert.Equal(["Created", "Ready", "Gathering Dependencies", "Getting Binaries", "Generating Meta Model", "Generating Solution", "Completed"], seen.ToArray());
        var (_, link, _) = await Get(LifeTime + $"environments/{production}/solution/{key}");
        Assert.Equal(["url", "expires"], Names(link));                               // what the official client reads (response["url"])
        using var anonymous = new HttpClient();
        using var zip = new ZipArchive(new MemoryStream(await anonymous.GetByteArrayAsync(link.GetProperty("url").GetString())));
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        var apps = manifest.RootElement.GetProperty("applications").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.Contains("Orders", apps);
        Assert.Contains("Customers Core", apps);
        Assert.Equal("1.1.0", manifest.RootElement.GetProperty("applications").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Orders").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Traffic_writes_rows_and_the_bad_version_writes_bad_data()
    {
        using var client = new HttpClient();
        var response = await client.PostAsync($"{Sandbox.Url}/quality/orders/api/traffic?rows=6", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var written = (await Json(response)).GetProperty("written").EnumerateArray().ToList();
        Assert.Equal(6, written.Count);
        Assert.Contains(written, w => w.GetProperty("operation").GetString() == "update");
        Assert.True(Convert.ToInt32(Scalar("Quality", "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"), CultureInfo.InvariantCulture) > 0);
        var production = await client.PostAsync($"{Sandbox.Url}/production/orders/api/traffic?rows=3", null);
        Assert.Equal(HttpStatusCode.OK, production.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"{Sandbox.Url}/production/customerscore/api/traffic", null)).StatusCode);
    }

    [Fact]
    public async Task Pages_answer_with_the_running_version_in_the_title()
    {
        using var client = new HttpClient();
        var html = await client.GetStringAsync($"{Sandbox.Url}/production/backoffice/");
        Assert.Contains("<title>Backoffice 1.1.0</title>", html);
        Assert.Equal(HttpStatusCode.InternalServerError, await Page("quality", "orders"));
        Assert.Equal(HttpStatusCode.NotFound, await Page("production", "nothing"));
    }

    [Fact]
    public void The_module_order_reader_reads_the_sandbox_platform_database()
    {
        using var connection = new SqliteConnection($"Data Source={Sandbox.PlatformDatabase};Pooling=False");
        connection.Open();
        var modules = MetamodelGraphReader.Read(connection, "sandbox", NullReporter.Instance);
        Assert.True(modules.Count >= 40);
        Assert.Equal(Catalog.Modules.Count(), modules.Count);
        Assert.Contains(modules.Single(m => m.Name == "Customers_BL").DependsOn, p => p == "Billing_BL");
        Assert.Contains(modules.Single(m => m.Name == "Billing_BL").DependsOn, p => p == "Customers_BL");
        Assert.Equal("Orders", modules.Single(m => m.Name == "Orders_CS").Application);
        Assert.Equal(ModuleKind.Extension, modules.Single(m => m.Name == "Common_Ext").Kind);
        Assert.True(Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM OSSYS_META_CYCLIC_JOB m JOIN OSSYS_CYCLIC_JOB_SHARED s ON s.META_CYCLIC_JOB_ID = m.ID"), CultureInfo.InvariantCulture) >= 6);
        Assert.True(Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM OSUSR_CUS_CUSTOMER"), CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Due_timers_run_unless_their_next_run_was_moved_away()
    {
        using (var connection = new SqliteConnection($"Data Source={Sandbox.PlatformDatabase};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE OSSYS_CYCLIC_JOB_SHARED SET NEXT_RUN = '2999-01-01 00:00:00' WHERE META_CYCLIC_JOB_ID IN (SELECT ID FROM OSSYS_META_CYCLIC_JOB WHERE NAME = 'SyncVisits')";
            command.ExecuteNonQuery();
        }
        var audit = Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM OSUSR_AUD_AUDIT_LOG"), CultureInfo.InvariantCulture);
        Clock.Advance(TimeSpan.FromMinutes(20));
        await Get(LifeTime + "environments/");
        var (_, state, _) = await Get("_sandbox/state");
        var production = state.GetProperty("timerRuns").EnumerateArray().Where(r => r.GetProperty("environment").GetString() == "Production")
            .Select(r => r.GetProperty("timer").GetString()).ToList();
        Assert.Contains("CloseStaleOrders", production);
        Assert.DoesNotContain("SyncVisits", production);
        Assert.Contains("SyncVisits", state.GetProperty("timerRuns").EnumerateArray().Where(r => r.GetProperty("environment").GetString() == "Quality").Select(r => r.GetProperty("timer").GetString()));
        Assert.True(Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM OSUSR_AUD_AUDIT_LOG"), CultureInfo.InvariantCulture) > audit);
        Assert.Equal("2999-01-01 00:00:00", Scalar("Production", "SELECT s.NEXT_RUN FROM OSSYS_CYCLIC_JOB_SHARED s JOIN OSSYS_META_CYCLIC_JOB m ON m.ID = s.META_CYCLIC_JOB_ID WHERE m.NAME = 'SyncVisits'"));
    }

    [Fact]
    public void The_command_line_needs_a_data_directory_and_the_token_from_the_environment()
    {
        Assert.Throws<ArgumentException>(() => SandboxProgram.Parse(["--port", "0"], out _));
        Assert.Throws<ArgumentException>(() => SandboxProgram.Parse(["--data-dir", DataDirectory, "--bogus"], out _));
        Environment.SetEnvironmentVariable(SandboxProgram.TokenVariable, "from-env");
        try
        {
            var options = SandboxProgram.Parse(["--data-dir", DataDirectory, "--pace-ms", "5", "--publish-latency-ms", "100", "--two-step", "Production",
                "--fault", """{"pathPattern":"/x*","statusCode":429,"count":1}"""], out _);
            Assert.Equal("from-env", options.Token);
            Assert.Equal(TimeSpan.FromMilliseconds(100), options.PublishLatency);
            Assert.Equal(429, options.Faults.Single().StatusCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SandboxProgram.TokenVariable, null);
        }
    }

}

public class PublishLatencyTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.PublishLatency = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_publish_takes_the_fixed_publish_latency()
    {
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("running", (await Status(key)).GetProperty("DeploymentStatus").GetString());
        Clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal("finished_successful", (await Status(key)).GetProperty("DeploymentStatus").GetString());
    }
}

public class TwoStepEnvironmentTests : SandboxTestBase
{
    protected override void Configure(SandboxOptions options) => options.TwoStepEnvironments.Add("Production");

    [Fact]
    public async Task Deployments_to_a_two_step_environment_stop_after_stage_one()
    {
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(TimeSpan.FromSeconds(10));
        var status = await Status(key);
        Assert.Equal("needs_user_intervention", status.GetProperty("DeploymentStatus").GetString());
        Assert.Equal("deployment_prepared", status.GetProperty("Info").GetString());
        var other = await CreatePlan("Development", "Quality", Tag("Orders", "1.1.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{other}/start/");
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("finished_successful", (await Status(other)).GetProperty("DeploymentStatus").GetString());
    }
}
