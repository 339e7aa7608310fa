using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>New-OsRollbackPlan: picks the best strategy that can work and lists every step; changes nothing.</summary>
[Cmdlet(VerbsCommon.New, "OsRollbackPlan")]
[OutputType(typeof(RollbackPlan))]
public sealed class NewOsRollbackPlanCommand : OsCmdlet
{
    /// <summary>The rollback point to go back to: an object from Get-OsRollbackPoint, an Id or a folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsRollbackPointCompleter))]
    [RollbackPointTransformation]
    public RollbackPointReference RollbackPoint { get; set; } = null!;

    /// <summary>Why the rollback is needed (incident, symptom); stored in the plan, journal and report.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = "";

    /// <summary>Only consider this strategy. A string (not the engine enum): engine value types in a
    /// cmdlet's fields would make PowerShell load the engine before the module initializer runs.</summary>
    [Parameter]
    [ValidateSet("LifeTime", "Solution", "Module", "Database", IgnoreCase = true)]
    public string? Strategy { get; set; }

    /// <summary>The bad version corrupted data: code-only strategies are skipped.</summary>
    [Parameter]
    public SwitchParameter DataCorruption { get; set; }

    /// <summary>Roll back only these modules (with their consumers), module by module.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsModuleCompleter))]
    public string[] Module { get; set; } = [];

    /// <summary>Allow the Database strategy, which loses the data written since the backup (recoverable from the parallel database).</summary>
    [Parameter]
    public SwitchParameter AllowDataLoss { get; set; }

    /// <summary>The most modules the Module strategy may republish (changed ones plus consumers).</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int MaxModules { get; set; } = 25;

    /// <summary>The LifeTime connection from Connect-OsLifeTime.</summary>
    [Parameter]
    public LifeTimeConnection? Connection { get; set; }

    /// <summary>The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>Plan a Database restore from a rollback point whose backup was already restored (warns, naming that restore).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Let the Module strategy publish previous module versions through Service Center's undocumented staging Version field.</summary>
    [Parameter]
    public SwitchParameter AllowUnverifiedModuleVersionField { get; set; }

    /// <summary>Assess every strategy, also those after the chosen one, for the decision document (Export-OsRollbackPlan -Format Html).</summary>
    [Parameter]
    public SwitchParameter AssessAllStrategies { get; set; }

    /// <summary>Database strategy: the deployment controller server, reached by PowerShell remoting (configured first after the restore).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DeploymentController { get; set; }

    /// <summary>Database strategy: the front-end servers, reached by PowerShell remoting.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] FrontEnd { get; set; } = [];

    /// <summary>Database strategy: how the factory is republished after the restore (default ModuleWaves). A string, see -Strategy.</summary>
    [Parameter]
    [ValidateSet("ModuleWaves", "AllComponents", IgnoreCase = true)]
    public string? Republish { get; set; }

    protected override void ProcessRecord()
    {
        if (string.Equals(Strategy, "Database", StringComparison.OrdinalIgnoreCase) && !AllowDataLoss)
        {
            ThrowInvalid("DataLossNotAllowed", OsErrorCategory.InvalidArgument,
                "The Database strategy loses everything written since the rollback point's backup.", Strategy,
                "Add -AllowDataLoss to accept it (the data is recovered from a parallel database afterwards), or choose another -Strategy.");
        }
        var catalog = RollbackInputs.Catalog(this, CatalogPath);
        var point = Run(_ => RollbackPoint.Resolve(catalog));
        var history = Run(_ => RollbackRunHistory.OfCatalogAndPoint(catalog, point));
        foreach (var unreadable in history.Unreadable) Reporter.Verbose($"Not used for the outage estimate: {unreadable.Message}");
        using var ports = Run(_ => Services.CreatePorts(new RollbackPortRequest { Connection = Connection, NeedsPlatform = true }));
        // The Database strategy's fastest safe path depends on what the server holds now (snapshot, log chain, AG/TDE...).
        var fastRevert = Strategy is null || string.Equals(Strategy, "Database", StringComparison.OrdinalIgnoreCase)
            ? RunAsync((reporter, cancel) => FastRevertPlanInputs.ReadAsync(FastRevertPort(point), point, reporter, cancel))
            : new FastRevertPlanInputs(null, null);
        var plan = RunAsync((reporter, cancel) => new RollbackPlanner(ports.Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = point,
            Reason = Reason,
            Strategy = Strategy is null ? null : Enum.Parse<RollbackStrategy>(Strategy, ignoreCase: true),
            DataCorruption = DataCorruption.IsPresent,
            Modules = Module,
            AllowDataLoss = AllowDataLoss.IsPresent,
            MaxModules = MaxModules,
            Force = Force.IsPresent,
            AllowUnverifiedModuleVersionField = AllowUnverifiedModuleVersionField.IsPresent,
            AssessAllStrategies = AssessAllStrategies.IsPresent,
            RevertFacts = fastRevert.Facts,
            SharedServer = fastRevert.SharedServer,
            ServerProcedure = ServerProcedure(),
            PastRuns = history.Runs,
            ProcessInstances = point.Manifest.Database.ToTarget() is { } database ? Engine.Platform.ProcessInstancesInFlight.Read(database) : null,
        }, reporter, cancel));
        foreach (var warning in plan.Warnings) Reporter.Warning(warning);  // also a logissue warning in Azure DevOps
        WriteObject(plan);
    }

    private ServerProcedureRequest ServerProcedure() => new()
    {
        DeploymentController = DeploymentController,
        FrontEnds = FrontEnd,
        Republish = Republish is null ? null : Enum.Parse<RepublishMethod>(Republish, ignoreCase: true),
    };

    /// <summary>Only a point taken on an engine with a fast revert (SQL Server) has a fast path to read.</summary>
    private static IFastRevertDatabase? FastRevertPort(Engine.Rollback.RollbackPoint point) => FastRevertAdapter.For(point.Manifest.Database.Engine);
}
