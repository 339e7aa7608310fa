using System.Globalization;
using System.Net;
using System.Text.Json;

namespace OsRollback.Sandbox.Tests;

public class DeploymentTests : SandboxTestBase
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_plan_with_the_same_source_and_target_is_refused()
    {
        var (status, text) = await Send(HttpMethod.Post, LifeTime + "deployments/", new
        {
            Notes = "rollback", SourceEnvironmentKey = Env("Production").Key, TargetEnvironmentKey = Env("Production").Key,
            ApplicationOperations = new[] { new { ApplicationVersionKey = Tag("Orders", "1.0.0").Key } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var body = JsonDocument.Parse(text);
        Assert.Equal(400, body.RootElement.GetProperty("StatusCode").GetInt32());
        Assert.Contains("same", body.RootElement.GetProperty("Errors")[0].GetString());
    }

    [Fact]
    public async Task A_deployment_goes_from_saved_to_running_to_finished_and_publishes_the_version_with_its_schema()
    {
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        var (_, plan, _) = await Get(LifeTime + $"deployments/{key}/");
        Assert.Equal(["Deployment", "ApplicationsToDeploy", "ApplicationsToRedeploy", "ApplicationConflicts", "ModulesToDelete"], Names(plan));
        var deployment = plan.GetProperty("Deployment");
        foreach (var field in new[] { "Key", "SourceEnvironmentKey", "TargetEnvironmentKey", "Notes", "CreatedOn", "StartedOn", "ApplicationOperations" })
            Assert.Contains(field, Names(deployment));
        Assert.Equal(Tag("Orders", "1.2.0").Key, deployment.GetProperty("ApplicationOperations")[0].GetProperty("ApplicationVersionKey").GetString());
        Assert.Empty(plan.GetProperty("ApplicationConflicts").EnumerateArray());
        Assert.Equal("saved", (await Status(key)).GetProperty("DeploymentStatus").GetString());
        Assert.Equal(0, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM sqlite_master WHERE name = 'OSUSR_ORD_DISCOUNT_RULE'"), CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/")).Status);
        var running = await Status(key);
        Assert.Equal("running", running.GetProperty("DeploymentStatus").GetString());
        Assert.Equal(["DeploymentStatus", "Info", "DeploymentLog"], Names(running));
        Assert.Equal(["Instant", "Message", "Type"], Names(running.GetProperty("DeploymentLog")[0]));
        Assert.Equal("1.1.0", await RunningTag("Production", "Orders"));

        // Only one running plan per target.
        var second = await CreatePlan("Quality", "Production", Tag("Reporting", "1.2.0"));
        var (refused, text) = await Send(HttpMethod.Post, LifeTime + $"deployments/{second}/start/");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("already running", text);
        // Only saved plans can be deleted.
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Delete, LifeTime + $"deployments/{key}/")).Status);

        Clock.Advance(Step * 3);
        var finished = await Status(key);
        Assert.Equal("finished_successful", finished.GetProperty("DeploymentStatus").GetString());
        Assert.Contains(finished.GetProperty("DeploymentLog").EnumerateArray(), m => m.GetProperty("Message").GetString()!.Contains("Orders_CS"));
        Assert.Equal("1.2.0", await RunningTag("Production", "Orders"));
        Assert.Equal(1, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM sqlite_master WHERE name = 'OSUSR_ORD_DISCOUNT_RULE'"), CultureInfo.InvariantCulture));
        Assert.Equal(1, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM pragma_table_info('OSUSR_ORD_ORDER') WHERE name = 'DISCOUNT_CODE'"), CultureInfo.InvariantCulture));
        Assert.Equal(3, Convert.ToInt32(Scalar("Production", "SELECT v.VERSION FROM OSSYS_ESPACE e JOIN OSSYS_ESPACE_VERSION v ON v.ID = e.VERSION_ID WHERE e.NAME = 'Orders_CS'"), CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.InternalServerError, await Page("production", "orders"));

        // The saved second plan can now start, and a saved plan can be deleted.
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, LifeTime + $"deployments/{second}/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(LifeTime + $"deployments/{second}/")).Status);
    }

    [Fact]
    public async Task Rolling_back_republishes_the_older_version_and_leaves_the_new_schema_inactive()
    {
        await Deploy("Quality", "Production", Tag("Orders", "1.2.0"));
        Assert.Equal(HttpStatusCode.InternalServerError, await Page("production", "orders"));
        await Deploy("Quality", "Production", Tag("Orders", "1.1.0"));
        Assert.Equal("1.1.0", await RunningTag("Production", "Orders"));
        Assert.Equal(HttpStatusCode.OK, await Page("production", "orders"));
        Assert.Equal(1, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM sqlite_master WHERE name = 'OSUSR_ORD_DISCOUNT_RULE'"), CultureInfo.InvariantCulture));
        Assert.Equal(0, Convert.ToInt32(Scalar("Production", "SELECT IS_ACTIVE FROM OSSYS_ENTITY WHERE PHYSICAL_TABLE_NAME = 'OSUSR_ORD_DISCOUNT_RULE'"), CultureInfo.InvariantCulture));
        Assert.Equal(0, Convert.ToInt32(Scalar("Production", "SELECT IS_ACTIVE FROM OSSYS_ENTITY_ATTR WHERE DATABASE_NAME = 'DISCOUNT_CODE'"), CultureInfo.InvariantCulture));
        Assert.Equal(1, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM pragma_table_info('OSUSR_ORD_ORDER') WHERE name = 'DISCOUNT_CODE'"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_fix_release_1_2_1_keeps_the_discount_code_and_user_writes_no_longer_produce_DISC_ERR()
    {
        await Deploy("Quality", "Production", Tag("Orders", "1.2.0"));
        await Deploy("Quality", "Production", Tag("Orders", "1.1.0"));
        await Deploy("Development", "Production", Tag("Orders", Model.SeedFactory.FixTag));
        Assert.Equal(Model.SeedFactory.FixTag, await RunningTag("Production", "Orders"));
        Assert.Equal(HttpStatusCode.OK, await Page("production", "orders"));
        Assert.Equal(1, Convert.ToInt32(Scalar("Production", "SELECT IS_ACTIVE FROM OSSYS_ENTITY_ATTR WHERE DATABASE_NAME = 'DISCOUNT_CODE'"), CultureInfo.InvariantCulture));
        using var client = new HttpClient();
        var response = await client.PostAsync($"{Sandbox.Url}/production/orders/api/traffic?rows=30", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_plan_that_leaves_a_consumer_without_its_producer_has_conflicts_and_cannot_start()
    {
        var key = await CreatePlan("Quality", "Production", Tag("Customer Portal", "1.2.0"));
        var (_, plan, _) = await Get(LifeTime + $"deployments/{key}/");
        var conflict = plan.GetProperty("ApplicationConflicts").EnumerateArray().Single();
        Assert.Contains("Customers Core", conflict.GetProperty("Message").GetString());
        var module = conflict.GetProperty("ModuleConflict");
        foreach (var field in new[] { "ProducerModuleKey", "ConsumerModuleKey", "ConflictType" }) Assert.Contains(field, Names(module));
        Assert.Equal(Catalog.ModuleByName("Customers_BL")!.Key, module.GetProperty("ProducerModuleKey").GetString());
        var (status, text) = await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("conflicts", text);

        // Rolling the producer back alone in Quality conflicts too; with the consumer it does not.
        var producerOnly = await CreatePlan("Development", "Quality", Tag("Customers Core", "1.1.0"));
        Assert.Single((await Get(LifeTime + $"deployments/{producerOnly}/")).Body.GetProperty("ApplicationConflicts").EnumerateArray());
        var both = await CreatePlan("Development", "Quality", Tag("Customers Core", "1.1.0"), Tag("Customer Portal", "1.1.0"));
        Assert.Empty((await Get(LifeTime + $"deployments/{both}/")).Body.GetProperty("ApplicationConflicts").EnumerateArray());
    }

    [Fact]
    public async Task A_deployment_told_to_need_intervention_waits_for_continue()
    {
        await Send(HttpMethod.Post, "_sandbox/deployment-outcome", new { outcome = "needs_user_intervention" });
        var key = await CreatePlan("Quality", "Production", Tag("Billing", "1.2.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(Step * 5);
        var waiting = await Status(key);
        Assert.Equal("needs_user_intervention", waiting.GetProperty("DeploymentStatus").GetString());
        Assert.Equal("deployment_prepared", waiting.GetProperty("Info").GetString());
        Assert.Equal("1.1.0", await RunningTag("Production", "Billing"));
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/continue/")).Status);
        Clock.Advance(Step * 2);
        Assert.Equal("finished_successful", (await Status(key)).GetProperty("DeploymentStatus").GetString());
        Assert.Equal("1.2.0", await RunningTag("Production", "Billing"));
        Assert.Equal(1, Convert.ToInt32(Scalar("Production", "SELECT COUNT(*) FROM pragma_table_info('OSUSR_BIL_INVOICE') WHERE name = 'DUE_REMINDER_SENT'"), CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/continue/")).Status);
    }

    [Fact]
    public async Task A_waiting_deployment_can_be_aborted_and_changes_nothing()
    {
        await Send(HttpMethod.Post, "_sandbox/deployment-outcome", new { outcome = "needs_user_intervention", info = "deployment_suspended" });
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(Step * 5);
        Assert.Equal("deployment_suspended", (await Status(key)).GetProperty("Info").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/abort/")).Status);
        Assert.Equal("aborted", (await Status(key)).GetProperty("DeploymentStatus").GetString());
        Assert.Equal("1.1.0", await RunningTag("Production", "Orders"));
        var (_, plan, _) = await Get(LifeTime + $"deployments/{key}/");
        Assert.NotEqual("1900-01-01T00:00:00", plan.GetProperty("Deployment").GetProperty("AbortedOn").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/jump/")).Status);
    }

    [Fact]
    public async Task A_deployment_told_to_fail_finishes_with_errors_and_publishes_nothing()
    {
        await Send(HttpMethod.Post, "_sandbox/deployment-outcome", new { outcome = "finished_with_errors" });
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(Step * 5);
        var status = await Status(key);
        Assert.Equal("finished_with_errors", status.GetProperty("DeploymentStatus").GetString());
        Assert.Contains(status.GetProperty("DeploymentLog").EnumerateArray(), m => m.GetProperty("Type").GetString() == "Error");
        Assert.Equal("1.1.0", await RunningTag("Production", "Orders"));
    }

    [Fact]
    public async Task Maintenance_mode_blocks_starting_a_deployment()
    {
        var production = Env("Production").Key;
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, LifeTime + $"environments/{production}/maintenancemode", new { IsMaintenanceModeEnabled = true, Reason = "rollback" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Put, LifeTime + $"environments/{production}/maintenancemode", new { Reason = "no flag" })).Status);
        var key = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        var (status, text) = await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("maintenance", text);                  // the reason only with IncludeErrorDetails (Swagger)
        (status, text) = await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/?IncludeErrorDetails=true");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("maintenance", text);
        var (_, state, _) = await Get("_sandbox/state");
        Assert.True(state.GetProperty("environments")[2].GetProperty("maintenanceMode").GetBoolean());
        await Send(HttpMethod.Put, LifeTime + $"environments/{production}/maintenancemode", new { IsMaintenanceModeEnabled = false, Reason = "" });
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/")).Status);
    }

    [Fact]
    public async Task Deployments_list_newest_first_filtered_by_target_and_dates()
    {
        var first = await CreatePlan("Quality", "Production", Tag("Orders", "1.2.0"));
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await CreatePlan("Development", "Quality", Tag("Orders", "1.1.0"));
        var (_, all, _) = await Get(LifeTime + "deployments/");
        Assert.Equal([second, first], all.EnumerateArray().Select(d => d.GetProperty("Key").GetString()));
        var (_, production, _) = await Get(LifeTime + $"deployments/?TargetEnvironmentKey={Env("Production").Key}");
        Assert.Equal([first], production.EnumerateArray().Select(d => d.GetProperty("Key").GetString()));
        var tomorrow = Clock.GetUtcNow().AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.NoContent, (await Get(LifeTime + $"deployments/?MinDate={tomorrow}")).Status);
        var today = Clock.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(2, (await Get(LifeTime + $"deployments/?MinDate={today}")).Body.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await Get(LifeTime + "deployments/?MinDate=yesterday")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Get(LifeTime + $"deployments/?MinDate={Uri.EscapeDataString(Clock.GetUtcNow().ToString("O"))}")).Status);
    }

    [Fact]
    public async Task Deployments_move_on_between_requests_too()
    {
        var key = await CreatePlan("Quality", "Production", Tag("Reporting", "1.2.0"));
        await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/");
        Clock.Advance(Step * 5);
        Assert.Equal(3, Convert.ToInt32(Scalar("Production", "SELECT v.VERSION FROM OSSYS_ESPACE e JOIN OSSYS_ESPACE_VERSION v ON v.ID = e.VERSION_ID WHERE e.NAME = 'Reporting'"), CultureInfo.InvariantCulture));
    }

    private async Task Deploy(string source, string target, params Model.AppVersionDef[] versions)
    {
        var key = await CreatePlan(source, target, versions);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, LifeTime + $"deployments/{key}/start/")).Status);
        Clock.Advance(Step * 5);
        Assert.Equal("finished_successful", (await Status(key)).GetProperty("DeploymentStatus").GetString());
    }
}
