using System.Collections.Concurrent;
using System.Net;
using System.Text;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Security;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>An HttpMessageHandler that answers from a script and records every request (body included).</summary>
internal sealed class FakeHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, string, int, Task<HttpResponseMessage>> _answer;
    public ConcurrentQueue<(HttpMethod Method, Uri Uri, string Body, string? Authorization, string? ContentType)> Requests { get; } = new();

    public FakeHandler(Func<HttpRequestMessage, string, int, Task<HttpResponseMessage>> answer) => _answer = answer;

    public FakeHandler(Func<HttpRequestMessage, string, int, HttpResponseMessage> answer) : this((r, b, n) => Task.FromResult(answer(r, b, n))) { }

    public int Count => Requests.Count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue((request.Method, request.RequestUri!, body, request.Headers.Authorization?.ToString(), request.Content?.Headers.ContentType?.ToString()));
        return await _answer(request, body, Requests.Count);
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Fail(string message) => throw new HttpRequestException(message);

    public static HttpResponseMessage Text(string text, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };
}

/// <summary>Delays that are recorded instead of slept.</summary>
internal sealed class RecordedDelays
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waits.Enqueue(delay);
        return Task.CompletedTask;
    }
}

internal static class Fakes
{
    public const string Token = "tok-SECRET-4f1d9a77c2";
    public const string Password = "#hashed-SECRET-password-55";

    public static PlatformHttpOptions Options(HttpMessageHandler handler, RecordedDelays delays, int maxRetries = 3, TimeSpan? timeout = null) => new()
    {
        Handler = handler,
        Delay = delays.Delay,
        MaxRetries = maxRetries,
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(30),
        Random = new Random(7),
        Polling = new PollingPolicy { InitialInterval = TimeSpan.FromSeconds(2), MaxInterval = TimeSpan.FromSeconds(15), Timeout = TimeSpan.FromHours(1) },
    };

    public static LifeTimeClient LifeTime(HttpMessageHandler handler, RecordedDelays delays, int maxRetries = 3, string uri = "https://lifetime.example.com", TimeSpan? timeout = null) =>
        new(new LifeTimeConnection(uri, SecretText.FromPlainText(Token), Options(handler, delays, maxRetries, timeout)));

    public static ServiceCenterClient ServiceCenter(HttpMessageHandler handler, RecordedDelays delays, int maxRetries = 3) =>
        new(new ServiceCenterConnection("https://dev.example.com", "admin", SecretText.FromPlainText(Password), Options(handler, delays, maxRetries)));
}
