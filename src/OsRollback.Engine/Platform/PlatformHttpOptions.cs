namespace OsRollback.Engine.Platform;

/// <summary>
/// How OsRollback talks HTTP to LifeTime and Service Center: timeouts, retries, polling, and the
/// seams (handler, clock, delay) that let tests run without a network or a sleep.
/// </summary>
public sealed class PlatformHttpOptions
{
    public static readonly PlatformHttpOptions Default = new();

    /// <summary>The handler under the HttpClient (tests inject fakes); null means a SocketsHttpHandler with TLS validation on.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The clock used for Retry-After dates, polling deadlines and the default delay.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Waits between retries and polls; tests replace it so that they never sleep.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>Time allowed for one attempt of an ordinary request (headers and body).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Time allowed for one upload or download of a package.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Retries of an idempotent request after 429, 5xx, a transport error or a timeout (0 turns retries off).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First retry delay; doubles each retry, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries, including a server's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Allows plain http:// to a host that is not loopback (never the default).</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>How deployments and publications are polled.</summary>
    public PollingPolicy Polling { get; init; } = new();

    /// <summary>Source of jitter (tests give a seeded one).</summary>
    public Random? Random { get; init; }

    internal Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask
        : Delay is not null ? Delay(delay, cancellationToken)
        : Task.Delay(delay, TimeProvider, cancellationToken);

    /// <summary>Exponential backoff with "equal jitter": half fixed, half random.</summary>
    internal TimeSpan BackoffDelay(int retry)
    {
        var exponential = RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry));
        var capped = Math.Min(exponential, RetryMaxDelay.TotalMilliseconds);
        var random = (Random ?? Random.Shared).NextDouble();
        return TimeSpan.FromMilliseconds(capped / 2 + random * capped / 2);
    }
}

/// <summary>
/// Polling of long operations: the first poll after <see cref="InitialInterval"/>, then each wait
/// multiplied by <see cref="BackoffFactor"/> up to <see cref="MaxInterval"/>; the wait drops back to
/// the initial interval whenever the server reports progress (a new log line or message).
/// </summary>
public sealed class PollingPolicy
{
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(15);
    public double BackoffFactor { get; init; } = 1.5;

    /// <summary>Give up waiting after this long (the operation keeps running on the server).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(2);

    internal TimeSpan Next(TimeSpan current, bool progressed) =>
        progressed ? InitialInterval : TimeSpan.FromMilliseconds(Math.Min(current.TotalMilliseconds * BackoffFactor, MaxInterval.TotalMilliseconds));
}
