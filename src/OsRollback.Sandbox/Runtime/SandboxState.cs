using System.Security.Cryptography;
using System.Text;
using OsRollback.Sandbox.Data;
using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Runtime;

/// <summary>A link made by LifeTime for a package download (valid 60 minutes).</summary>
public sealed record DownloadLink(string Id, string FileName, byte[] Content, DateTimeOffset Expires);

/// <summary>A solution package being built by LifeTime (POST /environments/{key}/solution).</summary>
public sealed class SolutionBuild
{
    /// <summary>
    /// The statuses of a build in the official client's order (outsystems-pipeline vars/pipeline_vars.py):
    /// Created, Ready ("ready to be processed"), the build steps, then Completed; only Completed has a package.
    /// </summary>
    public static readonly string[] Steps = ["Created", "Ready", "Gathering Dependencies", "Getting Binaries", "Generating Meta Model", "Generating Solution", Completed];
    public const string Completed = "Completed";
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required EnvironmentDef Environment { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required byte[] Package { get; init; }
}

/// <summary>A conflict found when a plan would leave a consumer needing a newer producer.</summary>
public sealed record PlanConflict(AppVersionDef Consumer, AppDef Producer, AppVersionDef? ProducerVersion, int MinIndex, ModuleDef ConsumerModule, ModuleDef ProducerModule, bool ConsumerInPlan);

/// <summary>
/// Everything the sandbox knows between requests, except what runs where (that lives in the
/// platform databases). All mutation happens under one lock; <see cref="Advance"/> moves
/// deployments and publishes on to the current time and is called at the start of every request.
/// </summary>
public sealed class SandboxState
{
    private int _nextPublishId = 1000;

    public SandboxState(Catalog catalog, SandboxOptions options, IReadOnlyDictionary<string, PlatformDatabase> databases, SandboxControl control)
    {
        Catalog = catalog;
        Options = options;
        Databases = databases;
        Control = control;
        foreach (var environment in catalog.Environments) Maintenance[environment.Key] = (false, "");
        Farm = new ServerFarm(catalog, databases);
    }

    /// <summary>The application servers: services stopped or running, configuration and pending settings after a restore.</summary>
    public ServerFarm Farm { get; }

    public object Gate { get; } = new();
    public Catalog Catalog { get; }
    public SandboxOptions Options { get; }
    public SandboxControl Control { get; }
    /// <summary>Platform databases by environment key.</summary>
    public IReadOnlyDictionary<string, PlatformDatabase> Databases { get; }
    public Dictionary<string, (bool Enabled, string Reason)> Maintenance { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<Deployment> Deployments { get; } = [];
    public Dictionary<int, PublishRun> Publishes { get; } = [];
    public Dictionary<string, SolutionBuild> Solutions { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, DownloadLink> Downloads { get; } = new(StringComparer.OrdinalIgnoreCase);
    public DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    public static string NewKey() => Guid.NewGuid().ToString();

    public static string DeploymentZoneKey(EnvironmentDef environment)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("zone|" + environment.Key)).AsSpan(0, 16).ToArray();
        return new Guid(bytes).ToString();
    }

    public PlatformDatabase Database(EnvironmentDef environment) => Databases[environment.Key];

    private DateTimeOffset _lastSchedulerRun = DateTimeOffset.MinValue;

    /// <summary>Timers run by the sandbox's scheduler, newest last (environment, timer, when).</summary>
    public List<(string Environment, string Timer, DateTime At)> TimerRuns { get; } = [];

    private long _lastSchedulerTicks;

    /// <summary>
    /// Moves deployments and publishes on to the current time and, at most every 5 s of the
    /// sandbox clock, runs due timers. From the background ticker (<paramref name="fromRequest"/>
    /// false) the scheduler also waits 1 s of real time, so a test that moves a fake clock by days
    /// does not open the databases thousands of times.
    /// </summary>
    public void Advance(bool fromRequest = true)
    {
        lock (Gate)
        {
            var now = Now;
            foreach (var deployment in Deployments) deployment.Run?.Advance(now);
            foreach (var run in Publishes.Values) run.Advance(now);
            if (now - _lastSchedulerRun < TimeSpan.FromSeconds(5)) return;
            if (!fromRequest && System.Diagnostics.Stopwatch.GetElapsedTime(_lastSchedulerTicks) < TimeSpan.FromSeconds(1)) return;
            _lastSchedulerRun = now;
            _lastSchedulerTicks = System.Diagnostics.Stopwatch.GetTimestamp();
            // A stopped Scheduler Service runs no timer.
            foreach (var environment in Catalog.Environments.Where(e => !Farm.IsStopped(e)))
                foreach (var timer in Database(environment).RunDueTimers(now.UtcDateTime))
                    TimerRuns.Add((environment.Name, timer, now.UtcDateTime));
            if (TimerRuns.Count > 1000) TimerRuns.RemoveRange(0, TimerRuns.Count - 1000);
        }
    }

    /// <summary>The running deployment or publish on a target, if any (caller holds the lock).</summary>
    public string? ActiveOn(EnvironmentDef target)
    {
        var deployment = Deployments.FirstOrDefault(d => d.Target == target && d.Run is { IsActive: true });
        return deployment?.Key;
    }

    /// <summary>
    /// On a parallel LifeTime: a plan running on the same target that shares an application or a
    /// module with <paramref name="deployment"/> (LifeTime blocks such a start), with what they share.
    /// </summary>
    public (string Key, string Shared)? OverlappingOn(Deployment deployment)
    {
        var apps = deployment.Operations.Select(o => o.Version.App).ToHashSet();
        var modules = deployment.Modules.Select(m => m.Module).ToHashSet();
        foreach (var other in Deployments.Where(d => d != deployment && d.Target == deployment.Target && d.Run is { IsActive: true }))
        {
            var shared = other.Operations.Select(o => o.Version.App).Where(apps.Contains).Select(a => a.Name)
                .Concat(other.Modules.Select(m => m.Module).Where(modules.Contains).Select(m => m.Name)).Distinct().ToList();
            if (shared.Count > 0) return (other.Key, string.Join(", ", shared));
        }
        return null;
    }

    public PublishRun StartRun(EnvironmentDef target, IReadOnlyList<ModuleVersionDef> modules, IReadOnlyList<AppVersionDef> apps, bool twoStep)
    {
        var (outcome, info) = Control.TakeNextOutcome();
        var database = Database(target);
        var run = new PublishRun(_nextPublishId++, target, modules, apps, twoStep, outcome, info, Options.Pace, Options.PublishLatency, Now,
            at =>
            {
                database.Publish(modules, apps, at);
                Farm.Published(target, database, modules.Select(m => m.Module.Name), at);
            });
        run.Advance(Now);
        return run;
    }

    /// <summary>
    /// Conflicts a plan would cause in its target: a consumer tag needing a newer producer tag
    /// than the one that would run (Customer Portal 1.2.0 needs Customers Core 1.2.0).
    /// </summary>
    public List<PlanConflict> Conflicts(Deployment plan)
    {
        var running = Database(plan.Target).ReadRunning();
        var after = new Dictionary<string, AppVersionDef>(StringComparer.OrdinalIgnoreCase);
        foreach (var (appKey, versionKey) in running.AppVersions)
            if (Catalog.AppVersion(versionKey) is { } v) after[appKey] = v;
        var inPlan = plan.Operations.Select(o => o.Version).ToList();
        foreach (var version in inPlan) after[version.App.Key] = version;
        var conflicts = new List<PlanConflict>();
        foreach (var consumer in after.Values)
        {
            foreach (var (producer, minIndex) in consumer.Requires)
            {
                after.TryGetValue(producer.Key, out var producerVersion);
                if (producerVersion is not null && producerVersion.Index >= minIndex) continue;
                var consumerInPlan = inPlan.Contains(consumer);
                if (!consumerInPlan && !inPlan.Any(v => v.App == producer)) continue;
                var producerNames = producer.Modules.Select(m => m.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var consumerModule = consumer.App.Modules.FirstOrDefault(m => m.Producers.Any(producerNames.Contains)) ?? consumer.App.Modules[0];
                var producerModule = producer.Modules.FirstOrDefault(m => consumerModule.Producers.Contains(m.Name, StringComparer.OrdinalIgnoreCase)) ?? producer.Modules[0];
                conflicts.Add(new PlanConflict(consumer, producer, producerVersion, minIndex, consumerModule, producerModule, consumerInPlan));
            }
        }
        return conflicts;
    }

    public DownloadLink AddDownload(string fileName, byte[] content)
    {
        var link = new DownloadLink(NewKey(), fileName, content, Now.AddMinutes(60));
        lock (Gate) Downloads[link.Id] = link;
        return link;
    }

    /// <summary>A stable, GUID-shaped hash of a text (native hashes of the seeded mobile app).</summary>
    public static string StableHash(string text) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16)).ToString();

    public string SolutionStatus(SolutionBuild build)
    {
        var pace = Options.Pace;
        var elapsed = Now - build.CreatedAt;
        var step = pace <= TimeSpan.Zero ? SolutionBuild.Steps.Length - 1 : (int)Math.Min(SolutionBuild.Steps.Length - 1, elapsed.Ticks / pace.Ticks);
        return SolutionBuild.Steps[Math.Max(0, step)];
    }
}
