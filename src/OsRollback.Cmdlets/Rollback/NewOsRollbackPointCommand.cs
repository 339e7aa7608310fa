using System.Management.Automation;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>New-OsRollbackPoint: captures, before a deploy, everything a rollback of the environment needs.</summary>
[Cmdlet(VerbsCommon.New, "OsRollbackPoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SqlServerSet)]
[OutputType(typeof(RollbackPoint))]
public sealed class NewOsRollbackPointCommand : RollbackDatabaseCmdlet
{
    /// <summary>The LifeTime environment about to receive the deploy.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsEnvironmentCompleter))]
    public string Environment { get; set; } = "";

    /// <summary>Applications to capture; default (or 'all'): every application of the environment.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OsRollback.Cmdlets.Completion.OsApplicationCompleter))]
    public string[] Application { get; set; } = [];

    /// <summary>The LifeTime connection from Connect-OsLifeTime.</summary>
    [Parameter]
    public LifeTimeConnection? Connection { get; set; }

    /// <summary>A note stored with the rollback point (e.g. the release being deployed).</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Do not download the solution package (the Solution strategy will not be available).</summary>
    [Parameter]
    public SwitchParameter SkipSolutionPackage { get; set; }

    protected override void EndProcessing()
    {
        var catalog = Catalog;
        var target = GetDatabaseTarget();
        var apps = Application.Length == 0 ? "all applications" : string.Join(", ", Application);
        if (!ShouldProcess(Environment, $"Take a rollback point ({apps}; verified backup of {target.DisplayName}) into {catalog.PointsDirectory}")) return;
        using var ports = Run(_ => Services.CreatePorts(new RollbackPortRequest
        {
            Connection = Connection, Database = target, NeedsPlatform = true, NeedsDatabase = true, NeedsSchema = true,
        }));
        var point = RunAsync((reporter, ct) => new RollbackPointBuilder(catalog, ports).CreateAsync(new RollbackPointRequest
        {
            Environment = Environment,
            Applications = Application,
            Database = target,
            Description = Description,
            SkipSolutionPackage = SkipSolutionPackage.IsPresent,
        }, reporter, ct));
        WriteObject(point);
    }
}
