using System.Collections.Concurrent;

namespace OsRollback.Engine.Tests.Platform.Contract;

/// <summary>One request the client sent and the answer it got, as they crossed the wire.</summary>
public sealed record Exchange(string Method, Uri Uri, string? RequestContentType, string RequestBody, int Status, string? ResponseContentType, string ResponseBody);

/// <summary>Forwards to the real network handler and records every exchange (bodies included; binary bodies as a length).</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    public RecordingHandler() : base(new SocketsHttpHandler { AllowAutoRedirect = false }) { }

    public ConcurrentQueue<Exchange> Exchanges { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestType = request.Content?.Headers.ContentType?.MediaType;
        var requestBody = request.Content is null ? "" : requestType == "application/octet-stream"
            ? $"<{(await request.Content.ReadAsByteArrayAsync(cancellationToken)).Length} bytes>"
            : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var responseType = response.Content.Headers.ContentType?.MediaType;
        var responseBody = responseType is "application/octet-stream" or "application/zip" ? "<binary>" : await response.Content.ReadAsStringAsync(cancellationToken);
        Exchanges.Enqueue(new Exchange(request.Method.Method, request.RequestUri!, requestType, requestBody, (int)response.StatusCode, responseType, responseBody));
        return response;
    }
}
