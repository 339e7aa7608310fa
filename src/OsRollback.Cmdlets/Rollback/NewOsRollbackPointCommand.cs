using System.Management.Automation;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>New-OsRollbackPoint: captures, before a deploy, everything a rollback of the environment needs.</summary>
[Cmdlet(VerbsCommon.New, "OsRollbackPoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = WithoutDatabaseSet)]
[OutputType(typeof(RollbackPoint))]
public sealed class NewOsRollbackPointCommand : RollbackDatabaseCmdlet
{
    /// <summary>No database parameters: allowed only where the platform database is on Oracle (the engine refuses otherwise).</summary>
    private const string WithoutDatabaseSet = "WithoutDatabase";

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

    /// <summary>SQL Server: the other database catalogs (on the same instance) that eSpaces are bound to; backed up and restored with the platform database.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] CatalogDatabase { get; set; } = [];

    /// <summary>SQLite (sandbox, drills): the files of the other catalogs; backed up and restored with the platform database.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] CatalogSqlitePath { get; set; } = [];

    /// <summary>The separate log database (a name on the instance, or a SQLite path): recorded only, never backed up or restored.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LoggingDatabase { get; set; }

    /// <summary>The session database (a name on the instance, or a SQLite path): recorded only, never backed up or restored.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SessionDatabase { get; set; }

    /// <summary>SQL Server: also read the catalogs from the platform database (OSSYS_DBCATALOG) with a query no public source confirms.</summary>
    [Parameter]
    public SwitchParameter DiscoverCatalogsUnverified { get; set; }

    protected override void EndProcessing()
    {
        var catalog = Catalog;
        var target = DatabaseOrNull;
        if (target is null && (CatalogDatabase.Length > 0 || CatalogSqlitePath.Length > 0 || LoggingDatabase is not null || SessionDatabase is not null || DiscoverCatalogsUnverified))
            Run(_ => throw new OsRollback.Engine.Rollback.Planning.DatabaseParametersRequiredException(
                "-CatalogDatabase, -CatalogSqlitePath, -LoggingDatabase, -SessionDatabase and -DiscoverCatalogsUnverified name databases beside the platform database, which was not given.", Environment,
                "Give the platform database too (-SqlInstance/-Database or -SqlitePath), or leave these parameters out where the platform database is on Oracle."));
        var named = DiscoverCatalogsUnverified && target is not null
            ? Run(r => CatalogDatabase.Concat(UnverifiedCatalogQuery.Discover(target, r)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray())
            : CatalogDatabase;
        var factory = target is null ? null : Run(_ => FactoryDatabaseInputs.Resolve(target, named, CatalogSqlitePath.Select(GetUnresolvedProviderPathFromPSPath).ToList(),
            BesideTarget(target, LoggingDatabase), BesideTarget(target, SessionDatabase)));
        var catalogs = factory is null || factory.Catalogs.Count == 0 ? "" : $" and of the catalogs {string.Join(", ", factory.Catalogs.Select(c => c.DisplayName))}";
        var apps = Application.Length == 0 ? "all applications" : string.Join(", ", Application);
        var backup = target is null ? "no database: the environment's platform database must be on Oracle" : $"verified backup of {target.DisplayName}{catalogs}";
        if (!ShouldProcess(Environment, $"Take a rollback point ({apps}; {backup}) into {catalog.PointsDirectory}")) return;
        using var ports = Run(_ => Services.CreatePorts(new RollbackPortRequest
        {
            Connection = Connection, Database = target, NeedsPlatform = true, NeedsDatabase = target is not null, NeedsSchema = target is not null,
        }));
        var point = RunAsync((reporter, ct) => new RollbackPointBuilder(catalog, ports).CreateAsync(new RollbackPointRequest
        {
            Environment = Environment,
            Applications = Application,
            Database = target,
            Description = Description,
            SkipSolutionPackage = SkipSolutionPackage.IsPresent,
            Catalogs = factory?.Catalogs ?? [],
            LoggingDatabase = factory?.Logging,
            SessionDatabase = factory?.Session,
        }, reporter, ct));
        WriteObject(point);
    }
}
