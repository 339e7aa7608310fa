using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>
/// A rollback point of Production taken on the fake world, then a bad deploy of Orders 2.0
/// (and the database moved on). Tests plan and execute against it.
/// </summary>
public sealed class RollbackScenario : IDisposable
{
    public readonly TempDirectory Temp = new();
    public readonly FakeWorld World = new();
    public readonly RecordingReporter Reporter = new();
    public readonly RollbackCatalog Catalog;
    public readonly SqliteTarget Database;
    public RollbackPoint Point = null!;

    public RollbackScenario()
    {
        Catalog = new RollbackCatalog(Temp.File("catalog"));
        Database = new SqliteTarget(Temp.File("production.db"));
    }

    public static async Task<RollbackScenario> CreateAsync(bool badDeploy = true, bool skipPackage = false, IReadOnlyList<string>? applications = null)
    {
        var s = new RollbackScenario();
        s.World.DatabaseContent[s.Database.DisplayName] = "DB:pre-deploy";
        s.Point = await new RollbackPointBuilder(s.Catalog, s.World.Ports()).CreateAsync(new RollbackPointRequest
        {
            Environment = "Production",
            Applications = applications ?? [],
            Database = s.Database,
            SkipSolutionPackage = skipPackage,
        }, s.Reporter, CancellationToken.None);
        if (badDeploy)
        {
            s.World.Deploy("Production", "orders-v2");
            s.World.DatabaseContent[s.Database.DisplayName] = "DB:post-deploy";
        }
        s.World.Calls.Clear();
        return s;
    }

    public Task<RollbackPlan> PlanAsync(RollbackStrategy? strategy = null, bool allowDataLoss = false, bool dataCorruption = false, int maxModules = 25, bool allowUnverifiedModuleVersionField = true,
        OsRollback.Engine.Platform.ProcessInFlightReading? processInstances = null, params string[] modules) =>
        new RollbackPlanner(World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = Point,
            Reason = "INC-42 orders page broken",
            Strategy = strategy,
            AllowDataLoss = allowDataLoss,
            DataCorruption = dataCorruption,
            MaxModules = maxModules,
            Modules = modules,
            AllowUnverifiedModuleVersionField = allowUnverifiedModuleVersionField,
            ProcessInstances = processInstances,
        }, Reporter, CancellationToken.None);

    public RollbackRun Executor(RollbackPorts? ports = null) => new(Catalog, ports ?? World.Ports());

    public Task<RollbackResult> ExecuteAsync(RollbackPlan plan, bool resume = false, RollbackRun? executor = null, RollbackExecutionOptions? options = null) =>
        (executor ?? Executor()).ExecuteAsync(plan, Point, plan.Strategy == RollbackStrategy.Database ? Database : null,
            options ?? new RollbackExecutionOptions { Resume = resume }, Reporter, CancellationToken.None);

    /// <summary>Every file written under the scratch folder, as text (for secret searches).</summary>
    public string AllText() => string.Join("\n", Directory.GetFiles(Temp.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    public void Dispose() => Temp.Dispose();
}
