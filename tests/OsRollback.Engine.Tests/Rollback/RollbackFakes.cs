using Newtonsoft.Json;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Smoke;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>
/// A small OutSystems factory in memory, behind recording fakes of every rollback port.
/// Environments Development &lt; Quality &lt; Production; applications Common, Orders, Billing.
/// </summary>
public sealed class FakeWorld
{
    public readonly List<string> Calls = new();
    public readonly Dictionary<string, List<RunningApplication>> Running = new(StringComparer.OrdinalIgnoreCase);
    public readonly Dictionary<string, bool> Maintenance = new(StringComparer.OrdinalIgnoreCase);
    public readonly Dictionary<string, bool> TimersSuspended = new(StringComparer.OrdinalIgnoreCase);
    public readonly Dictionary<string, string> DatabaseContent = new();
    public readonly Dictionary<string, string> ParallelDatabases = new();
    public bool FirewallOpen = true;

    /// <summary>Application servers whose IIS and OutSystems services run (the server procedure's hook stops and starts them).</summary>
    public readonly Dictionary<string, bool> ServicesRunning = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Timer names the next SuspendWokenTimers reports as woken by publishing.</summary>
    public readonly List<string> WokenTimers = new();

    /// <summary>Application version keys LifeTime no longer has (a deleted tag).</summary>
    /// <summary>Per module wave published: whether the undocumented staging Version field was asked for.</summary>
    public readonly List<bool> WavesWithVersionField = new();

    public readonly HashSet<string> DeletedTags = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What LifeTime says of Production: OutSystems Cloud, and its DatabaseProvider.</summary>
    public bool ProductionIsCloud;
    public string? ProductionDatabaseProvider;

    /// <summary>What the platform reports about deployments that affected business processes.</summary>
    public readonly List<string> BusinessProcessNotices = new();
    public bool Healthy = true;

    /// <summary>Databases (by display name) whose backup, or restore, fails with DiskFull.</summary>
    public readonly HashSet<string> FailBackupOf = new(StringComparer.OrdinalIgnoreCase);
    public readonly HashSet<string> FailRestoreOf = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws this from the named operation (e.g. "PublishPackage") once, then clears.</summary>
    public Dictionary<string, Exception> FailOnce = new();

    /// <summary>LifeTime deployment plans created by the resumable deploy.</summary>
    public int DeploymentsCreated;

    /// <summary>Blocks the named operation until released (concurrency tests).</summary>
    public Dictionary<string, TaskCompletionSource> Gates = new();

    public static readonly Dictionary<string, RunningApplication> Versions = new()
    {
        ["common-v1"] = App("app-common", "Common", "common-v1", "1.0", ("mod-common", "Common_Lib", "cl-1")),
        ["orders-v1"] = App("app-orders", "Orders", "orders-v1", "1.0", ("mod-orders-cs", "Orders_CS", "ocs-1"), ("mod-orders", "Orders", "o-1")),
        ["orders-v2"] = App("app-orders", "Orders", "orders-v2", "2.0", ("mod-orders-cs", "Orders_CS", "ocs-2"), ("mod-orders", "Orders", "o-2")),
        ["billing-v1"] = App("app-billing", "Billing", "billing-v1", "1.0", ("mod-invoices", "Invoices_CS", "inv-1"), ("mod-billing", "Billing", "b-1")),
        ["billing-v2"] = App("app-billing", "Billing", "billing-v2", "2.0", ("mod-invoices", "Invoices_CS", "inv-2"), ("mod-billing", "Billing", "b-2")),
    };

    public static readonly IReadOnlyList<ModuleDefinition> Graph =
    [
        new("Common_Lib", ModuleKind.eSpace, "Common", []),
        new("Orders_CS", ModuleKind.eSpace, "Orders", ["Common_Lib"]),
        new("Orders", ModuleKind.eSpace, "Orders", ["Orders_CS", "Common_Lib"]),
        new("Invoices_CS", ModuleKind.eSpace, "Billing", ["Common_Lib", "Orders_CS"]),
        new("Billing", ModuleKind.eSpace, "Billing", ["Invoices_CS"]),
    ];

    public FakeWorld()
    {
        foreach (var env in new[] { "Development", "Quality", "Production" })
        {
            Running[env] = [Versions["common-v1"], Versions["orders-v1"], Versions["billing-v1"]];
            Maintenance[env] = false;
            TimersSuspended[env] = false;
        }
    }

    private static RunningApplication App(string key, string name, string versionKey, string version, params (string Key, string Name, string Version)[] modules) =>
        new(key, name, versionKey, version, modules.Select(m => new RunningModule(m.Key, m.Name, "eSpace", m.Version)).ToList(), $"http://127.0.0.1:1/{name}/");

    /// <summary>Simulates a deploy outside OsRollback (the bad one).</summary>
    public void Deploy(string environment, string versionKey)
    {
        var version = Versions[versionKey];
        var list = Running[environment];
        list.RemoveAll(a => a.Key == version.Key);
        list.Add(version);
    }

    public string VersionOf(string environment, string appName) => Running[environment].Single(a => a.Name == appName).VersionKey;

    public string ModuleVersion(string environment, string moduleName) => Running[environment].SelectMany(a => a.Modules).Single(m => m.Name == moduleName).VersionKey;

    internal async Task Act(string operation)
    {
        lock (Calls) Calls.Add(operation);
        var name = operation.Split(' ')[0];
        if (Gates.TryGetValue(name, out var gate)) await gate.Task;
        if (FailOnce.Remove(name, out var error)) throw error;
    }

    /// <summary>A comparable picture of everything the ports can change.</summary>
    public string State() => JsonConvert.SerializeObject(new
    {
        Running = Running.OrderBy(r => r.Key).Select(r => new { r.Key, Apps = r.Value.OrderBy(a => a.Key).Select(a => new { a.Key, a.VersionKey, Modules = a.Modules.Select(m => m.Key + "=" + m.VersionKey) }) }),
        Maintenance, TimersSuspended, FirewallOpen,
        Db = DatabaseContent.OrderBy(d => d.Key), Parallel = ParallelDatabases.OrderBy(d => d.Key), Identity = IdentityValues.OrderBy(d => d.Key),
    });

    public RollbackPorts Ports(bool withFirewall = true, IServerProcedure? procedure = null) => new()
    {
        Procedure = procedure ?? new RecordingProcedure(this),
        Platform = new RecordingPlatform(this),
        Database = new RecordingDatabase(this),
        Schema = new RecordingSchema(this),
        Smoke = new RecordingSmoke(this),
        Firewall = withFirewall ? new RecordingFirewall(this) : null,
        ModuleGraph = new RecordingGraph(this),
        Identity = new RecordingIdentity(this),
    };

    /// <summary>The identity high-water mark of each database (by display name) as the fake reseeder sees it.</summary>
    public Dictionary<string, long> IdentityValues { get; } = new();
}

public sealed class RecordingIdentity(FakeWorld world) : IIdentityReseeder
{
    public async Task<IReadOnlyList<IdentityHighWater>> ReadHighWaterAsync(DatabaseTarget target, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("IdentityHighWater");
        return [new IdentityHighWater("OSUSR_ABC_ORDER", null, world.IdentityValues.GetValueOrDefault(target.DisplayName, 100), true)];
    }

    public async Task<IdentityReseedReport> ReseedAsync(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("Reseed");
        var mark = marks.Single().Value;
        var raised = world.IdentityValues.GetValueOrDefault(target.DisplayName) < mark;
        if (raised) world.IdentityValues[target.DisplayName] = mark;
        return new IdentityReseedReport(raised ? 1 : 0, []);
    }
}

public sealed class RecordingPlatform(FakeWorld world) : IRollbackPlatform
{
    public Task<IReadOnlyList<PlatformEnvironmentInfo>> GetEnvironmentsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PlatformEnvironmentInfo>>([new("env-dev", "Development", 1), new("env-qa", "Quality", 2),
            new("env-prd", "Production", 3, world.ProductionIsCloud, world.ProductionDatabaseProvider)]);

    public Task<IReadOnlyList<string>> GetBusinessProcessNoticesAsync(string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(world.BusinessProcessNotices.ToList());

    public Task<IReadOnlyList<RunningApplication>> GetRunningApplicationsAsync(string environment, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunningApplication>>(world.Running[environment].ToList());

    public async Task<string> DeployVersionsAsync(string sourceEnvironment, string targetEnvironment, IReadOnlyList<string> applicationVersionKeys, string notes, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act($"Deploy {sourceEnvironment}->{targetEnvironment} {string.Join(",", applicationVersionKeys)}");
        foreach (var key in applicationVersionKeys) world.Deploy(targetEnvironment, key);
        return "deployment-1";
    }

    /// <summary>The resumable deployment: created (and reported) first, then run; a given key is continued, never created again.</summary>
    public async Task<string> DeployVersionsAsync(DeployVersionsRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        string deployment;
        if (request.ExistingDeploymentKey is { } existing)
        {
            await world.Act($"ContinueDeployment {existing}");
            deployment = existing;
        }
        else
        {
            deployment = $"deployment-{++world.DeploymentsCreated}";
            if (request.DeploymentCreated is { } created) await created(deployment, cancellationToken);
            // a failure here is a status outage: LifeTime keeps running the created deployment
            await world.Act($"Deploy {request.SourceEnvironment}->{request.TargetEnvironment} {string.Join(",", request.ApplicationVersionKeys)}");
        }
        foreach (var key in request.ApplicationVersionKeys) world.Deploy(request.TargetEnvironment, key);
        return deployment;
    }

    public async Task DownloadSolutionPackageAsync(string environment, IReadOnlyList<string> applicationKeys, string destinationPath, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act($"DownloadPackage {environment}");
        var keys = world.Running[environment].Where(a => applicationKeys.Contains(a.Key)).Select(a => a.VersionKey).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(destinationPath)!);
        File.WriteAllText(destinationPath, string.Join("\n", keys));
    }

    public async Task PublishPackageAsync(string environment, string packagePath, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act($"PublishPackage {environment}");
        foreach (var key in File.ReadAllLines(packagePath)) world.Deploy(environment, key);
    }

    public Task PublishModulesAsync(string environment, IReadOnlyList<ModulePublishItem> modules, bool useUnverifiedVersionField, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        lock (world.WavesWithVersionField) world.WavesWithVersionField.Add(useUnverifiedVersionField);
        return PublishModulesAsync(environment, modules, reporter, cancellationToken);
    }

    public async Task PublishModulesAsync(string environment, IReadOnlyList<ModulePublishItem> modules, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act($"PublishWave {string.Join(",", modules.Select(m => m.Name))}");
        var apps = world.Running[environment];
        for (var i = 0; i < apps.Count; i++)
        {
            var app = apps[i];
            apps[i] = app with
            {
                Modules = app.Modules.Select(m => modules.FirstOrDefault(p => p.Key == m.Key) is { VersionKey.Length: > 0 } p ? m with { VersionKey = p.VersionKey } : m).ToList(),
            };
        }
    }

    public async Task SetMaintenanceModeAsync(string environment, bool enabled, string reason, CancellationToken cancellationToken)
    {
        await world.Act($"Maintenance {(enabled ? "on" : "off")}");
        world.Maintenance[environment] = enabled;
    }

    public Task<bool?> ApplicationVersionExistsAsync(string applicationKey, string versionKey, CancellationToken cancellationToken) =>
        Task.FromResult<bool?>(!world.DeletedTags.Contains(versionKey));

    public async Task<IReadOnlyList<string>> SuspendWokenTimersAsync(string environment, CancellationToken cancellationToken)
    {
        await world.Act("Timers resuspend-woken");
        var woken = world.WokenTimers.ToList();
        world.WokenTimers.Clear();
        return woken;
    }

    public async Task SetTimersSuspendedAsync(string environment, bool suspended, CancellationToken cancellationToken)
    {
        await world.Act($"Timers {(suspended ? "suspend" : "resume")}");
        world.TimersSuspended[environment] = suspended;
    }
}

/// <summary>The operator's -ProcedureScript hook, or remoting (<paramref name="hook"/> false): records each server operation.</summary>
public sealed class RecordingProcedure(FakeWorld world, bool hook = true) : IServerProcedure
{
    public bool HasHook => hook;

    public Task RunHookAsync(ServerOperationContext context, CancellationToken cancellationToken) => Run(context);

    public Task RunRemoteAsync(ServerOperationContext context, CancellationToken cancellationToken) => Run(context);

    private async Task Run(ServerOperationContext context)
    {
        await world.Act($"{context.Operation} {context.Server ?? "*"}".TrimEnd());
        if (context.Operation == ServerOperations.StopServices) world.ServicesRunning[context.Server ?? "*"] = false;
        if (context.Operation == ServerOperations.ConfigureServer) world.ServicesRunning[context.Server ?? "*"] = true;
    }
}

public sealed class RecordingDatabase(FakeWorld world) : IRollbackDatabase
{
    public async Task<BackupRecord> BackupAsync(DatabaseTarget target, string folder, string fileName, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act($"Backup {fileName}");
        if (world.FailBackupOf.Contains(target.DisplayName)) throw new OsRollbackException("DiskFull", OsErrorCategory.ResourceUnavailable, $"No space to back up {target.DisplayName}.", target.DisplayName, "Free space.");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName + ".bak");
        File.WriteAllText(path, world.DatabaseContent.GetValueOrDefault(target.DisplayName, "DB:empty"));
        return new BackupRecord(path, DateTimeOffset.UtcNow, true, new FileInfo(path).Length);
    }

    public async Task<bool> VerifyAsync(DatabaseTarget target, string backupPath, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("Verify");
        return File.Exists(backupPath) && File.ReadAllText(backupPath).StartsWith("DB:", StringComparison.Ordinal);
    }

    public async Task RestoreAsync(DatabaseTarget target, string backupPath, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("Restore");
        if (world.FailRestoreOf.Contains(target.DisplayName)) throw new OsRollbackException("DiskFull", OsErrorCategory.ResourceUnavailable, $"No space to restore {target.DisplayName}.", target.DisplayName, "Free space.");
        world.DatabaseContent[target.DisplayName] = File.ReadAllText(backupPath);
        world.IdentityValues[target.DisplayName] = 10; // the pre-deploy backup's keys end lower than the live ones
    }

    public async Task<string> RestoreAsParallelAsync(DatabaseTarget target, string backupPath, string suffix, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("RestoreParallel");
        var name = $"{target.DisplayName}_{suffix}";
        world.ParallelDatabases[name] = File.ReadAllText(backupPath);
        return name;
    }
}

public sealed class RecordingSchema(FakeWorld world) : ISchemaSnapshotter
{
    public async Task<int> CaptureAsync(DatabaseTarget target, string filePath, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("SchemaSnapshot");
        File.WriteAllText(filePath, "{\"tables\":[]}");
        return 3;
    }
}

public sealed class RecordingSmoke(FakeWorld world) : ISmokeTester
{
    public async Task<IReadOnlyList<SmokeResult>> RunAsync(string environment, IReadOnlyList<SmokeTarget> targets, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("Smoke");
        return targets.Select(t => new SmokeResult { Name = t.Application, Url = t.Url, Passed = world.Healthy, Message = world.Healthy ? "HTTP 200" : "HTTP 500" }).ToList();
    }
}

public sealed class RecordingFirewall(FakeWorld world) : IFirewallHook
{
    public bool Has(string phase) => true;

    public async Task TakeOfflineAsync(HookContext context, CancellationToken cancellationToken)
    {
        await world.Act("Firewall offline");
        world.FirewallOpen = false;
    }

    public async Task BringOnlineAsync(HookContext context, CancellationToken cancellationToken)
    {
        await world.Act("Firewall online");
        world.FirewallOpen = true;
    }
}

public sealed class RecordingGraph(FakeWorld world) : IModuleGraphSource
{
    public async Task<IReadOnlyList<ModuleDefinition>> ReadAsync(DatabaseTarget platformDatabase, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        await world.Act("ReadGraph");
        return FakeWorld.Graph;
    }
}

/// <summary>A journal whose writes "crash the process" at a chosen event.</summary>
internal sealed class CrashingJournal(string folder, TimeProvider time, int crashStep, JournalEvent crashEvent) : RollbackJournal(folder, time)
{
    public override void Write(int step, string kind, JournalEvent @event, string? detail = null, StepOutcome? outcome = null)
    {
        if (step == crashStep && @event == crashEvent) throw new SimulatedCrash();
        base.Write(step, kind, @event, detail, outcome);
    }
}

internal sealed class SimulatedCrash : Exception
{
    public SimulatedCrash() : base("simulated crash") { }
}
