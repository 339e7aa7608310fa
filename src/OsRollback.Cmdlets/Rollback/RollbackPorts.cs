using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>What a rollback cmdlet has to build its ports from, and which ports it needs.</summary>
public sealed class RollbackPortRequest
{
    /// <summary>-Connection: the LifeTime connection from Connect-OsLifeTime (typed as object until the platform area is merged).</summary>
    public object? Connection { get; init; }

    /// <summary>-ServiceCenterConnection: the Service Center connection from Connect-OsServiceCenter.</summary>
    public object? ServiceCenterConnection { get; init; }

    /// <summary>The environment's database from -SqlInstance/-Database/-SqlCredential or -SqlitePath.</summary>
    public DatabaseTarget? Database { get; init; }

    public bool NeedsPlatform { get; init; }
    public bool NeedsDatabase { get; init; }
    public bool NeedsSchema { get; init; }

    /// <summary>Already built by the cmdlet (script hooks run on the pipeline thread).</summary>
    public IFirewallHook? Firewall { get; init; }
    public ISmokeTester? Smoke { get; init; }
}

/// <summary>
/// THE place where the rollback cmdlets get real ports. The integration lead wires the adapters
/// here (OsRollback.Engine.Platform for <see cref="IRollbackPlatform"/>, OsRollback.Engine.Database
/// for <see cref="IRollbackDatabase"/>, OsRollback.Engine.Schema for <see cref="ISchemaSnapshotter"/>);
/// until then a missing adapter is an OsRollbackException with ErrorId PlatformNotConnected
/// (platform, schema) or DatabaseServiceNotConnected (database), raised before anything changes.
/// Smoke tests (HTTP + script blocks), firewall hooks and the module graph reader are real already.
/// </summary>
public static class RollbackPortFactory
{
    /// <summary>Test seam: replaces the whole factory (e.g. an xunit host injecting recording fakes).</summary>
    internal static Func<RollbackPortRequest, RollbackPorts>? Override { get; set; }

    public static RollbackPorts Create(RollbackPortRequest request)
    {
        if (Override is { } fake) return fake(request);
        return new RollbackPorts
        {
            Platform = request.NeedsPlatform ? CreatePlatform(request.Connection, request.ServiceCenterConnection) : null,
            Database = request.NeedsDatabase ? CreateDatabase(request.Database) : null,
            Schema = request.NeedsSchema ? CreateSchemaSnapshotter(request.Database) : null,
            ModuleGraph = new MetamodelModuleGraphSource(),
            Smoke = request.Smoke,
            Firewall = request.Firewall,
        };
    }

    // INTEGRATION: return an adapter over the LifeTime client (-Connection) and the Service Center
    // publisher (-ServiceCenterConnection) from OsRollback.Engine.Platform.
    private static IRollbackPlatform CreatePlatform(object? connection, object? serviceCenterConnection)
    {
        if (connection is null)
        {
            throw new OsRollbackException("PlatformNotConnected", OsErrorCategory.ResourceUnavailable,
                "This command needs a LifeTime connection.", null,
                "Connect first: $lt = Connect-OsLifeTime ...; then give -Connection $lt (and -ServiceCenterConnection for publishes).");
        }
        throw new OsRollbackException("PlatformNotConnected", OsErrorCategory.NotSpecified,
            "This build of OsRollback cannot drive LifeTime or Service Center from the rollback commands yet: the platform adapter is not wired.", connection.GetType().Name,
            "Use a build that includes the platform integration, or run the steps of the plan by hand (Export-OsRollbackPlan -Format Markdown lists them).");
    }

    private static IRollbackDatabase CreateDatabase(DatabaseTarget? target)
    {
        if (target is null)
        {
            throw new OsRollbackException("DatabaseServiceNotConnected", OsErrorCategory.InvalidArgument,
                "This command needs the environment's database.", null, "Give -SqlInstance/-Database (and -SqlCredential) or -SqlitePath.");
        }
        return new DatabaseServiceAdapter();
    }

    private static ISchemaSnapshotter CreateSchemaSnapshotter(DatabaseTarget? target) => new SchemaSnapshotAdapter();
}
