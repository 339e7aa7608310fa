using System.Collections.Concurrent;

namespace OsRollback.Engine.Diagnostics;

/// <summary>Keeps every message, in order; used by tests and by report writers.</summary>
public sealed class RecordingReporter : IOperationReporter
{
    private readonly ConcurrentQueue<(string Kind, string Text)> _entries = new();
    private readonly ConcurrentQueue<ProgressUpdate> _progress = new();

    public IReadOnlyList<string> Verboses => _entries.Where(e => e.Kind == "verbose").Select(e => e.Text).ToList();
    public IReadOnlyList<string> Warnings => _entries.Where(e => e.Kind == "warning").Select(e => e.Text).ToList();
    public IReadOnlyList<ProgressUpdate> ProgressUpdates => _progress.ToList();

    public void Verbose(string message) => _entries.Enqueue(("verbose", message));
    public void Warning(string message) => _entries.Enqueue(("warning", message));
    public void Progress(ProgressUpdate update) => _progress.Enqueue(update);
}
