using OsRollback.Cmdlets.Platform;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Smoke;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>What a rollback cmdlet has to build its ports from, and which ports it needs.</summary>
public sealed record RollbackPortRequest
{
    /// <summary>-Connection: the LifeTime connection from Connect-OsLifeTime (the cmdlet defaults it to the last one connected).</summary>
    public LifeTimeConnection? Connection { get; init; }

    /// <summary>-ServiceCenterConnection: the Service Center connection from Connect-OsServiceCenter (default: the last one connected).</summary>
    public ServiceCenterConnection? ServiceCenterConnection { get; init; }

    /// <summary>The environment's database from -SqlInstance/-Database/-SqlCredential or -SqlitePath.</summary>
    public DatabaseTarget? Database { get; init; }

    public bool NeedsPlatform { get; init; }
    public bool NeedsDatabase { get; init; }
    public bool NeedsSchema { get; init; }

    /// <summary>Already built by the cmdlet (script hooks run on the pipeline thread).</summary>
    public IFirewallHook? Firewall { get; init; }
    public ISmokeTester? Smoke { get; init; }

    /// <summary>The Database rollback's server operations (-ProcedureScript hook, remoting to the plan's servers).</summary>
    public IServerProcedure? Procedure { get; init; }
}

/// <summary>
/// The one place where the rollback cmdlets get their ports: adapters over the platform clients
/// (LifeTime, Service Center, timers), the database backup service and the schema snapshot reader.
/// A missing connection or database is an OsRollbackException raised before anything changes.
/// The cmdlets reach it through <see cref="OsRollbackServices.PortFactory"/>, which a test host replaces per runspace.
/// </summary>
public static class RollbackPortFactory
{
    public static RollbackPorts Create(RollbackPortRequest request)
    {
        return new RollbackPorts
        {
            Platform = request.NeedsPlatform ? CreatePlatform(request) : null,
            Database = request.NeedsDatabase ? CreateDatabase(request.Database) : null,
            Identity = request.NeedsDatabase ? new IdentityReseeder() : null,
            // Snapshot and mark exist only on SQL Server; SQLite rollbacks restore the full backup.
            FastRevert = request.NeedsDatabase ? FastRevertAdapter.For(request.Database) : null,
            DatabaseIdentity = request.Database is not null ? new DatabaseIdentityReader() : null,
            Schema = request.NeedsSchema ? CreateSchemaSnapshotter(request.Database) : null,
            ModuleGraph = new MetamodelModuleGraphSource(),
            Smoke = request.Smoke,
            Firewall = request.Firewall,
            Procedure = request.Procedure,
            Aftermath = new RunAftermathCounter(),
        };
    }

    private static IRollbackPlatform CreatePlatform(RollbackPortRequest request)
    {
        var lifeTime = request.Connection;
        if (lifeTime is null)
        {
            throw new OsRollbackException("PlatformNotConnected", OsErrorCategory.ResourceUnavailable,
                "This command needs a LifeTime connection.", null,
                "Connect first: $lt = Connect-OsLifeTime ...; then give -Connection $lt (and -ServiceCenterConnection for module publishes).");
        }
        var timerStates = Path.Combine(RollbackCatalog.Resolve(null).Home, "timer-states");
        return new PlatformServicesAdapter(lifeTime, request.ServiceCenterConnection, request.Database, timerStates);
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
