using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Security;

namespace OsRollback.Engine.Platform;

/// <summary>
/// One HttpClient with OsRollback's rules: per-attempt timeouts, retries with jittered exponential
/// backoff only for idempotent calls (429 with Retry-After, 5xx, transport errors, timeouts),
/// cancellation, and errors that never carry the secret. A POST that changes something is never
/// retried: it is sent once and its failure is reported.
/// </summary>
internal sealed class PlatformHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Action<HttpRequestMessage> _authorize;
    private readonly SecureString _secret;
    private readonly string _service;

    public PlatformHttpClient(Uri baseUri, PlatformHttpOptions options, string service, SecureString secret, Action<HttpRequestMessage> authorize)
    {
        BaseUri = baseUri;
        Options = options;
        _service = service;
        _secret = secret;
        _authorize = authorize;
        var handler = options.Handler ?? new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false, // a redirect would carry the Authorization header elsewhere
        };
        _http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("OsRollback", typeof(PlatformHttpClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public Uri BaseUri { get; }
    public PlatformHttpOptions Options { get; }

    /// <summary>Requests sent, retries included (for tests and the benchmark notes).</summary>
    public int RequestCount => _requestCount;
    private int _requestCount;

    /// <summary>Checks the scheme: https, or http only to loopback or with AllowInsecureHttp.</summary>
    public static Uri ValidateEndpoint(string uri, bool allowInsecureHttp, string service)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            throw new OsRollbackException("PlatformUriInvalid", OsErrorCategory.InvalidArgument,
                $"'{uri}' is not an http(s) address of {service}.", uri, $"Give the address of {service}, for example https://lifetime.example.com.");
        }
        if (parsed.Scheme == Uri.UriSchemeHttp && !parsed.IsLoopback && !allowInsecureHttp)
        {
            throw new OsRollbackException("InsecureHttpRefused", OsErrorCategory.SecurityError,
                $"Refusing plain http:// to {parsed.Host}: the {service} credentials would travel unencrypted.", uri,
                "Use https://. Only for a test server on a trusted network, add -AllowInsecureHttp.");
        }
        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            throw new OsRollbackException("PlatformUriInvalid", OsErrorCategory.InvalidArgument,
                $"The {service} address must not hold a user name or password.", parsed.Host, "Pass credentials with -Token or -Credential.");
        }
        return parsed;
    }

    public Uri Resolve(string relative) => new(BaseUri, relative);

    /// <summary>Sends a request built anew for each attempt; returns any response that is not retried.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, bool idempotent, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var retriesLeft = idempotent ? Math.Max(0, Options.MaxRetries) : 0;
        for (var retry = 0; ; retry++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var request = build();
            _authorize(request);
            var what = $"{request.Method} {request.RequestUri?.AbsolutePath}";
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(timeout ?? Options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                Interlocked.Increment(ref _requestCount);
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (retriesLeft-- > 0) { await RetryAsync(what, $"got no answer within {(timeout ?? Options.RequestTimeout).TotalSeconds:0} s", retry, Options.BackoffDelay(retry), cancellationToken).ConfigureAwait(false); continue; }
                throw new OsRollbackException("PlatformTimeout", OsErrorCategory.OperationTimeout,
                    $"{_service} at {BaseUri.Host} did not answer {what} within {(timeout ?? Options.RequestTimeout).TotalSeconds:0} s{(idempotent ? $" ({retry + 1} attempts)" : "")}.",
                    BaseUri.Host, idempotent ? "Check that the server is up and reachable; try again later." : $"The request may or may not have been carried out: check its state in {_service} before trying again.");
            }
            catch (HttpRequestException ex)
            {
                if (retriesLeft-- > 0) { await RetryAsync(what, $"failed: {Redact(ex.Message)}", retry, Options.BackoffDelay(retry), cancellationToken).ConfigureAwait(false); continue; }
                throw new OsRollbackException("PlatformUnreachable", OsErrorCategory.ConnectionError,
                    $"Cannot reach {_service} at {BaseUri.Host} for {what}{(idempotent ? $" ({retry + 1} attempts)" : "")}: {Redact(ex.Message)}",
                    BaseUri.Host, "Check the address, the network and the TLS certificate of the server.");
            }

            if (IsTransient(response.StatusCode) && !await IsPermanentAsync(response, cancellationToken).ConfigureAwait(false) && retriesLeft-- > 0)
            {
                var serverWait = RetryAfter(response);
                var reason = $"answered {(int)response.StatusCode} {response.StatusCode}{(serverWait is null ? "" : " with Retry-After")}";
                response.Dispose();
                await RetryAsync(what, reason, retry, serverWait ?? Options.BackoffDelay(retry), cancellationToken).ConfigureAwait(false);
                continue;
            }
            return response;
        }
    }

    /// <summary>Says the retry, its reason and its delay (-Verbose of the running command), then waits.</summary>
    private Task RetryAsync(string what, string reason, int retry, TimeSpan wait, CancellationToken cancellationToken)
    {
        OperationScope.Reporter.Verbose($"{_service} at {BaseUri.Host}: {what} {reason}; retry {retry + 1} of {Options.MaxRetries} in {wait.TotalSeconds:0.0} s.");
        return Options.DelayAsync(wait, cancellationToken);
    }

    /// <summary>Sends and throws a clear <see cref="OsRollbackException"/> for any non-success answer.</summary>
    public async Task<HttpResponseMessage> SendCheckedAsync(Func<HttpRequestMessage> build, bool idempotent, string what, object? target, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var response = await SendAsync(build, idempotent, cancellationToken, timeout).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await ToExceptionAsync(response, what, target, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<T> GetJsonAsync<T>(string relative, string what, object? target, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(() => new HttpRequestMessage(HttpMethod.Get, Resolve(relative)), true, what, target, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, what, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent) return PlatformJson.Empty<T>();
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text)) return PlatformJson.Empty<T>();
        try
        {
            return JsonSerializer.Deserialize<T>(text, PlatformJson.Options) ?? PlatformJson.Empty<T>();
        }
        catch (JsonException ex)
        {
            throw new OsRollbackException("PlatformResponseInvalid", OsErrorCategory.InvalidResult,
                $"{_service} answered {what} with data OsRollback cannot read: {ex.Message}", BaseUri.Host,
                $"Check that the address points at {_service} and that its version is supported.");
        }
    }

    public async Task<OsRollbackException> ToExceptionAsync(HttpResponseMessage response, string what, object? target, CancellationToken cancellationToken)
    {
        string body;
        try { body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false); }
        catch (Exception ex) when (ex is HttpRequestException or IOException) { body = ""; }
        var detail = Redact(PlatformJson.ErrorText(body));
        var status = (int)response.StatusCode;
        var suffix = detail.Length > 0 ? $": {detail}" : ".";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => _service == LifeTimeClient.ServiceName
                ? new OsRollbackException("LifeTimeTokenRejected", OsErrorCategory.AuthenticationError,
                    $"LifeTime at {BaseUri.Host} rejected the service account token (HTTP 401) for {what}.", BaseUri.Host,
                    "The token is wrong, expired or revoked. Get a new one in LifeTime > User Management > Service Accounts (open the account, New Token) and run Connect-OsLifeTime again.")
                : new OsRollbackException("ServiceCenterLoginRejected", OsErrorCategory.AuthenticationError,
                    $"Service Center at {BaseUri.Host} rejected the user name or password (HTTP 401) for {what}.", BaseUri.Host,
                    "Check the user and give the password in its platform-hashed form; run Connect-OsServiceCenter again."),
            HttpStatusCode.Forbidden => new OsRollbackException("PlatformPermissionDenied", OsErrorCategory.PermissionDenied,
                $"{_service} at {BaseUri.Host} refused {what} (HTTP 403){suffix}", target,
                "Give the service account a role with this permission in LifeTime > User Management > Service Accounts."),
            HttpStatusCode.NotFound => new OsRollbackException("PlatformObjectNotFound", OsErrorCategory.ObjectNotFound,
                $"{_service} at {BaseUri.Host} found nothing for {what} (HTTP 404){suffix}", target,
                "Check the key or name; list what exists with the matching Get-Os* cmdlet."),
            HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => new OsRollbackException("PlatformUnavailable", OsErrorCategory.ResourceUnavailable,
                $"{_service} at {BaseUri.Host} failed {what} (HTTP {status}){suffix}", target,
                "The server is busy or failing; try again later, or check the server's error log."),
            _ => new OsRollbackException("PlatformRequestFailed", OsErrorCategory.InvalidOperation,
                $"{_service} at {BaseUri.Host} refused {what} (HTTP {status}){suffix}", target,
                "Read the server's message above; correct the request and try again."),
        };
    }

    public string Redact(string text) => SecretText.Redact(text, _secret);

    /// <summary>
    /// A 500 whose text says LifeTime refuses a state change ("Invalid status change", seen on GET
    /// deployments/{key}/ of a finished plan, OutSystems forum thread 72201) answers the same
    /// however often it is asked: it is not retried.
    /// </summary>
    internal const string InvalidStatusChange = "Invalid status change";

    private static async Task<bool> IsPermanentAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.InternalServerError) return false;
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return body.Contains(InvalidStatusChange, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return false;
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header is null) return null;
        TimeSpan? wait = header.Delta ?? (header.Date is { } date ? date - Options.TimeProvider.GetUtcNow() : null);
        if (wait is null) return null;
        if (wait < TimeSpan.Zero) return TimeSpan.Zero;
        return wait > Options.RetryMaxDelay ? Options.RetryMaxDelay : wait;
    }

    public void Dispose() => _http.Dispose();
}
