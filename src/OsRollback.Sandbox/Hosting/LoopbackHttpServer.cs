using System.Net;
using System.Net.Sockets;

namespace OsRollback.Sandbox.Hosting;

/// <summary>
/// Serves a <see cref="WebApplication"/> over System.Net.HttpListener on 127.0.0.1, which is part
/// of the base .NET runtime (so the sandbox runs inside pwsh without ASP.NET Core).
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LoopbackHttpServer(HttpListener listener, WebApplication app, int port)
    {
        _listener = listener;
        _app = app;
        Port = port;
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/>; port 0 picks a free one.</summary>
    public static LoopbackHttpServer Start(WebApplication app, int port)
    {
        // HttpListener cannot bind port 0, so a free port is found with a socket first; another
        // process may take it in between, hence the few attempts.
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port == 0 ? FreePort() : port;
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            listener.Prefixes.Add($"http://127.0.0.1:{chosen}/");
            try
            {
                listener.Start();
                return new LoopbackHttpServer(listener, app, chosen);
            }
            catch (HttpListenerException) when (port == 0 && attempt < 5)
            {
                listener.Close();
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                throw new IOException($"Cannot listen on http://127.0.0.1:{chosen}/: {ex.Message}", ex);
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext listenerContext;
            try
            {
                listenerContext = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Serve(listenerContext));
        }
    }

    private async Task Serve(HttpListenerContext listenerContext)
    {
        var context = new HttpContext(listenerContext, _stop.Token);
        try
        {
            await _app.HandleAsync(context).ConfigureAwait(false);
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            try { await Results.StatusCode(500).ExecuteAsync(context).ConfigureAwait(false); } catch (Exception) { }
        }
        catch (Exception)
        {
            // The client went away while the body was written; nothing more to tell it.
        }
        finally
        {
            try { context.Response.Complete(); } catch (Exception) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { _listener.Stop(); } catch (ObjectDisposedException) { }
        await _loop.ConfigureAwait(false);
        _listener.Close();
        _stop.Dispose();
    }
}
