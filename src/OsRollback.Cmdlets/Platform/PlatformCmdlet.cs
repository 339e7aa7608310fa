using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
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

/// <summary>Tab completion of environment names from the default LifeTime connection (cached for a minute).</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        CompletionCache.Complete("environments", wordToComplete, client => client.GetEnvironmentsAsync().ContinueWith(t => t.Result.Select(e => e.Name)));
}

/// <summary>Tab completion of application names from the default LifeTime connection (cached for a minute).</summary>
public sealed class ApplicationNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        CompletionCache.Complete("applications", wordToComplete, client => client.GetApplicationsAsync().ContinueWith(t => t.Result.Select(a => a.Name)));
}

internal static class CompletionCache
{
    private static readonly ConcurrentDictionary<string, (DateTime At, LifeTimeConnection Connection, string[] Names)> Cache = new();

    public static IEnumerable<CompletionResult> Complete(string what, string word, Func<LifeTimeClient, Task<IEnumerable<string>>> list)
    {
        var connection = OsRollbackServices.For().Connections.LifeTime;
        if (connection is null) return [];
        string[] names;
        if (Cache.TryGetValue(what, out var hit) && ReferenceEquals(hit.Connection, connection) && DateTime.UtcNow - hit.At < TimeSpan.FromMinutes(1))
        {
            names = hit.Names;
        }
        else
        {
            try
            {
                using var client = new LifeTimeClient(connection.WithOptions(new PlatformHttpOptions
                {
                    AllowInsecureHttp = connection.Options.AllowInsecureHttp, RequestTimeout = TimeSpan.FromSeconds(5), MaxRetries = 0,
                }));
                var task = list(client);
                if (!task.Wait(TimeSpan.FromSeconds(6))) return [];
                names = task.Result.OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
                Cache[what] = (DateTime.UtcNow, connection, names);
            }
            catch (Exception) { return []; } // completion never throws at the user
        }
        var prefix = word.Trim('\'', '"');
        return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n.Contains(' ') ? $"'{n}'" : n, n, CompletionResultType.ParameterValue, n));
    }
}
