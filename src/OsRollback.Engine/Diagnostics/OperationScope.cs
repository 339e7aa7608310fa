namespace OsRollback.Engine.Diagnostics;

/// <summary>
/// The reporter of the command running on this async flow, for code far below the call that took
/// one (the platform HTTP client says each retry, whichever client method was called). The cmdlet
/// layer begins a scope around each piece of engine work; without one, messages are dropped.
/// </summary>
public static class OperationScope
{
    private static readonly AsyncLocal<IOperationReporter?> Current = new();

    /// <summary>The reporter of the current command, or <see cref="NullReporter"/>.</summary>
    public static IOperationReporter Reporter => Current.Value ?? NullReporter.Instance;

    /// <summary>Makes <paramref name="reporter"/> the current one until the result is disposed.</summary>
    public static IDisposable Begin(IOperationReporter reporter)
    {
        var previous = Current.Value;
        Current.Value = reporter;
        return new Restore(previous);
    }

    private sealed class Restore(IOperationReporter? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
