using System.Net;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>
/// Where a real LifeTime or Service Center answers differently from a friendly one (issue 18): each
/// answer, as the Swagger or the official clients show it, and what OsRollback makes of it.
/// </summary>
public class LifeTimeRealityTests
{
    private static HttpResponseMessage Empty(HttpStatusCode status) => new(status);

    [Fact]
    public async Task A_staging_refused_with_publishId_0_is_an_error_that_quotes_every_publication_message()
    {
        var handler = new FakeHandler((_, _, _) => FakeHandler.Json("""
            {"publishId":0,"Messages":[{"REST_PublicationMessage":{"Message":"Module Orders_CS is being published","Detail":"by another staging"}},
                                       {"REST_PublicationMessage":{"Message":"Orders_UI is not active","Detail":""}}]}
            """));
        using var client = Fakes.ServiceCenter(handler, new RecordedDelays());

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.PublishModulesAsync("wave 1", [new ServiceCenterModule { Name = "Orders_CS", Key = "m1", Kind = "eSpace" }]));

        Assert.Equal("ServiceCenterPublishRejected", error.ErrorId);
        Assert.Contains("Module Orders_CS is being published - by another staging", error.Message);
        Assert.Contains("Orders_UI is not active", error.Message);
        Assert.Single(handler.Requests); // sent once; publication 0 is never polled
    }

    [Fact]
    public async Task A_binary_deployment_is_read_before_its_start_and_deleted_when_it_has_conflicts()
    {
        using var temp = new Support.TempDirectory();
        var package = temp.File("before.osp");
        File.WriteAllBytes(package, [80, 75, 3, 4]);
        var handler = new FakeHandler((r, _, _) => (r.Method.Method, r.RequestUri!.AbsolutePath) switch
        {
            ("GET", "/lifetimeapi/rest/v2/environments/") => FakeHandler.Json("""[{"Key":"e3","Name":"Production","Order":3}]"""),
            ("POST", var p) when p.EndsWith("/deployment/", StringComparison.Ordinal) => FakeHandler.Text("bin-1", HttpStatusCode.Created),
            ("GET", "/lifetimeapi/rest/v2/deployments/bin-1/") => FakeHandler.Json("""
                {"Deployment":{"Key":"bin-1"},"ApplicationsToDeploy":[],"ApplicationsToRedeploy":[],"ModulesToDelete":[],
                 "ApplicationConflicts":[{"Message":"Orders needs Customers 1.1","ModuleConflict":{"ProducerModuleKey":"p","ConsumerModuleKey":"c","ConflictType":"Producer Element Missing"}}]}
                """),
            ("DELETE", _) => Empty(HttpStatusCode.NoContent),
            _ => FakeHandler.Json("""{"Errors":["unexpected"],"StatusCode":400}""", HttpStatusCode.BadRequest),
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var error = await Assert.ThrowsAsync<DeploymentConflictException>(() => SolutionPublisher.PublishAsync(client, "Production", package));

        Assert.Contains("Orders needs Customers 1.1", error.Message);
        var calls = handler.Requests.Select(q => $"{q.Method} {q.Uri.AbsolutePath}").ToList();
        Assert.Equal(["GET /lifetimeapi/rest/v2/environments/", "POST /lifetimeapi/rest/v2/environments/e3/deployment/",
            "GET /lifetimeapi/rest/v2/deployments/bin-1/", "DELETE /lifetimeapi/rest/v2/deployments/bin-1/"], calls);
    }

    [Fact]
    public async Task A_refused_read_of_one_version_is_a_clear_error_not_a_missing_version()
    {
        var handler = new FakeHandler((_, _, _) => FakeHandler.Json("""{"Errors":["IncludeModules is required."],"StatusCode":400}""", HttpStatusCode.BadRequest));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetApplicationVersionAsync("a1", "v1"));

        Assert.Equal("ApplicationVersionRequestRefused", error.ErrorId);
        Assert.Contains("IncludeModules is required.", error.Message);
        Assert.EndsWith("?IncludeModules=true", handler.Requests.Single().Uri.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_without_a_binary_answered_204_is_a_clear_error()
    {
        var handler = new FakeHandler((_, _, _) => Empty(HttpStatusCode.NoContent));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        using var temp = new Support.TempDirectory();

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.DownloadApplicationVersionAsync("a1", "v1", temp.File("v1.oap")));

        Assert.Equal("ApplicationVersionPackageUnavailable", error.ErrorId);
        Assert.Equal(OsErrorCategory.ObjectNotFound, error.Category);
        Assert.Contains("HTTP 204", error.Message);
        Assert.False(File.Exists(temp.File("v1.oap")));
    }

    [Fact]
    public async Task Invalid_status_change_on_a_finished_plan_is_not_retried_and_the_status_is_read_instead()
    {
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath.EndsWith("/status/", StringComparison.Ordinal)
            ? FakeHandler.Json("""{"DeploymentStatus":"finished_successful","Info":"","DeploymentLog":[]}""")
            : FakeHandler.Json("""{"Errors":["Invalid status change from Finished to Validating."],"StatusCode":500}""", HttpStatusCode.InternalServerError));
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(handler, delays, maxRetries: 3);

        var detail = await client.GetDeploymentAsync("d1");

        Assert.Equal(1, handler.Requests.Count(q => q.Uri.AbsolutePath == "/lifetimeapi/rest/v2/deployments/d1/"));
        Assert.Empty(delays.Waits);
        Assert.Equal("finished_successful", detail.Deployment.DeploymentStatus);
        Assert.Contains("Invalid status change", detail.DetailUnavailableReason);
        Assert.Empty(detail.ApplicationConflicts);
    }

    [Fact]
    public async Task Invalid_status_change_on_a_plan_that_is_not_finished_is_reported_as_it_came()
    {
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath.EndsWith("/status/", StringComparison.Ordinal)
            ? FakeHandler.Json("""{"DeploymentStatus":"running","Info":"","DeploymentLog":[]}""")
            : FakeHandler.Json("""{"Errors":["Invalid status change"],"StatusCode":500}""", HttpStatusCode.InternalServerError));
        using var client = Fakes.LifeTime(handler, new RecordedDelays(), maxRetries: 3);

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetDeploymentAsync("d1"));

        Assert.Equal("PlatformUnavailable", error.ErrorId);
        Assert.Equal(1, handler.Requests.Count(q => q.Uri.AbsolutePath == "/lifetimeapi/rest/v2/deployments/d1/"));
    }

    [Fact]
    public async Task Other_500_answers_of_reads_are_still_retried()
    {
        var handler = new FakeHandler((_, _, n) => n == 1
            ? FakeHandler.Json("""{"Errors":["Failed to access the details of deployment."],"StatusCode":500}""", HttpStatusCode.InternalServerError)
            : FakeHandler.Json("""{"Deployment":{"Key":"d1"}}"""));
        using var client = Fakes.LifeTime(handler, new RecordedDelays(), maxRetries: 3);

        await client.GetDeploymentAsync("d1");

        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task A_plan_without_zones_sends_an_empty_DeploymentZoneKey_and_the_start_asks_for_error_details()
    {
        var handler = new FakeHandler((r, _, _) => (r.Method.Method, r.RequestUri!.AbsolutePath) switch
        {
            ("GET", "/lifetimeapi/rest/v2/environments/") => FakeHandler.Json("""[{"Key":"e2","Name":"Quality","Order":2},{"Key":"e3","Name":"Production","Order":3}]"""),
            ("GET", "/lifetimeapi/rest/v2/deployments/") => Empty(HttpStatusCode.NoContent),
            ("POST", "/lifetimeapi/rest/v2/deployments/") => FakeHandler.Text("d9", HttpStatusCode.Created),
            ("GET", "/lifetimeapi/rest/v2/deployments/d9/") => FakeHandler.Json("""{"Deployment":{"Key":"d9"},"ApplicationConflicts":[]}"""),
            ("POST", _) => Empty(HttpStatusCode.Accepted),
            _ => FakeHandler.Json("""{"DeploymentStatus":"finished_successful","Info":"","DeploymentLog":[]}"""),
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        await new ApplicationDeployer(client).DeployAsync("Quality", "Production", ["v1"]);

        var create = handler.Requests.Single(q => q.Method == HttpMethod.Post && q.Uri.AbsolutePath.EndsWith("/deployments/", StringComparison.Ordinal));
        Assert.Contains("\"DeploymentZoneKey\":\"\"", create.Body);
        var start = handler.Requests.Single(q => q.Uri.AbsolutePath.EndsWith("/start/", StringComparison.Ordinal));
        Assert.Contains("IncludeErrorDetails=true", start.Uri.Query);
    }

    [Fact]
    public async Task On_a_serial_LifeTime_a_saved_plan_on_the_target_blocks_and_is_named_as_such()
    {
        var handler = new FakeHandler((r, _, _) => (r.Method.Method, r.RequestUri!.AbsolutePath) switch
        {
            ("GET", "/lifetimeapi/rest/v2/environments/") => FakeHandler.Json("""[{"Key":"e2","Name":"Quality","Order":2},{"Key":"e3","Name":"Production","Order":3}]"""),
            ("GET", "/lifetimeapi/rest/v2/deployments/") => FakeHandler.Json("""[{"Key":"draft-1","TargetEnvironmentKey":"e3","StartedOn":"1900-01-01T00:00:00","AbortedOn":"1900-01-01T00:00:00"}]"""),
            ("GET", "/lifetimeapi/rest/v2/deployments/draft-1/status/") => FakeHandler.Json("""{"DeploymentStatus":"saved","Info":"","DeploymentLog":[]}"""),
            _ => FakeHandler.Json("""{"Errors":["unexpected"],"StatusCode":400}""", HttpStatusCode.BadRequest),
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("Quality", "Production", ["v1"],
            new DeployOptions { WaitForOtherPlansTimeout = TimeSpan.Zero }));

        Assert.Equal("TargetEnvironmentBusy", error.ErrorId);
        Assert.Contains("draft-1", error.Message);
        Assert.Contains("saved plan", error.Message);
        Assert.DoesNotContain(handler.Requests, q => q.Method == HttpMethod.Post); // nothing created
    }

    [Fact]
    public async Task A_refused_plan_on_a_serial_LifeTime_with_a_saved_plan_there_is_not_called_a_lower_version_refusal()
    {
        var listed = 0;
        var handler = new FakeHandler((r, _, _) => (r.Method.Method, r.RequestUri!.AbsolutePath) switch
        {
            ("GET", "/lifetimeapi/rest/v2/environments/") => FakeHandler.Json("""[{"Key":"e2","Name":"Quality","Order":2},{"Key":"e3","Name":"Production","Order":3}]"""),
            // the draft appears between the wait and the create (someone saved it meanwhile)
            ("GET", "/lifetimeapi/rest/v2/deployments/") => listed++ == 0 ? Empty(HttpStatusCode.NoContent)
                : FakeHandler.Json("""[{"Key":"draft-2","TargetEnvironmentKey":"e3","StartedOn":"1900-01-01T00:00:00","AbortedOn":"1900-01-01T00:00:00"}]"""),
            ("GET", "/lifetimeapi/rest/v2/deployments/draft-2/status/") => FakeHandler.Json("""{"DeploymentStatus":"saved","Info":"","DeploymentLog":[]}"""),
            ("POST", "/lifetimeapi/rest/v2/deployments/") => FakeHandler.Json("""{"Errors":["Failed to create the deployment."],"StatusCode":400}""", HttpStatusCode.BadRequest),
            _ => FakeHandler.Json("""{"Errors":["unexpected"],"StatusCode":400}""", HttpStatusCode.BadRequest),
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("Quality", "Production", ["v1"]));

        Assert.Equal("TargetEnvironmentHasSavedPlan", error.ErrorId);
        Assert.Contains("draft-2", error.Message);
        Assert.DoesNotContain("lower", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
