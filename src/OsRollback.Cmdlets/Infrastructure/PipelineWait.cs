using System.Management.Automation;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// Waits for engine work on the pipeline thread, pumping messages and hooks, and rethrows the
/// work's own exception (an OsRollbackException stays one: Task.Wait would wrap it in an
/// AggregateException, which the cmdlet base would not turn into a clean ErrorRecord).
/// </summary>
internal static class PipelineWait
{
    public static T For<T>(Task<T> task, Action pump, CancellationToken stopToken)
    {
        var handle = ((IAsyncResult)task).AsyncWaitHandle;
        while (!task.IsCompleted)
        {
            handle.WaitOne(50);
            pump();
        }
        pump();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
