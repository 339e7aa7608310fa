using System.Net;
using System.Net.Sockets;
using System.Text;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Smoke;

namespace OsRollback.Engine.Tests.Rollback;

public class HttpSmokeTesterTests
{
    private sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request, cancellationToken);
    }

    private static StubHandler Pages() => new((request, ct) => Task.FromResult(request.RequestUri!.AbsolutePath switch
    {
        "/ok/" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<title>Orders 1.0</title>") },
        "/broken/" => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("error") },
        _ => new HttpResponseMessage(HttpStatusCode.NotFound),
    }));

    [Fact]
    public async Task Status_and_content_decide_pass_or_fail()
    {
        var tester = new HttpSmokeTester(handler: Pages());
        var results = await tester.RunAsync("Production",
        [
            new SmokeTarget("Orders", "http://app.test/ok/", "Orders 1\\.0"),
            new SmokeTarget("Wrong version", "http://app.test/ok/", "Orders 2\\.0"),
            new SmokeTarget("Broken", "http://app.test/broken/"),
        ], NullReporter.Instance, default);
        Assert.True(results[0].Passed);
        Assert.Equal(200, results[0].StatusCode);
        Assert.False(results[1].Passed);
        Assert.Contains("does not contain", results[1].Message);
        Assert.False(results[2].Passed);
        Assert.Equal(500, results[2].StatusCode);
    }

    [Fact]
    public async Task Expected_status_codes_can_be_given()
    {
        var tester = new HttpSmokeTester(new SmokeOptions { ExpectedStatusCodes = [404] }, Pages());
        var results = await tester.RunAsync("Production", [new SmokeTarget("Gone", "http://app.test/nothing")], NullReporter.Instance, default);
        Assert.True(results[0].Passed);
    }

    [Fact]
    public async Task A_request_that_does_not_answer_in_time_fails_with_a_timeout_message()
    {
        var hang = new StubHandler(async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return new HttpResponseMessage(); });
        var tester = new HttpSmokeTester(new SmokeOptions { Timeout = TimeSpan.FromMilliseconds(50) }, hang);
        var result = Assert.Single(await tester.RunAsync("Production", [new SmokeTarget("Slow", "http://app.test/")], NullReporter.Instance, default));
        Assert.False(result.Passed);
        Assert.Contains("no answer within", result.Message);
    }

    [Fact]
    public async Task A_refused_connection_fails_without_throwing()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = Assert.Single(await new HttpSmokeTester().RunAsync("Production", [new SmokeTarget("Down", $"http://127.0.0.1:{port}/")], NullReporter.Instance, default));
        Assert.False(result.Passed);
        Assert.Contains("request failed", result.Message);
    }

    [Fact]
    public async Task Real_HTTP_against_a_local_TCP_listener()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var stream = client.GetStream();
                var buffer = new byte[4096];
                var read = await stream.ReadAsync(buffer);
                var path = Encoding.ASCII.GetString(buffer, 0, read).Split(' ')[1];
                var (status, body) = path == "/Orders/" ? ("200 OK", "<title>Orders 1.0</title>") : ("500 Internal Server Error", "bad");
                var response = $"HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            }
        });
        var reporter = new RecordingReporter();
        var results = await new HttpSmokeTester().RunAsync("Production",
            [new SmokeTarget("Orders", $"http://127.0.0.1:{port}/Orders/", "<title>Orders"), new SmokeTarget("Billing", $"http://127.0.0.1:{port}/Billing/")], reporter, default);
        await server;
        listener.Stop();
        Assert.True(results[0].Passed, results[0].Message);
        Assert.False(results[1].Passed);
        Assert.Contains(reporter.Verboses, v => v.Contains("Smoke FAILED: Billing"));
    }

    [Fact]
    public async Task Retries_use_the_injected_time()
    {
        var calls = 0;
        var flaky = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(++calls < 3 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK)));
        var tester = new HttpSmokeTester(new SmokeOptions { Attempts = 3, RetryDelay = TimeSpan.Zero }, flaky);
        var result = Assert.Single(await tester.RunAsync("Production", [new SmokeTarget("Flaky", "http://app.test/")], NullReporter.Instance, default));
        Assert.True(result.Passed);
        Assert.Equal(3, calls);
    }
}
