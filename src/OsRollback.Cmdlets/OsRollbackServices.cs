using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using OsRollback.Cmdlets.Rollback;
using OsRollback.Engine.Database;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Cmdlets;

/// <summary>
/// The composition root of the cmdlets: where they get their rollback ports, the database backup
/// service, the clock and the default connections. Every runspace uses <see cref="Default"/> (so the
/// last Connect-OsLifeTime of the process is every runspace's default, as always) unless a host gave
/// the runspace its own with <see cref="Use"/>: a test host injecting recording fakes into one
/// runspace leaves every other runspace on the real services.
/// </summary>
public sealed class OsRollbackServices
{
    private static readonly ConditionalWeakTable<Runspace, OsRollbackServices> ByRunspace = new();

    /// <summary>The real services, shared by every runspace without its own.</summary>
    public static OsRollbackServices Default { get; } = new();

    /// <summary>Builds the ports of a rollback cmdlet; the request's connections are already defaulted.</summary>
    public Func<RollbackPortRequest, RollbackPorts> PortFactory { get; init; } = RollbackPortFactory.Create;

    /// <summary>Backup, restore and verify for the database cmdlets.</summary>
    public DatabaseBackupService DatabaseBackup { get; init; } = new();

    /// <summary>The clock of what the cmdlets time themselves (the completion cache).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Names fetched from LifeTime for tab completion, per connection and list, with when they were fetched.</summary>
    internal ConcurrentDictionary<(LifeTimeConnection Connection, string What), (DateTimeOffset At, string[] Names)> CompletionCache { get; } = new();

    /// <summary>The last Connect-OsLifeTime / Connect-OsServiceCenter: the default of every platform cmdlet.</summary>
    public PlatformConnections Connections { get; } = new();

    /// <summary>Gives the runspace its own services (a test host, an embedding application).</summary>
    public static void Use(Runspace runspace, OsRollbackServices services)
    {
        ArgumentNullException.ThrowIfNull(runspace);
        ArgumentNullException.ThrowIfNull(services);
        ByRunspace.AddOrUpdate(runspace, services);
    }

    /// <summary>Puts the runspace back on <see cref="Default"/>.</summary>
    public static void Reset(Runspace runspace) => ByRunspace.Remove(runspace);

    /// <summary>The services of the runspace (the one running the current pipeline when null).</summary>
    public static OsRollbackServices For(Runspace? runspace = null)
    {
        runspace ??= Runspace.DefaultRunspace;
        return runspace is not null && ByRunspace.TryGetValue(runspace, out var own) ? own : Default;
    }

    /// <summary>The ports for a request, with -Connection / -ServiceCenterConnection defaulted to the last ones connected.</summary>
    internal RollbackPorts CreatePorts(RollbackPortRequest request) => PortFactory(request with
    {
        Connection = request.Connection ?? Connections.LifeTime,
        ServiceCenterConnection = request.ServiceCenterConnection ?? Connections.ServiceCenter,
    });
}

/// <summary>The connections made last (Connect-OsLifeTime, Connect-OsServiceCenter); read and written from any thread.</summary>
public sealed class PlatformConnections
{
    private volatile LifeTimeConnection? _lifeTime;
    private volatile ServiceCenterConnection? _serviceCenter;

    public LifeTimeConnection? LifeTime { get => _lifeTime; set => _lifeTime = value; }

    public ServiceCenterConnection? ServiceCenter { get => _serviceCenter; set => _serviceCenter = value; }
}
