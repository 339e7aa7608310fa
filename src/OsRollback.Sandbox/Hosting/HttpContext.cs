using System.Net;
using System.Text;

namespace OsRollback.Sandbox.Hosting;

/// <summary>One request and its response, as the endpoint files see it (a subset of ASP.NET Core's HttpContext).</summary>
public sealed class HttpContext
{
    internal HttpContext(HttpListenerContext listener, CancellationToken aborted)
    {
        Request = new HttpRequest(listener.Request);
        Response = new HttpResponse(listener.Response);
        RequestAborted = aborted;
    }

    public HttpRequest Request { get; }
    public HttpResponse Response { get; }
    public CancellationToken RequestAborted { get; }
    /// <summary>The route template that matched ("/lifetimeapi/rest/v2/deployments/{DeploymentKey}/"), or null.</summary>
    public string? RouteTemplate { get; internal set; }
}

public sealed class HttpRequest
{
    private readonly HttpListenerRequest _request;

    internal HttpRequest(HttpListenerRequest request)
    {
        _request = request;
        Headers = new HeaderDictionary(request.Headers);
        Query = new QueryCollection(request.Url?.Query ?? "");
        Path = new PathString(request.Url?.AbsolutePath ?? "/");
    }

    public string Method => _request.HttpMethod;
    public PathString Path { get; }
    /// <summary>Always empty: the sandbox is served from the root.</summary>
    public string PathBase => "";
    public string Scheme => _request.Url?.Scheme ?? "http";
    /// <summary>host:port as the client addressed it.</summary>
    public string Host => _request.Url?.Authority ?? "127.0.0.1";
    public string? ContentType => _request.ContentType;
    public Stream Body => _request.InputStream;
    public HeaderDictionary Headers { get; }
    public QueryCollection Query { get; }
}

public sealed class HttpResponse
{
    private readonly HttpListenerResponse _response;

    internal HttpResponse(HttpListenerResponse response)
    {
        _response = response;
        Headers = new HeaderDictionary(response.Headers);
    }

    public int StatusCode { get => _response.StatusCode; set => _response.StatusCode = value; }
    public string? ContentType { get => _response.ContentType; set => _response.ContentType = value; }
    public HeaderDictionary Headers { get; }
    /// <summary>True once the body has been written (status and headers are then fixed).</summary>
    public bool HasStarted { get; private set; }

    public async Task WriteBytesAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        HasStarted = true;
        _response.ContentLength64 = bytes.Length;
        if (bytes.Length > 0) await _response.OutputStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    internal void Complete()
    {
        if (!HasStarted) _response.ContentLength64 = 0;
        _response.Close();
    }
}

/// <summary>A request path; prints as its text.</summary>
public readonly record struct PathString(string? Value)
{
    public override string ToString() => Value ?? "";
}

/// <summary>One header or query value; empty when absent (like StringValues).</summary>
public readonly record struct HeaderValue(string? Value)
{
    public static implicit operator HeaderValue(string? value) => new(value);
    public override string ToString() => Value ?? "";
}

public sealed class HeaderDictionary(System.Collections.Specialized.NameValueCollection headers)
{
    public HeaderValue this[string name]
    {
        get => new(headers[name]);
        set => headers[name] = value.Value;
    }

    public HeaderValue Authorization { get => this["Authorization"]; set => this["Authorization"] = value; }
    public HeaderValue Expires { get => this["Expires"]; set => this["Expires"] = value; }
    public HeaderValue RetryAfter { get => this["Retry-After"]; set => this["Retry-After"] = value; }
    public HeaderValue WWWAuthenticate { get => this["WWW-Authenticate"]; set => this["WWW-Authenticate"] = value; }
}

public sealed class QueryCollection
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    internal QueryCollection(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=');
            var name = Decode(at < 0 ? pair : pair[..at]);
            var value = at < 0 ? "" : Decode(pair[(at + 1)..]);
            _values[name] = _values.TryGetValue(name, out var first) ? first + "," + value : value;
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    public HeaderValue this[string name] => new(_values.GetValueOrDefault(name));
    public bool ContainsKey(string name) => _values.ContainsKey(name);
}

public static class HttpResponseWritingExtensions
{
    public static Task WriteAsync(this HttpResponse response, string text, CancellationToken cancellationToken = default) =>
        response.WriteBytesAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
}
