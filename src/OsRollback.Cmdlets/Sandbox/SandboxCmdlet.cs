using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Sandbox;

/// <summary>
/// Base of the sandbox cmdlets: asynchronous engine work through <see cref="OsCmdlet"/>'s RunAsync.
/// </summary>
public abstract class SandboxCmdlet : OsCmdlet
{
    protected T RunSandbox<T>(Func<IOperationReporter, CancellationToken, Task<T>> work) => RunAsync(work);
}
