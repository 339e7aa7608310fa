namespace OsRollback.Engine.Rollback.Ports;

/// <summary>The operations of OutSystems' platform-database restore procedure that run on the application servers.</summary>
public static class ServerOperations
{
    public const string StopServices = nameof(StopServices);
    public const string ConfigureServer = nameof(ConfigureServer);
    public const string ApplyPendingSettings = nameof(ApplyPendingSettings);
    public const string PublishAllComponents = nameof(PublishAllComponents);
}

/// <summary>What a server-procedure hook gets: the operation, the server (null for a platform-wide operation) and its role.</summary>
public sealed record ServerOperationContext(string Environment, string PlanId, string RollbackPointId, string Step, string Operation, string? Server, string? Role);

/// <summary>
/// Runs the server operations of a Database rollback (stop the services, apply the Configuration
/// Tool settings and restart, apply pending settings, publish the All Components solution). The
/// cmdlet layer implements it with the operator's -ProcedureScript hook and, for named servers,
/// PowerShell remoting (with OutSystems.SetupTools' commands where installed). Every operation is
/// idempotent: a resumed run may repeat it. A failure throws.
/// </summary>
public interface IServerProcedure
{
    /// <summary>True when the operator gave a hook: it does every operation, named servers or not.</summary>
    bool HasHook { get; }

    Task RunHookAsync(ServerOperationContext context, CancellationToken cancellationToken);

    /// <summary>The built-in way on a named server (PowerShell remoting).</summary>
    Task RunRemoteAsync(ServerOperationContext context, CancellationToken cancellationToken);
}
