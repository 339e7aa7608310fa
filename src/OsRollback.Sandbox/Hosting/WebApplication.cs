namespace OsRollback.Sandbox.Hosting;

/// <summary>Stops the host; asked for by POST /_sandbox/shutdown.</summary>
public interface IHostApplicationLifetime
{
    CancellationToken ApplicationStopping { get; }
    void StopApplication();
}

/// <summary>Where endpoints are mapped: the application itself or a group under a prefix.</summary>
public interface IEndpointRouteBuilder
{
    void Map(string method, string pattern, Delegate handler);
}

public static class EndpointRouteBuilderExtensions
{
    public static void MapGet(this IEndpointRouteBuilder routes, string pattern, Delegate handler) => routes.Map("GET", pattern, handler);
    public static void MapPost(this IEndpointRouteBuilder routes, string pattern, Delegate handler) => routes.Map("POST", pattern, handler);
    public static void MapPut(this IEndpointRouteBuilder routes, string pattern, Delegate handler) => routes.Map("PUT", pattern, handler);
    public static void MapDelete(this IEndpointRouteBuilder routes, string pattern, Delegate handler) => routes.Map("DELETE", pattern, handler);
    public static RouteGroupBuilder MapGroup(this IEndpointRouteBuilder routes, string prefix) => new(routes, prefix);
}

public sealed class RouteGroupBuilder(IEndpointRouteBuilder parent, string prefix) : IEndpointRouteBuilder
{
    public void Map(string method, string pattern, Delegate handler) =>
        parent.Map(method, prefix.TrimEnd('/') + "/" + pattern.TrimStart('/'), handler);
}

/// <summary>The endpoints and middleware of the sandbox; served by <see cref="LoopbackHttpServer"/>.</summary>
public sealed class WebApplication : IEndpointRouteBuilder, IHostApplicationLifetime, IDisposable
{
    private sealed record Endpoint(string Method, RouteTemplate Template, Delegate Handler);

    private readonly List<Endpoint> _endpoints = [];
    private readonly List<Endpoint> _fallbacks = [];
    private readonly List<Func<HttpContext, Func<HttpContext, Task>, Task>> _middleware = [];
    private readonly CancellationTokenSource _stopping = new();

    public IHostApplicationLifetime Lifetime => this;
    public CancellationToken ApplicationStopping => _stopping.Token;
    public void StopApplication() { try { _stopping.Cancel(); } catch (ObjectDisposedException) { } }

    public void Dispose() => _stopping.Dispose();

    public void Map(string method, string pattern, Delegate handler) => _endpoints.Add(new(method, new RouteTemplate(pattern), handler));
    public void MapFallback(string pattern, Delegate handler) => _fallbacks.Add(new("*", new RouteTemplate(pattern), handler));
    public void Use(Func<HttpContext, Func<HttpContext, Task>, Task> middleware) => _middleware.Add(middleware);

    /// <summary>Routes first (so middleware sees the template, like UseRouting), then runs the middleware and the endpoint.</summary>
    internal Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var candidates = _endpoints.Select(e => (Endpoint: e, Values: e.Template.Match(path))).Where(m => m.Values is not null).ToList();
        var chosen = candidates.Where(m => string.Equals(m.Endpoint.Method, context.Request.Method, StringComparison.OrdinalIgnoreCase))
            .OrderBy(m => m.Endpoint.Template, Comparer<RouteTemplate>.Create((a, b) => b.CompareSpecificity(a))).FirstOrDefault();
        Func<HttpContext, Task> terminal;
        if (chosen.Endpoint is not null)
        {
            context.RouteTemplate = chosen.Endpoint.Template.RawText;
            terminal = c => EndpointInvoker.InvokeAsync(chosen.Endpoint.Handler, c, chosen.Values!, this);
        }
        else if (candidates.Count > 0)
        {
            terminal = c => Results.StatusCode(405).ExecuteAsync(c);
        }
        else if (_fallbacks.Select(f => (Endpoint: f, Values: f.Template.Match(path))).FirstOrDefault(m => m.Values is not null) is { Endpoint: not null } fallback)
        {
            terminal = c => EndpointInvoker.InvokeAsync(fallback.Endpoint.Handler, c, fallback.Values!, this);
        }
        else
        {
            terminal = c => Results.NotFound().ExecuteAsync(c);
        }
        var next = terminal;
        for (var i = _middleware.Count - 1; i >= 0; i--)
        {
            var middleware = _middleware[i];
            var inner = next;
            next = c => middleware(c, inner);
        }
        return next(context);
    }
}
