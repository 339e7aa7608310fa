using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Sandbox;

/// <summary>
/// Base of the sandbox cmdlets: runs asynchronous engine work while pumping its messages on the
/// pipeline thread, and lets an <see cref="OsRollbackException"/> reach <see cref="OsCmdlet"/>'s
/// mapping unwrapped (waiting through the task's wait handle, which never throws).
/// </summary>
public abstract class SandboxCmdlet : OsCmdlet
{
    protected T RunSandbox<T>(Func<IOperationReporter, CancellationToken, Task<T>> work) => Run(reporter =>
    {
        var task = Task.Run(() => work(reporter, StopToken));
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(100)) Reporter.Pump();
        Reporter.Pump();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    });
}
