using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;

namespace OsRollback.Cmdlets.Platform;

/// <summary>A cmdlet that talks to LifeTime: -Connection, or the last Connect-OsLifeTime.</summary>
public abstract class LifeTimeCmdlet : OsCmdlet
{
    /// <summary>The connection from Connect-OsLifeTime; the last one made when omitted.</summary>
    [Parameter]
    public LifeTimeConnection? Connection { get; set; }

    protected LifeTimeConnection GetConnection() => Connection ?? Services.Connections.LifeTime ?? throw new OsRollbackException(
        "NotConnectedToLifeTime", OsErrorCategory.ConnectionError, "There is no LifeTime connection.", null,
        "Run Connect-OsLifeTime -Uri https://<lifetime-host> -Token (Read-Host -AsSecureString) first, or pass -Connection.");

    /// <summary>Runs work with a LifeTime client, on the pipeline thread's terms (progress, Ctrl+C, errors).</summary>
    protected T WithLifeTime<T>(Func<LifeTimeClient, IOperationReporter, CancellationToken, Task<T>> work) =>
        RunAsync(async (reporter, cancel) =>
        {
            using var client = new LifeTimeClient(GetConnection());
            return await work(client, reporter, cancel).ConfigureAwait(false);
        });
}

/// <summary>A cmdlet that talks to Service Center: -Connection, or the last Connect-OsServiceCenter.</summary>
public abstract class ServiceCenterCmdlet : OsCmdlet
{
    /// <summary>The connection from Connect-OsServiceCenter; the last one made when omitted.</summary>
    [Parameter]
    public ServiceCenterConnection? Connection { get; set; }

    protected ServiceCenterConnection GetConnection() => Connection ?? Services.Connections.ServiceCenter ?? throw new OsRollbackException(
        "NotConnectedToServiceCenter", OsErrorCategory.ConnectionError, "There is no Service Center connection.", null,
        "Run Connect-OsServiceCenter -Uri https://<environment-host> -Credential <user and platform-hashed password> first, or pass -Connection.");

    protected T WithServiceCenter<T>(Func<ServiceCenterClient, IOperationReporter, CancellationToken, Task<T>> work) =>
        RunAsync(async (reporter, cancel) =>
        {
            using var client = new ServiceCenterClient(GetConnection());
            return await work(client, reporter, cancel).ConfigureAwait(false);
        });
}

/// <summary>Shared pieces of the Connect-Os* cmdlets.</summary>
internal static class ConnectOptions
{
    public static PlatformHttpOptions Build(bool allowInsecureHttp, int timeoutSec, int maximumRetryCount, double pollIntervalSec) => new()
    {
        AllowInsecureHttp = allowInsecureHttp,
        RequestTimeout = TimeSpan.FromSeconds(timeoutSec),
        MaxRetries = maximumRetryCount,
        Polling = new PollingPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(pollIntervalSec),
            MaxInterval = TimeSpan.FromSeconds(Math.Max(pollIntervalSec, Math.Min(15, pollIntervalSec * 8))),
        },
    };
}
