using System.Net;
using System.Net.Http.Headers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>Retries, timeouts, cancellation, TLS rules and secrets, against a fake handler (no network, no sleeping).</summary>
public class PlatformHttpTests
{
    private const string Environments = """[{"Key":"e1","Name":"Development","Order":1},{"Key":"e3","Name":"Production","Order":3}]""";

    [Fact]
    public async Task A_read_recovers_from_transient_503s_with_growing_jittered_backoff()
    {
        var handler = new FakeHandler((_, _, n) => n <= 2 ? FakeHandler.Text("busy", HttpStatusCode.ServiceUnavailable) : FakeHandler.Json(Environments));
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(handler, delays);

        var environments = await client.GetEnvironmentsAsync();

        Assert.Equal(2, environments.Count);
        Assert.Equal(3, handler.Count);
        var waits = delays.Waits.ToArray();
        Assert.Equal(2, waits.Length);
        Assert.InRange(waits[0], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)); // base 1 s, equal jitter
        Assert.InRange(waits[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Each_retry_of_a_read_is_said_with_its_reason_and_delay_to_the_running_command()
    {
        var handler = new FakeHandler((_, _, n) => n switch
        {
            1 => FakeHandler.Text("busy", HttpStatusCode.ServiceUnavailable),
            2 => FakeHandler.Fail("connection refused"),
            _ => FakeHandler.Json(Environments),
        });
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(handler, delays);
        var reporter = new RecordingReporter();

        using (OperationScope.Begin(reporter)) await client.GetEnvironmentsAsync();

        var said = reporter.Verboses.Where(v => v.Contains("retry", StringComparison.Ordinal)).ToArray();
        var waits = delays.Waits.ToArray();
        Assert.Equal(2, said.Length);
        Assert.Contains("answered 503 ServiceUnavailable; retry 1 of 3", said[0], StringComparison.Ordinal);
        Assert.Contains($"in {waits[0].TotalSeconds:0.0} s", said[0], StringComparison.Ordinal);
        Assert.Contains("failed: connection refused; retry 2 of 3", said[1], StringComparison.Ordinal);
        Assert.Contains($"in {waits[1].TotalSeconds:0.0} s", said[1], StringComparison.Ordinal);
        Assert.All(said, s => Assert.Contains("GET /", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retry_without_a_command_scope_is_silent_and_still_retried()
    {
        var handler = new FakeHandler((_, _, n) => n == 1 ? FakeHandler.Text("busy", HttpStatusCode.ServiceUnavailable) : FakeHandler.Json(Environments));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        Assert.Equal(2, (await client.GetEnvironmentsAsync()).Count);
        Assert.Same(NullReporter.Instance, OperationScope.Reporter);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_servers_Retry_After()
    {
        var handler = new FakeHandler((_, _, n) =>
        {
            if (n > 1) return FakeHandler.Json(Environments);
            var response = FakeHandler.Text("slow down", HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(handler, delays);

        await client.GetEnvironmentsAsync();

        Assert.Equal([TimeSpan.FromSeconds(7)], delays.Waits.ToArray());
    }

    [Fact]
    public async Task Transport_errors_are_retried_for_reads()
    {
        var handler = new FakeHandler((_, _, n) => n == 1 ? FakeHandler.Fail("connection reset") : FakeHandler.Json(Environments));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        Assert.Equal(2, (await client.GetEnvironmentsAsync()).Count);
        Assert.Equal(2, handler.Count);
    }

    [Fact]
    public async Task A_persistent_fault_gives_a_clear_error_after_the_last_retry()
    {
        var handler = new FakeHandler((_, _, _) => FakeHandler.Json("""{"Errors":["Database is down"],"StatusCode":503}""", HttpStatusCode.ServiceUnavailable));
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(handler, delays, maxRetries: 3);

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetEnvironmentsAsync());

        Assert.Equal("PlatformUnavailable", error.ErrorId);
        Assert.Contains("Database is down", error.Message);
        Assert.Contains("503", error.Message);
        Assert.Equal(4, handler.Count);
        Assert.Equal(3, delays.Waits.Count);
    }

    [Fact]
    public async Task A_POST_is_never_retried()
    {
        var handler = new FakeHandler((_, _, _) => FakeHandler.Text("oops", HttpStatusCode.ServiceUnavailable));
        var delays = new RecordedDelays();
        using var client = Fakes.LifeTime(handler, delays);

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.StartDeploymentAsync("d1"));
        Assert.Equal(1, handler.Count);
        Assert.Empty(delays.Waits);

        var transport = new FakeHandler((_, _, _) => FakeHandler.Fail("reset"));
        using var client2 = Fakes.LifeTime(transport, delays);
        var unreachable = await Assert.ThrowsAsync<OsRollbackException>(() => client2.CreateDeploymentAsync(new DeploymentPlanRequest
        {
            SourceEnvironmentKey = "a", TargetEnvironmentKey = "b", ApplicationOperations = [new DeploymentApplicationOperation { ApplicationVersionKey = "v" }],
        }));
        Assert.Equal("PlatformUnreachable", unreachable.ErrorId);
        Assert.Equal(1, transport.Count);
    }

    [Fact]
    public async Task A_request_that_never_answers_times_out_instead_of_hanging()
    {
        // The handler never answers; only the per-attempt timeout ends each attempt.
        var slow = new CancellableHandler();
        using var client = Fakes.LifeTime(slow, new RecordedDelays(), maxRetries: 1, timeout: TimeSpan.FromMilliseconds(50));

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetEnvironmentsAsync());

        Assert.Equal("PlatformTimeout", error.ErrorId);
        Assert.Equal(2, slow.Count);
    }

    [Fact]
    public async Task Cancellation_stops_a_request_at_once()
    {
        var slow = new CancellableHandler();
        using var client = Fakes.LifeTime(slow, new RecordedDelays());
        using var cancel = new CancellationTokenSource();
        var task = client.GetEnvironmentsAsync(cancel.Token);
        await slow.Entered.Task;
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Equal(1, slow.Count);
    }

    [Fact]
    public async Task A_wrong_token_says_where_to_get_a_new_one_and_never_shows_the_token()
    {
        var handler = new FakeHandler((r, _, _) => FakeHandler.Json($$"""{"Errors":["Invalid token {{r.Headers.Authorization!.Parameter}}"],"StatusCode":401}""", HttpStatusCode.Unauthorized));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetEnvironmentsAsync());

        Assert.Equal("LifeTimeTokenRejected", error.ErrorId);
        Assert.Equal(OsErrorCategory.AuthenticationError, error.Category);
        Assert.Contains("User Management > Service Accounts", error.RecommendedAction);
        Assert.Equal(1, handler.Count); // 401 is not retried
        AssertNoSecret(error);
    }

    [Fact]
    public async Task Server_messages_that_echo_the_secret_are_redacted()
    {
        var handler = new FakeHandler((r, _, _) => FakeHandler.Json($$"""{"Errors":["Bad request for token {{Fakes.Token}}"],"StatusCode":400}""", HttpStatusCode.BadRequest));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetEnvironmentsAsync());
        Assert.Equal("PlatformRequestFailed", error.ErrorId);
        Assert.Contains("***", error.Message);
        AssertNoSecret(error);
    }

    [Fact]
    public async Task Transport_errors_mentioning_the_secret_are_redacted()
    {
        var handler = new FakeHandler((_, _, _) => FakeHandler.Fail($"proxy refused {Fakes.Token}"));
        using var client = Fakes.LifeTime(handler, new RecordedDelays(), maxRetries: 0);
        var error = await Assert.ThrowsAsync<OsRollbackException>(() => client.GetEnvironmentsAsync());
        Assert.Equal("PlatformUnreachable", error.ErrorId);
        Assert.DoesNotContain(Fakes.Token, error.Message);
    }

    [Theory]
    [InlineData("http://lifetime.example.com", false, "InsecureHttpRefused")]
    [InlineData("http://lifetime.example.com", true, null)]
    [InlineData("http://127.0.0.1:5000", false, null)]
    [InlineData("http://localhost:5000", false, null)]
    [InlineData("https://lifetime.example.com", false, null)]
    [InlineData("ftp://lifetime.example.com", false, "PlatformUriInvalid")]
    [InlineData("https://user:pw@lifetime.example.com", false, "PlatformUriInvalid")]
    public void Plain_http_is_refused_except_to_loopback_or_when_allowed(string uri, bool allowInsecure, string? errorId)
    {
        var options = new PlatformHttpOptions { AllowInsecureHttp = allowInsecure };
        if (errorId is null)
        {
            var connection = new LifeTimeConnection(uri, SecretText.FromPlainText(Fakes.Token), options);
            Assert.EndsWith("/lifetimeapi/rest/v2/", connection.ApiUri.ToString());
        }
        else
        {
            var error = Assert.Throws<OsRollbackException>(() => new LifeTimeConnection(uri, SecretText.FromPlainText(Fakes.Token), options));
            Assert.Equal(errorId, error.ErrorId);
        }
    }

    [Fact]
    public void Connections_expose_no_secret()
    {
        var lt = new LifeTimeConnection("https://lt.example.com/lifetimeapi/rest/v2", SecretText.FromPlainText(Fakes.Token));
        var sc = new ServiceCenterConnection("https://dev.example.com/ServiceCenter", "admin", SecretText.FromPlainText(Fakes.Password));
        foreach (var connection in new object[] { lt, sc })
        {
            Assert.DoesNotContain("SECRET", connection.ToString());
            foreach (var property in connection.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                Assert.NotEqual(typeof(System.Security.SecureString), property.PropertyType);
                Assert.DoesNotContain("SECRET", property.GetValue(connection)?.ToString() ?? "");
            }
        }
        Assert.Equal("https://lt.example.com/lifetimeapi/rest/v2/", lt.ApiUri.ToString());
        Assert.Equal("https://dev.example.com/", sc.Uri.ToString());
    }

    [Fact]
    public async Task The_token_goes_only_in_the_Authorization_header_and_never_to_another_host()
    {
        var handler = new FakeHandler((r, _, _) => r.RequestUri!.AbsolutePath.EndsWith("/content/", StringComparison.Ordinal)
            ? FakeHandler.Json("""{"url":"https://storage.example.net/pkg/1","expires":"2030-01-01T00:00:00Z"}""")
            : FakeHandler.Text("PK-bytes"));
        using var client = Fakes.LifeTime(handler, new RecordedDelays());
        using var temp = new Support.TempDirectory();
        await client.DownloadApplicationVersionAsync("a1", "v1", Path.Combine(temp.Path, "a.oap"));

        var requests = handler.Requests.ToArray();
        Assert.Equal($"Bearer {Fakes.Token}", requests[0].Authorization);
        Assert.Equal("storage.example.net", requests[1].Uri.Host);
        Assert.Null(requests[1].Authorization);
        Assert.Equal("PK-bytes", File.ReadAllText(Path.Combine(temp.Path, "a.oap")));
    }

    internal static void AssertNoSecret(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(Fakes.Token, e.ToString());
            Assert.DoesNotContain(Fakes.Password, e.ToString());
            if (e is OsRollbackException os)
            {
                Assert.DoesNotContain(Fakes.Token, os.RecommendedAction ?? "");
                Assert.DoesNotContain(Fakes.Token, os.Target?.ToString() ?? "");
            }
        }
    }

    /// <summary>Never answers until the request is cancelled.</summary>
    private sealed class CancellableHandler : HttpMessageHandler
    {
        private int _count;
        public int Count => _count;
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("not reached");
        }
    }
}
