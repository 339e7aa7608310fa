using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using OsRollback.Engine.Platform;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>The client speaks the platform contract to the field name (shared/platform-contract.md, docs/sandbox.md).</summary>
public class ContractTests
{
    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public async Task Creating_a_plan_sends_the_documented_body_and_reads_a_plain_text_key()
    {
        var handler = new FakeHandler((_, _, _) => FakeHandler.Text("d-42", HttpStatusCode.Created));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var key = await client.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            Notes = "n", SourceEnvironmentKey = "src", TargetEnvironmentKey = "tgt",
            ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = "v1", DeploymentZoneKey = "z1" }],
        });

        Assert.Equal("d-42", key);
        var request = handler.Requests.Single();
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/lifetimeapi/rest/v2/deployments/", request.Uri.AbsolutePath);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(["Notes", "SourceEnvironmentKey", "TargetEnvironmentKey", "ApplicationOperations"], Names(body.RootElement));
        var operation = body.RootElement.GetProperty("ApplicationOperations")[0];
        Assert.Equal(["ApplicationVersionKey", "DeploymentZoneKey"], Names(operation));
        Assert.Equal("v1", operation.GetProperty("ApplicationVersionKey").GetString());
    }

    [Theory]
    [InlineData("d-1", "d-1")]
    [InlineData("\"d-2\"", "d-2")]
    [InlineData("{\"DeploymentKey\":\"d-3\"}", "d-3")]
    public void Keys_are_read_as_text_json_string_or_object(string body, string key) =>
        Assert.Equal(key, LifeTimeClient.ReadKey(body, "DeploymentKey"));

    [Fact]
    public async Task Commands_paths_queries_and_verbs_follow_the_contract()
    {
        var handler = new FakeHandler((r, _, _) => r.Method == HttpMethod.Get ? FakeHandler.Json("[]") : new HttpResponseMessage(HttpStatusCode.Accepted));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        await client.StartDeploymentAsync("d1", redeployOutdated: false);
        await client.ContinueDeploymentAsync("d1");
        await client.AbortDeploymentAsync("d1");
        await client.DeleteDeploymentAsync("d1");
        await client.SetMaintenanceModeAsync("e1", true, "restore");
        await client.GetApplicationsAsync(includeEnvStatus: true, includeModules: true);
        await client.GetApplicationsAsync(includeEnvStatus: false, includeModules: true); // IncludeModules alone would be a 400
        await client.GetEnvironmentApplicationsAsync("e1", includeModules: true);
        await client.GetApplicationVersionsAsync("a1", 7);
        await client.GetDeploymentsAsync(targetEnvironmentKey: "e3");
        await client.GetModuleVersionsAsync("m1");

        var r = handler.Requests.ToArray();
        Assert.Equal("POST /lifetimeapi/rest/v2/deployments/d1/start/?RedeployOutdated=false&IncludeErrorDetails=true", $"{r[0].Method} {r[0].Uri.PathAndQuery}");
        Assert.Equal("POST /lifetimeapi/rest/v2/deployments/d1/continue/?IncludeErrorDetails=true", $"{r[1].Method} {r[1].Uri.PathAndQuery}");
        Assert.Equal("POST /lifetimeapi/rest/v2/deployments/d1/abort/?IncludeErrorDetails=true", $"{r[2].Method} {r[2].Uri.PathAndQuery}");
        Assert.Equal("DELETE /lifetimeapi/rest/v2/deployments/d1/", $"{r[3].Method} {r[3].Uri.PathAndQuery}");
        Assert.Equal("PUT /lifetimeapi/rest/v2/environments/e1/maintenancemode", $"{r[4].Method} {r[4].Uri.PathAndQuery}");
        using (var body = JsonDocument.Parse(r[4].Body))
        {
            Assert.Equal(["IsMaintenanceModeEnabled", "Reason"], Names(body.RootElement));
            Assert.True(body.RootElement.GetProperty("IsMaintenanceModeEnabled").GetBoolean());
        }
        Assert.Equal("/lifetimeapi/rest/v2/applications/?IncludeModules=true&IncludeEnvStatus=true", r[5].Uri.PathAndQuery);
        Assert.Equal("/lifetimeapi/rest/v2/applications/?IncludeModules=false&IncludeEnvStatus=false", r[6].Uri.PathAndQuery);
        Assert.Equal("/lifetimeapi/rest/v2/environments/e1/applications/?IncludeModules=true&IncludeEnvStatus=true", r[7].Uri.PathAndQuery);
        Assert.Equal("/lifetimeapi/rest/v2/applications/a1/versions/?MaximumVersionsToReturn=7", r[8].Uri.PathAndQuery);
        Assert.Equal("/lifetimeapi/rest/v2/deployments/?TargetEnvironmentKey=e3", r[9].Uri.PathAndQuery);
        Assert.Equal("/lifetimeapi/rest/v2/modules/m1/versions/?MaximumVersionsToReturn=5", r[10].Uri.PathAndQuery);
        Assert.All(r, x => Assert.Equal($"Bearer {Fakes.Token}", x.Authorization));
    }

    [Fact]
    public async Task Resources_are_read_with_the_contract_field_names()
    {
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath switch
        {
            var p when p.EndsWith("/environments/", StringComparison.Ordinal) => FakeHandler.Json("""[{"Key":"e3","Name":"Production","OSVersion":"11.34","Order":3,"HostName":"prd","UseHTTPS":true,"EnvironmentType":"Production","NumberOfFrontEnds":2,"DatabaseProvider":"SqlServer","IsCloudEnvironment":false}]"""),
            var p when p.EndsWith("/applications/", StringComparison.Ordinal) => FakeHandler.Json("""[{"Key":"a1","Name":"Orders","Kind":"WebResponsive","Team":"T","Description":"D","URLPath":"orders","IsSystem":false,"AppStatusInEnvs":[{"EnvironmentKey":"e3","BaseApplicationVersionKey":"v2","BaseApplicationVersionLabel":"1.2","IsModified":false,"ConsistencyStatus":"OK","ModuleStatusInEnvs":[{"ApplicationKey":"a1","EnvironmentKey":"e3","ModuleVersionKey":"mv1","ConsistencyStatus":"OK"}],"DeploymentZoneKey":"z"}]}]"""),
            var p when p.EndsWith("/versions/", StringComparison.Ordinal) => FakeHandler.Json("""[{"Key":"v2","ApplicationKey":"a1","Version":"1.2","ChangeLog":"fix","CreatedOn":"2026-11-20T10:00:00Z","InUse":true,"ModuleVersions":[{"Key":"mv1","ModuleKey":"m1","CreatedOn":"2026-11-20T09:00:00Z","CreatedBy":"dev","GeneralHash":"h"}],"EnvironmentKey":"e1"}]"""),
            var p when p.EndsWith("/status/", StringComparison.Ordinal) => FakeHandler.Json("""{"DeploymentStatus":"needs_user_intervention","Info":"deployment_prepared","DeploymentLog":[{"Instant":"2026-11-20T10:00:00Z","Message":"Prepared","Type":"Info"}]}"""),
            _ => FakeHandler.Json("""{"Deployment":{"Key":"d1","SourceEnvironmentKey":"e2","TargetEnvironmentKey":"e3","ApplicationOperations":[]},"ApplicationsToDeploy":[{"ApplicationKey":"a1"}],"ApplicationsToRedeploy":[],"ApplicationConflicts":[{"Message":"Missing element","ModuleConflict":{"ProducerModuleKey":"p","ConsumerModuleKey":"c","ConflictType":"Producer Element Missing"}}],"ModulesToDelete":[]}"""),
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var environment = Assert.Single(await client.GetEnvironmentsAsync());
        Assert.Equal(("e3", "Production", "11.34", 3, "prd", true, "Production", 2, "SqlServer", false),
            (environment.Key, environment.Name, environment.OSVersion, environment.Order, environment.HostName, environment.UseHTTPS, environment.EnvironmentType, environment.NumberOfFrontEnds, environment.DatabaseProvider, environment.IsCloudEnvironment));
        var app = Assert.Single(await client.GetApplicationsAsync(true, true));
        Assert.Equal(("a1", "Orders", "WebResponsive", "orders"), (app.Key, app.Name, app.Kind, app.URLPath));
        var status = Assert.Single(app.AppStatusInEnvs);
        Assert.Equal(("e3", "v2", "1.2", "OK", "z"), (status.EnvironmentKey, status.BaseApplicationVersionKey, status.BaseApplicationVersionLabel, status.ConsistencyStatus, status.DeploymentZoneKey));
        Assert.Equal("mv1", Assert.Single(status.ModuleStatusInEnvs).ModuleVersionKey);
        var version = Assert.Single(await client.GetApplicationVersionsAsync("a1"));
        Assert.Equal(("v2", "a1", "1.2", "fix", true), (version.Key, version.ApplicationKey, version.Version, version.ChangeLog, version.InUse));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), version.CreatedOn);
        Assert.Equal("h", Assert.Single(version.ModuleVersions).GeneralHash);
        var deployment = await client.GetDeploymentAsync("d1");
        Assert.Equal("a1", Assert.Single(deployment.ApplicationsToDeploy));
        var conflict = Assert.Single(deployment.ApplicationConflicts);
        Assert.Equal(("p", "c", "Producer Element Missing"), (conflict.ModuleConflict!.ProducerModuleKey, conflict.ModuleConflict.ConsumerModuleKey, conflict.ModuleConflict.ConflictType));
        var deploymentStatus = await client.GetDeploymentStatusAsync("d1");
        Assert.Equal((DeploymentStatuses.NeedsUserIntervention, DeploymentStatuses.DeploymentPrepared), (deploymentStatus.DeploymentStatus, deploymentStatus.Info));
        Assert.Equal("Prepared", Assert.Single(deploymentStatus.DeploymentLog).Message);
    }

    [Fact]
    public async Task An_empty_answer_204_is_an_empty_list()
    {
        var handler = new FakeHandler((_, _, _) => new HttpResponseMessage(HttpStatusCode.NoContent));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        Assert.Empty(await client.GetEnvironmentsAsync());
        Assert.Empty(await client.GetDeploymentsAsync());
    }

    [Fact]
    public async Task Binary_deployment_sends_octet_stream_and_reads_the_DeploymentKey()
    {
        var handler = new FakeHandler((_, _, _) => FakeHandler.Json("""{"DeploymentKey":"b-1"}""", HttpStatusCode.Created));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        using var temp = new Support.TempDirectory();
        File.WriteAllBytes(temp.File("s.osp"), [1, 2, 3]);
        Assert.Equal("b-1", await client.DeployBinaryAsync("e3", temp.File("s.osp")));
        var request = handler.Requests.Single();
        Assert.Equal("/lifetimeapi/rest/v2/environments/e3/deployment/", request.Uri.AbsolutePath);
        Assert.Equal("application/octet-stream", request.ContentType);
    }

    [Fact]
    public void A_staging_module_pinned_to_a_version_carries_it_and_others_do_not()
    {
        var text = ServiceCenterSoapWire.StagingBody(
        [
            new ServiceCenterModule { Name = "Orders_CS", Key = "k1", Kind = "eSpace", Version = 2 },
            new ServiceCenterModule { Name = "Orders", Key = "k2", Kind = "eSpace" },
        ]);
        using var body = JsonDocument.Parse(text);
        var modules = body.RootElement.GetProperty("ModulesToPublish");
        Assert.Equal(2, modules[0].GetProperty("REST_Module").GetProperty("Version").GetInt32());
        Assert.Equal(["Name", "Key", "Kind"], Names(modules[1].GetProperty("REST_Module")));
    }
}
