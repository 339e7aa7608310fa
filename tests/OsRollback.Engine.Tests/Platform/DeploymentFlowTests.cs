using System.Net;
using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>The deployment flow against a scripted LifeTime: waiting for other plans, polling back-off, continue.</summary>
public class DeploymentFlowTests
{
    private const string Environments = """[{"Key":"dev","Name":"Development","Order":1},{"Key":"qa","Name":"Quality","Order":2},{"Key":"prd","Name":"Production","Order":3}]""";

    private sealed class ScriptedLifeTime
    {
        public int OtherPlanPolls = 2;
        public Queue<string> Statuses = new();
        public List<string> Commands = new();

        public HttpResponseMessage Answer(HttpRequestMessage r, string body, int n)
        {
            var path = r.RequestUri!.AbsolutePath.Replace("/lifetimeapi/rest/v2", "");
            if (path == "/environments/") return FakeHandler.Json(Environments);
            if (path == "/deployments/" && r.Method == HttpMethod.Get)
                return FakeHandler.Json("""[{"Key":"other","TargetEnvironmentKey":"prd","StartedOn":"2026-11-26T10:00:00Z"}]""");
            if (path == "/deployments/other/status/")
                return FakeHandler.Json(OtherPlanPolls-- > 0 ? """{"DeploymentStatus":"running","DeploymentLog":[]}""" : """{"DeploymentStatus":"finished_successful","DeploymentLog":[]}""");
            if (path == "/deployments/" && r.Method == HttpMethod.Post) return FakeHandler.Text("mine", HttpStatusCode.Created);
            if (path == "/deployments/mine/") return FakeHandler.Json("""{"Deployment":{"Key":"mine"},"ApplicationConflicts":[]}""");
            if (path.StartsWith("/deployments/mine/", StringComparison.Ordinal) && r.Method == HttpMethod.Post) { Commands.Add(path.Split('/')[3]); return new HttpResponseMessage(HttpStatusCode.Accepted); }
            if (path == "/deployments/mine/status/") return FakeHandler.Json(Statuses.Count > 1 ? Statuses.Dequeue() : Statuses.Peek());
            return FakeHandler.Text("unexpected " + path, HttpStatusCode.NotFound);
        }
    }

    private static string Status(string status, int logLines, string info = "") =>
        $$"""{"DeploymentStatus":"{{status}}","Info":"{{info}}","DeploymentLog":[{{string.Join(",", Enumerable.Range(1, logLines).Select(i => $$"""{"Message":"step {{i}}","Type":"Info"}"""))}}]}""";

    [Fact]
    public async Task Waits_for_the_running_plan_then_polls_with_back_off_and_resets_on_progress()
    {
        var script = new ScriptedLifeTime();
        for (var i = 0; i < 5; i++) script.Statuses.Enqueue(Status("running", 1));   // no progress: back-off grows
        script.Statuses.Enqueue(Status("running", 2));                                  // progress: back to the first interval
        script.Statuses.Enqueue(Status("finished_successful", 3));
        var handler = new FakeHandler(script.Answer);
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(handler, delays);
        var reporter = new RecordingReporter();

        var result = await new ApplicationDeployer(client).DeployAsync("Quality", "Production", ["v1"], null, reporter);

        Assert.Equal(DeploymentStatuses.FinishedSuccessful, result.DeploymentStatus);
        Assert.Equal(["start"], script.Commands);
        Assert.Contains(reporter.ProgressUpdates, p => p.Status.Contains("Waiting for deployment other"));
        var waits = delays.Waits.Select(w => w.TotalSeconds).ToArray();
        // two waits for the other plan (2, 3), then status polls: 2, 3, 4.5, 6.75, 10.125, then 2 after progress
        Assert.Equal([2, 3, 2, 3, 4.5, 6.75, 10.125, 2], waits);
        Assert.Equal(7, result.PollCount);
        Assert.Equal(["step 1", "step 2", "step 3"], result.DeploymentLog.Select(l => l.Message).ToArray());
    }

    [Fact]
    public async Task Continues_a_prepared_two_step_deployment_only_when_asked()
    {
        var script = new ScriptedLifeTime { OtherPlanPolls = 0 };
        script.Statuses.Enqueue(Status("needs_user_intervention", 1, "deployment_prepared"));
        script.Statuses.Enqueue(Status("finished_successful", 2));
        using var client = Fakes.LifeTime(new FakeHandler(script.Answer), new RecordedDelays());

        var result = await new ApplicationDeployer(client).DeployAsync("qa", "prd", ["v1"], new DeployOptions { ContinueAfterPrepared = true }, NullReporter.Instance);

        Assert.Equal(["start", "continue"], script.Commands);
        Assert.Equal(DeploymentStatuses.FinishedSuccessful, result.DeploymentStatus);
    }

    [Fact]
    public async Task Gives_up_waiting_for_a_busy_target_with_a_clear_error()
    {
        var script = new ScriptedLifeTime { OtherPlanPolls = int.MaxValue };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var delays = new RecordedDelays();
        var options = new PlatformHttpOptions
        {
            Handler = new FakeHandler(script.Answer), TimeProvider = time,
            Delay = (d, c) => { time.Advance(d); return Task.CompletedTask; },
        };
        using var client = new LifeTimeClient(new LifeTimeConnection("https://lt.example.com", OsRollback.Engine.Security.SecretText.FromPlainText(Fakes.Token), options));

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new ApplicationDeployer(client).DeployAsync("qa", "prd", ["v1"], new DeployOptions { WaitForOtherPlansTimeout = TimeSpan.FromMinutes(5) }, NullReporter.Instance));

        Assert.Equal("TargetEnvironmentBusy", error.ErrorId);
        Assert.Contains("Stop-OsDeployment", error.RecommendedAction);
        Assert.Empty(script.Commands);
    }
}
