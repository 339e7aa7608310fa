using System.Collections;
using System.Management.Automation;
using OsRollback.Cmdlets.Platform;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback;

namespace OsRollback.Cmdlets.Completion;

/// <summary>
/// Where completers find names: the LifeTime connection (-Connection as typed, else the default
/// one), the rollback point catalog (-CatalogPath, else OSROLLBACK_HOME, else ~/.osrollback) and a
/// SQLite platform database (-SqlitePath). Every lookup is short and swallows its errors: a Tab
/// press must never print an error or hang the console.
/// </summary>
internal static class CompletionSources
{
    /// <summary>How long a list fetched from LifeTime is reused (by the clock of the runspace's services).</summary>
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    public static LifeTimeConnection? LifeTime(IDictionary fakeBoundParameters) =>
        Unwrap(fakeBoundParameters, "Connection") as LifeTimeConnection ?? OsRollbackServices.For().Connections.LifeTime;

    /// <summary>Names from LifeTime, cached per connection; none when not connected or on any error.</summary>
    public static IReadOnlyList<string> FromLifeTime(IDictionary fakeBoundParameters, string what,
        Func<LifeTimeClient, CancellationToken, Task<IEnumerable<string>>> list)
    {
        var connection = LifeTime(fakeBoundParameters);
        if (connection is null) return [];
        var services = OsRollbackServices.For();
        var cache = services.CompletionCache;
        var now = services.Time.GetUtcNow();
        if (cache.TryGetValue((connection, what), out var hit) && now - hit.At < CacheLifetime) return hit.Names;
        try
        {
            using var cancel = new CancellationTokenSource(RequestTimeout);
            using var client = new LifeTimeClient(connection.WithOptions(new PlatformHttpOptions
            {
                AllowInsecureHttp = connection.Options.AllowInsecureHttp, RequestTimeout = RequestTimeout, MaxRetries = 0,
            }));
            var task = list(client, cancel.Token);
            if (!task.Wait(RequestTimeout)) return [];
            var names = task.Result.Where(n => !string.IsNullOrEmpty(n)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            cache[(connection, what)] = (now, names);
            return names;
        }
        catch (Exception) { return []; }
    }

    /// <summary>Rollback points of the catalog, newest first (optionally of one environment); none on any error.</summary>
    public static IReadOnlyList<RollbackPoint> Points(IDictionary fakeBoundParameters, string? environment = null)
    {
        try
        {
            var catalogPath = Unwrap(fakeBoundParameters, "CatalogPath") as string;
            var catalog = RollbackCatalog.Resolve(catalogPath is null ? null : FullPath(catalogPath));
            return catalog.List(environment, NullReporter.Instance);
        }
        catch (Exception) { return []; }
    }

    /// <summary>Timer names of the SQLite platform database given with -SqlitePath; none otherwise.</summary>
    public static IReadOnlyList<string> Timers(IDictionary fakeBoundParameters)
    {
        try
        {
            if (Unwrap(fakeBoundParameters, "SqlitePath") is not string path) return [];
            var full = FullPath(path);
            if (!File.Exists(full)) return [];
            return TimerSuspension.Read(new Engine.Data.SqliteTarget(full)).Select(t => t.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }
        catch (Exception) { return []; }
    }

    /// <summary>Application names of the module graph given with -Path (a graph file) or -SqlitePath; none otherwise.</summary>
    public static IReadOnlyList<string> GraphApplications(IDictionary fakeBoundParameters)
    {
        try
        {
            IReadOnlyList<Engine.Modules.ModuleDefinition> modules;
            if (Unwrap(fakeBoundParameters, "Path") is string graphFile && File.Exists(FullPath(graphFile)))
                modules = Engine.Modules.ModuleGraphJson.ReadFile(FullPath(graphFile));
            else if (Unwrap(fakeBoundParameters, "SqlitePath") is string platform && File.Exists(FullPath(platform)))
                modules = Engine.Modules.MetamodelGraphReader.Read(new Engine.Data.SqliteTarget(FullPath(platform)));
            else return [];
            return modules.Select(m => m.Application).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }
        catch (Exception) { return []; }
    }

    public static object? Unwrap(IDictionary? fakeBoundParameters, string name)
    {
        if (fakeBoundParameters is null || !fakeBoundParameters.Contains(name)) return null;
        var value = fakeBoundParameters[name];
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }

    /// <summary>A path typed at the prompt is relative to PowerShell's location, not the process's.</summary>
    private static string FullPath(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        string? location = null;
        // Completers run on the pipeline thread, where a script block sees the session's location.
        try { location = ScriptBlock.Create("$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath").Invoke().FirstOrDefault()?.BaseObject as string; }
        catch (Exception) { }
        return Path.GetFullPath(Path.Combine(location ?? System.Environment.CurrentDirectory, path));
    }
}
