using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Smoke;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// The ports given to the rollback engine. A port may be missing (null) when the operation at
/// hand does not need it; <see cref="Require{T}"/> turns a missing one into a clear error
/// before anything is changed.
/// </summary>
public sealed class RollbackPorts : IDisposable
{
    public IRollbackDatabase? Database { get; init; }
    public IRollbackPlatform? Platform { get; init; }
    public ISchemaSnapshotter? Schema { get; init; }
    public ISmokeTester? Smoke { get; init; }
    public IFirewallHook? Firewall { get; init; }
    public IModuleGraphSource? ModuleGraph { get; init; }
    public IIdentityReseeder? Identity { get; init; }

    /// <summary>The server operations of a Database rollback (optional: without it, those steps stop for the operator to do them by hand).</summary>
    public IServerProcedure? Procedure { get; init; }

    /// <summary>Snapshot revert and restore to the deploy's mark (optional: without it a Database rollback restores the full backup).</summary>
    public IFastRevertDatabase? FastRevert { get; init; }

    /// <summary>Reads which database a target is (optional: without it, points record no identity and no check binds them).</summary>
    public IDatabaseIdentitySource? DatabaseIdentity { get; init; }

    /// <summary>Counts the rows to recover and the schema left behind for the report (optional: without it the report says "not counted").</summary>
    public IRunAftermathCounter? Aftermath { get; init; }

    /// <summary>Disposes the ports that own connections (the platform adapter's HTTP client).</summary>
    public void Dispose() => (Platform as IDisposable)?.Dispose();

    public static T Require<T>(T? port, string what, string parameterHint) where T : class =>
        port ?? throw new OsRollbackException("PlatformNotConnected", OsErrorCategory.ResourceUnavailable,
            $"This operation needs {what}, which is not available.", what,
            $"Give {parameterHint}.");
}
