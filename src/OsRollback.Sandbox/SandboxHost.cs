using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using OsRollback.Sandbox.Api;
using OsRollback.Sandbox.Data;
using OsRollback.Sandbox.Hosting;
using OsRollback.Sandbox.Model;
using OsRollback.Sandbox.Runtime;

namespace OsRollback.Sandbox;

/// <summary>
/// A running sandbox: LifeTime API v2, Service Center and the applications' pages of three
/// seeded environments on http://127.0.0.1:PORT, with SQLite platform databases in
/// <see cref="SandboxOptions.DataDirectory"/>. Start it with <see cref="StartAsync"/> and
/// dispose it to stop it.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LoopbackHttpServer _server;
    private readonly SandboxState _state;
    private readonly ITimer _ticker;
    private int _disposed;

    private SandboxHost(WebApplication app, LoopbackHttpServer server, SandboxState state, string url)
    {
        _app = app;
        _server = server;
        _state = state;
        Url = url;
        // Deployments also move on between requests (so the files change even when nobody polls);
        // on a fake clock the ticker fires only when the test advances it.
        var tick = state.Options.TimeProvider == TimeProvider.System ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1);
        _ticker = state.Options.TimeProvider.CreateTimer(_ => Tick(), null, tick, tick);
    }

    private void Tick()
    {
        try
        {
            _state.Advance(fromRequest: false);
        }
        catch (Exception ex)
        {
            if (_state.Options.LogFile is { } log)
                try { File.AppendAllText(log, $"{DateTime.UtcNow:O} advancing deployments: {ex}\n"); } catch (IOException) { }
        }
    }

    /// <summary>Base address, for example http://127.0.0.1:41234 (no trailing slash).</summary>
    public string Url { get; }
    /// <summary>The LifeTime bearer token (also required by /_sandbox endpoints).</summary>
    public string Token => _state.Options.Token!;
    public string ServiceCenterUser => _state.Options.ServiceCenterUser;
    public string ServiceCenterPassword => _state.Options.ServiceCenterPassword!;
    /// <summary>Path of Production's platform database.</summary>
    public string PlatformDatabase => PlatformDatabases["Production"];
    /// <summary>Platform database paths by environment name (Development, Quality, Production).</summary>
    public IReadOnlyDictionary<string, string> PlatformDatabases =>
        _state.Catalog.Environments.ToDictionary(e => e.Name, e => _state.Database(e).Path, StringComparer.OrdinalIgnoreCase);
    /// <summary>Fault injection, next deployment outcome and request counters.</summary>
    public SandboxControl Control => _state.Control;
    /// <summary>The seeded infrastructure (environments, applications, modules, tags and their keys).</summary>
    public Catalog Catalog => _state.Catalog;
    public string DataDirectory => _state.Options.DataDirectory;
    /// <summary>Completes when the sandbox stops (dispose, POST /_sandbox/shutdown, or the process being told to stop).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>An HttpClient on <see cref="Url"/> that sends the bearer token.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DataDirectory)) throw new ArgumentException("SandboxOptions.DataDirectory is required.", nameof(options));
        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        if (string.IsNullOrEmpty(options.Token)) options.Token = RandomSecret();
        if (string.IsNullOrEmpty(options.ServiceCenterPassword)) options.ServiceCenterPassword = RandomSecret();
        Directory.CreateDirectory(options.DataDirectory);

        var catalog = SeedFactory.Create(options.Seed);
        var databases = new Dictionary<string, PlatformDatabase>(StringComparer.OrdinalIgnoreCase);
        var now = options.TimeProvider.GetUtcNow().UtcDateTime;
        foreach (var environment in catalog.Environments)
        {
            var path = Path.Combine(options.DataDirectory, environment.Slug + ".db");
            if (options.Reset && File.Exists(path)) File.Delete(path);
            var database = new PlatformDatabase(path, catalog, environment);
            if (!File.Exists(path)) database.Create(now);
            databases[environment.Key] = database;
        }
        var control = new SandboxControl(options.Seed);
        foreach (var fault in options.Faults) control.AddFault(fault);
        var state = new SandboxState(catalog, options, databases, control);

        var app = new WebApplication();
        Configure(app, state);
        cancellationToken.ThrowIfCancellationRequested();
        var server = await Task.Run(() => LoopbackHttpServer.Start(app, options.Port), cancellationToken).ConfigureAwait(false);
        return new SandboxHost(app, server, state, $"http://127.0.0.1:{server.Port}");
    }

    /// <summary>Stops answering requests (Stopping completes).</summary>
    public Task StopAsync()
    {
        _app.StopApplication();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _ticker.Dispose();
        _app.StopApplication();
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    private static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    private static void Configure(WebApplication app, SandboxState state)
    {
        var options = state.Options;
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                if (options.LogFile is { } log)
                    try { await File.AppendAllTextAsync(log, $"{DateTime.UtcNow:O} {context.Request.Method} {context.Request.Path}: {ex}\n"); } catch (IOException) { }
                await Http.WriteError(context, 500, "Internal error in the sandbox: " + ex.Message);
            }
        });
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var route = context.RouteTemplate;
            state.Control.CountRequest($"{context.Request.Method} {(route is null ? path : "/" + route.TrimStart('/'))}");
            var isControl = path.StartsWith("/_sandbox", StringComparison.OrdinalIgnoreCase);
            if (!isControl)
            {
                var fault = state.Control.Decide(context.Request.Method, path);
                if (fault.LatencyMs > 0) await Task.Delay(fault.LatencyMs, context.RequestAborted);
                if (fault.Fails)
                {
                    if (fault.StatusCode is 429 or 503) context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await Http.WriteError(context, fault.StatusCode, $"Fault injected by the sandbox ({fault.StatusCode}).");
                    return;
                }
            }
            if (!isControl && state.Farm.StoppedFor(path) is { } stopped)
            {
                context.Response.Headers.RetryAfter = "5";
                await Http.WriteError(context, 503, $"Service Unavailable: IIS and the OutSystems services of {stopped.Name} are stopped.");
                return;
            }
            var needsToken = isControl || (path.StartsWith("/lifetimeapi/rest/", StringComparison.OrdinalIgnoreCase)
                && !path.StartsWith(LifeTimeApi.Prefix + "/downloads/", StringComparison.OrdinalIgnoreCase));
            if (needsToken && !HasToken(context.Request, options.Token!))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Http.WriteError(context, 401, "Authentication failed: a valid service account token is required (Authorization: Bearer).");
                return;
            }
            state.Advance();
            await next(context);
        });
        LifeTimeApi.Map(app, state);
        ServiceCenterApi.Map(app, state);
        ControlApi.Map(app, state);
        ServerProcedureApi.Map(app, state);
        AppPages.Map(app, state);
        app.MapFallback("/lifetimeapi/{**rest}", (HttpContext context) => Http.Error(404, $"The requested resource {context.Request.Path} does not exist."));
    }

    private static bool HasToken(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(token));
    }
}
