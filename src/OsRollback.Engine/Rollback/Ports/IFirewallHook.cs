namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// The user's hooks that close and open the applications to end users during a database
/// restore (firewall, load balancer, DNS): -OfflineScript and -OnlineScript. Both must be
/// idempotent (they are run again after a resume). A hook that fails throws.
/// </summary>
public interface IFirewallHook
{
    /// <summary>True when there is a hook for the phase ("Offline" or "Online").</summary>
    bool Has(string phase);

    /// <summary>Closes the applications to end users.</summary>
    Task TakeOfflineAsync(HookContext context, CancellationToken cancellationToken);

    /// <summary>Opens the applications to end users again.</summary>
    Task BringOnlineAsync(HookContext context, CancellationToken cancellationToken);
}
