using System.Net;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>
/// Shapes where LifeTime's Swagger and its official client (outsystems-pipeline) differ, or where
/// the Swagger types a field more strictly than the module used to send it: the client accepts
/// both shapes and sends the documented one.
/// </summary>
public sealed class LifeTimeShapesTests
{
    private static FakeHandler Solution(string statusBody, string linkBody) => new((r, _, _) => r.RequestUri!.AbsolutePath switch
    {
        var p when p.EndsWith("/solution", StringComparison.Ordinal) && r.Method == HttpMethod.Post => FakeHandler.Text("sol-1"),     // 200 with the key, as the Swagger documents
        var p when p.Contains("/solutionstatus/") => FakeHandler.Json(statusBody),
        var p when p.Contains("/solution/") => FakeHandler.Json(linkBody),
        var p when p.EndsWith("/download", StringComparison.Ordinal) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([80, 75]) },
        _ => FakeHandler.Text("unexpected", HttpStatusCode.NotFound),
    });

    [Theory]
    [InlineData("""[{"Status":"Completed","StatusReason":""}]""", """[{"Url":"https://lifetime.example.com/download","ExpiresAt":"2026-11-20T11:00:00Z"}]""")]
    [InlineData("""{"Status":"Completed","StatusReason":""}""", """{"url":"https://lifetime.example.com/download","expires":"2026-11-20T11:00:00Z"}""")]
    public async Task A_solution_status_and_link_are_read_as_an_array_or_an_object(string status, string link)
    {
        using var temp = new Support.TempDirectory();
        using var client = Fakes.LifeTime(Solution(status, link), new RecordedDelays());
        var path = await client.BuildAndDownloadSolutionAsync("e3", "Before", ["a1"], temp.File("s.osp"));
        Assert.Equal([80, 75], File.ReadAllBytes(path));
    }

    [Fact]
    public async Task An_aborted_solution_build_fails_at_once()
    {
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(Solution("""[{"Status":"Aborted","StatusReason":"Out of disk"}]""", "[]"), delays);
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.BuildAndDownloadSolutionAsync("e3", "Before", ["a1"], "unused.osp"));
        Assert.Equal("SolutionBuildFailed", error.ErrorId);
        Assert.Contains("Out of disk", error.Message);
        Assert.Empty(delays.Waits);
    }

    [Fact]
    public void Only_Completed_is_done_every_earlier_step_is_in_progress_and_Aborted_is_failed()
    {
        Assert.Equal((false, false), (new SolutionBuildStatus { Status = "Created" }.IsCompleted, new SolutionBuildStatus { Status = "Created" }.IsFailed));
        foreach (var step in SolutionBuildStatus.Steps.Take(SolutionBuildStatus.Steps.Count - 1))
            Assert.Equal((false, false), (new SolutionBuildStatus { Status = step }.IsCompleted, new SolutionBuildStatus { Status = step }.IsFailed));
        Assert.False(new SolutionBuildStatus { Status = "Ready" }.IsCompleted); // "ready to be processed" (official client), not done
        Assert.True(new SolutionBuildStatus { Status = "Completed" }.IsCompleted);
        Assert.True(new SolutionBuildStatus { Status = "Aborted" }.IsFailed);
    }

    [Fact]
    public async Task A_build_polled_through_Ready_downloads_only_at_Completed()
    {
        using var temp = new Support.TempDirectory();
        var polls = 0;
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath switch
        {
            var p when p.EndsWith("/solution", StringComparison.Ordinal) => FakeHandler.Text("sol-1"),
            var p when p.Contains("/solutionstatus/") => FakeHandler.Json($$"""{"Status":"{{SolutionBuildStatus.Steps[Math.Min(polls++, SolutionBuildStatus.Steps.Count - 1)]}}"}"""),
            var p when p.Contains("/solution/") => polls < SolutionBuildStatus.Steps.Count
                ? FakeHandler.Json("""{"Errors":["not completed"],"StatusCode":400}""", HttpStatusCode.BadRequest)
                : FakeHandler.Json("""{"url":"https://lifetime.example.com/download"}"""),
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([80, 75]) },
        });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        await client.BuildAndDownloadSolutionAsync("e3", "Before", ["a1"], temp.File("s.osp"));
        Assert.Equal(SolutionBuildStatus.Steps.Count, polls);
        Assert.Single(handler.Requests, q => q.Uri.AbsolutePath.Contains("/solution/"));
    }

    [Theory]
    [InlineData("dep-7", "text/plain")]
    [InlineData("""{"DeploymentKey":"dep-7"}""", "application/json")]
    public async Task A_binary_deployment_key_is_read_as_plain_text_or_json(string body, string type)
    {
        using var temp = new Support.TempDirectory();
        var package = temp.File("a.oap");
        File.WriteAllBytes(package, [1, 2, 3]);
        var handler = new FakeHandler((_, _, _) => new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent(body, System.Text.Encoding.UTF8, type) });
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        Assert.Equal("dep-7", await client.DeployBinaryAsync("e3", package));
    }

    [Fact]
    public async Task Deployment_dates_are_sent_as_days_and_the_list_is_cut_to_the_exact_times()
    {
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath.EndsWith("/status/", StringComparison.Ordinal)
            ? FakeHandler.Json(r.RequestUri.AbsolutePath.Contains("/d1/") ? """{"DeploymentStatus":"finished_with_errors"}""" : """{"DeploymentStatus":"running"}""")
            : FakeHandler.Json("""[{"Key":"d2","CreatedOn":"2026-11-20T15:00:00Z"},{"Key":"d1","CreatedOn":"2026-11-20T09:00:00Z"},{"Key":"d0","CreatedOn":"2026-11-19T23:00:00Z"}]"""));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var plans = await client.GetDeploymentsWithStatusAsync(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 20, 16, 0, 0, TimeSpan.Zero));

        Assert.Equal("/lifetimeapi/rest/v2/deployments/?MinDate=2026-11-20&MaxDate=2026-11-21", handler.Requests.First().Uri.PathAndQuery);
        Assert.Equal(["d2", "d1"], plans.Select(p => p.Key).ToArray());
        Assert.Equal([(bool?)null, false], plans.Select(p => p.Succeeded).ToArray());
        Assert.Equal("finished_with_errors", plans[1].DeploymentStatus);
    }
}
