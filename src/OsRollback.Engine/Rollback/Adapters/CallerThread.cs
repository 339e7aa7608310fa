namespace OsRollback.Engine.Rollback.Adapters;

/// <summary>
/// How the database adapters run their provider calls: now, on the caller's thread. A command's engine work
/// already runs on its one worker (the cmdlets' EngineWork, off the pipeline thread), so an adapter starts no
/// thread of its own; a failure or cancellation is the returned task's, as an async method's would be.
/// </summary>
internal static class CallerThread
{
    public static Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(work());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    public static Task Run(Action work, CancellationToken cancellationToken) => Run(() => { work(); return true; }, cancellationToken);
}
