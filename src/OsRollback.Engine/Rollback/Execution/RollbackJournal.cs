using System.Runtime.Serialization;
using Newtonsoft.Json;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>The events of a journal (their JSON names are those of format version 1).</summary>
public enum JournalEvent
{
    [EnumMember(Value = "run-started")] RunStarted,
    [EnumMember(Value = "started")] Started,

    /// <summary>A step recorded progress that -Resume must know (e.g. a LifeTime deployment key) before it finished.</summary>
    [EnumMember(Value = "progress")] Progress,
    [EnumMember(Value = "finished")] Finished,
    [EnumMember(Value = "failed")] Failed,
    [EnumMember(Value = "run-finished")] RunFinished,
}

/// <summary>One journal line.</summary>
public sealed class JournalEntry
{
    public DateTimeOffset At { get; set; }
    public int Step { get; set; }
    public string Kind { get; set; } = "";
    public JournalEvent Event { get; set; }
    public string? Detail { get; set; }

    /// <summary>The typed outcome of a finished step (or the progress of a running one).</summary>
    public StepOutcome? Outcome { get; set; }
}

/// <summary>
/// The journal of a rollback run (journal.jsonl next to the rollback point, one JSON object a
/// line, flushed to disk at each event). After a crash a half-written last line is ignored;
/// a step that started but did not finish is run again on -Resume; a finished step never is.
/// Details pass through <see cref="SecretScrubber"/>.
/// </summary>
public class RollbackJournal
{
    public const string FileName = "journal.jsonl";
    private readonly List<JournalEntry> _entries;
    private readonly TimeProvider _time;

    public RollbackJournal(string runFolder, TimeProvider time)
    {
        RunFolder = runFolder;
        _time = time;
        Path = System.IO.Path.Combine(runFolder, FileName);
        _entries = ReadEntries(Path);
    }

    public string RunFolder { get; }
    public string Path { get; }
    public IReadOnlyList<JournalEntry> Entries => _entries;
    public bool HasEvents => _entries.Count > 0;
    public bool IsRunFinished => _entries.Any(e => e.Event == JournalEvent.RunFinished);

    public bool IsFinished(int step) => _entries.Any(e => e.Step == step && e.Event == JournalEvent.Finished);
    public JournalEntry? Last(int step, JournalEvent @event) => _entries.LastOrDefault(e => e.Step == step && e.Event == @event);

    /// <summary>The last outcome of type <typeparamref name="T"/> a step journaled (finished or in progress).</summary>
    public T? LastOutcome<T>(int step) where T : StepOutcome => _entries.LastOrDefault(e => e.Step == step && e.Outcome is T)?.Outcome as T;

    /// <summary>The last outcome of type <typeparamref name="T"/> any finished step journaled.</summary>
    public T? LastFinishedOutcome<T>() where T : StepOutcome =>
        _entries.LastOrDefault(e => e.Event == JournalEvent.Finished && e.Outcome is T)?.Outcome as T;

    /// <summary>The finished pre-rollback backup of one database: a catalog by name, or (null) the platform database.</summary>
    public BackupTaken? PreRollbackBackupOf(string? catalog) =>
        _entries.LastOrDefault(e => e.Event == JournalEvent.Finished && e.Outcome is BackupTaken b && string.Equals(b.Database, catalog, StringComparison.OrdinalIgnoreCase))?.Outcome as BackupTaken;

    public virtual void Write(int step, string kind, JournalEvent @event, string? detail = null, StepOutcome? outcome = null)
    {
        var entry = new JournalEntry
        {
            At = _time.GetUtcNow(), Step = step, Kind = kind, Event = @event,
            Detail = detail is null ? null : SecretScrubber.Scrub(detail),
            Outcome = outcome is null ? null : outcome with { Detail = SecretScrubber.Scrub(outcome.Detail) },
        };
        var line = JsonConvert.SerializeObject(entry, Formatting.None, RollbackJson.Settings) + "\n";
        Append(System.Text.Encoding.UTF8.GetBytes(line), step, kind, @event);
        _entries.Add(entry);
    }

    /// <summary>
    /// Appends one line. A write that fails (disk full, no access) is cut back to where the file
    /// ended, so no half line is left for -Resume to trip over; a half line left by an earlier
    /// crash is closed first, so the new line stays readable.
    /// </summary>
    private void Append(byte[] line, int step, string kind, JournalEvent @event)
    {
        try
        {
            Directory.CreateDirectory(RunFolder);
            using var stream = OpenForAppend(Path);
            var end = stream.Length;
            try
            {
                stream.Seek(end, SeekOrigin.Begin);
                if (end > 0 && !EndsWithNewLine(stream, end)) stream.WriteByte((byte)'\n');
                stream.Write(line);
                if (stream is FileStream file) file.Flush(flushToDisk: true);
                else stream.Flush();
            }
            catch (IOException)
            {
                TryCutBack(stream, end);
                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw JournalWriteFailed(Path, ex, step, kind, @event);
        }
    }

    /// <summary>Opens the journal for reading its end and appending (tests put a failing stream here).</summary>
    protected virtual Stream OpenForAppend(string path) => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);

    private static bool EndsWithNewLine(Stream stream, long end)
    {
        stream.Seek(end - 1, SeekOrigin.Begin);
        var last = stream.ReadByte();
        stream.Seek(end, SeekOrigin.Begin);
        return last == '\n';
    }

    private static void TryCutBack(Stream stream, long end)
    {
        try { stream.SetLength(end); }
        catch (IOException) { /* the reader skips a cut line, and the next append starts a fresh one */ }
        catch (NotSupportedException) { }
    }

    internal static OsRollbackException JournalWriteFailed(string path, Exception ex, int step, string kind, JournalEvent @event)
    {
        var diskFull = IoErrors.IsDiskFull(ex);
        var cause = diskFull ? "the disk is full" : ex is UnauthorizedAccessException ? "this account may not write there" : "the write failed";
        var fix = diskFull
            ? "Free space on the disk that holds the rollback point"
            : "Make the rollback point's folder writable for this account (and check it is a folder)";
        return new OsRollbackException("JournalWriteFailed", OsErrorCategory.WriteError,
            $"The rollback journal '{path}' could not record '{@event}' of step {step} ({kind}): {cause}. {ex.Message}", path,
            fix + ", then run Invoke-OsRollback -Resume: the journal keeps every event before this one and no half-written line; a step not recorded as finished runs again and checks first whether its work is already done.", ex);
    }

    public static List<JournalEntry> ReadEntries(string path)
    {
        var list = new List<JournalEntry>();
        if (!File.Exists(path)) return list;
        foreach (var line in File.ReadAllLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonConvert.DeserializeObject<JournalEntry>(line, RollbackJson.Settings) is { } entry) list.Add(entry);
            }
            catch (JsonException)
            {
                // a line cut short by a crash: the step it describes is treated as not finished
            }
        }
        return list;
    }

    /// <summary>Runs of a rollback point that have events but did not finish (resumable).</summary>
    public static IReadOnlyList<string> FindUnfinishedRuns(string rollbackPointFolder)
    {
        var runs = System.IO.Path.Combine(rollbackPointFolder, "runs");
        if (!Directory.Exists(runs)) return [];
        return Directory.GetDirectories(runs)
            .Where(d => ReadEntries(System.IO.Path.Combine(d, FileName)) is { Count: > 0 } e && !e.Any(x => x.Event == JournalEvent.RunFinished))
            .Select(d => System.IO.Path.GetFileName(d)!)
            .ToList();
    }
}
