using System.Collections.Concurrent;
using System.Management.Automation;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// The one way a cmdlet runs engine work: the work runs off the pipeline thread while the pipeline
/// thread pumps what must happen on it (reporter messages, script hooks and smoke scripts, which
/// PowerShell only runs on the thread of their runspace). Ctrl+C cancels the work's token and ends
/// the wait as a stopped pipeline; the work's own exception is rethrown as it is (an
/// OsRollbackException stays one, not an AggregateException), for the cmdlet to map to an ErrorRecord.
/// </summary>
internal sealed class EngineWork
{
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
    private readonly ConcurrentQueue<Action> _pending = new();
    private readonly CancellationToken _stop;

    public EngineWork(OsCmdlet cmdlet, CancellationToken stop)
    {
        _stop = stop;
        Reporter = new CmdletReporter(cmdlet, this);
    }

    /// <summary>The reporter the engine writes to; its messages reach the pipeline in order.</summary>
    public CmdletReporter Reporter { get; }

    private bool OnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThreadId;

    /// <summary>Runs the work off the pipeline thread and pumps until it ends.</summary>
    public T Wait<T>(Func<IOperationReporter, CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() =>
        {
            // Code deep in the engine (the platform HTTP client's retries) reports to this command.
            using var scope = OperationScope.Begin(Reporter);
            return work(Reporter, _stop);
        }, CancellationToken.None);
        var handle = ((IAsyncResult)task).AsyncWaitHandle;
        while (!task.IsCompleted)
        {
            handle.WaitOne(50);
            Pump();
        }
        Pump();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Runs the action now on the pipeline thread, else queues it for the next pump.</summary>
    public void Post(Action action)
    {
        if (OnPipelineThread)
        {
            Pump();
            action();
        }
        else
        {
            _pending.Enqueue(action);
        }
    }

    /// <summary>Runs work (a script block) on the pipeline thread; engine code off it awaits the result.</summary>
    public Task<T> OnPipelineAsync<T>(Func<T> work)
    {
        if (OnPipelineThread)
        {
            try { return Task.FromResult(work()); }
            catch (Exception ex) { return Task.FromException<T>(ex); }
        }
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception ex) { done.SetException(ex); }
        });
        return done.Task;
    }

    /// <summary>Runs what was queued; only on the pipeline thread.</summary>
    public void Pump()
    {
        while (_pending.TryDequeue(out var action)) action();
    }
}
