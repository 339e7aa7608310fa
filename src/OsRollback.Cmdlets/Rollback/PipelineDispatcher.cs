using System.Collections.Concurrent;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// Runs work on the pipeline thread for engine code running elsewhere: PowerShell script blocks
/// (hooks, smoke scripts) must run on the thread of their runspace. The cmdlet pumps the queue
/// while it waits for the engine.
/// </summary>
internal sealed class PipelineDispatcher
{
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
    private readonly ConcurrentQueue<Action> _queue = new();

    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThreadId)
        {
            try { return Task.FromResult(work()); }
            catch (Exception ex) { return Task.FromException<T>(ex); }
        }
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Enqueue(() =>
        {
            try { done.SetResult(work()); }
            catch (Exception ex) { done.SetException(ex); }
        });
        return done.Task;
    }

    public void Pump()
    {
        while (_queue.TryDequeue(out var work)) work();
    }
}
