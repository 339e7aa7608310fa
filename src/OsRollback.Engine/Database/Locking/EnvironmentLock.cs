using System.Diagnostics;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Locking;

/// <summary>Who holds an environment lock.</summary>
public sealed class LockHolder
{
    public string Environment { get; set; } = "";
    public string PlanId { get; set; } = "";
    public int ProcessId { get; set; }
    public DateTimeOffset? ProcessStartedAt { get; set; }
    public string Host { get; set; } = "";
    public string User { get; set; } = "";
    public DateTimeOffset AcquiredAt { get; set; }
    /// <summary>This acquisition: a lock file naming another id is not ours any more.</summary>
    public string? LockId { get; set; }
    /// <summary>The database file the lock is keyed on (its real path) and its identity (device:inode or volume:file index).</summary>
    public string? Database { get; set; }
    public string? DatabaseIdentity { get; set; }

    public override string ToString() => $"{User} on {Host} (process {ProcessId}), plan {PlanId}, since {AcquiredAt:u}";
}

/// <summary>A lock held for a run: <see cref="EnsureHeld"/> is asked before every destructive step.</summary>
public interface IEnvironmentLock : IDisposable
{
    /// <summary>Throws EnvironmentLockLost when the lock vanished or changed since it was taken.</summary>
    void EnsureHeld();
}

/// <summary>
/// One rollback per environment at a time: a lock file created exclusively (O_CREAT|O_EXCL) and
/// kept open for the run, which is the OS-level lock: a process that probes it for exclusive use
/// fails while the holder lives, and succeeds once the holder's process is gone, however it died.
/// A lock keyed on a database file also holds a <see cref="DatabaseFileGuard"/> on that file, so
/// that a second run reaching the same file by another path, or after the lock file was deleted,
/// is refused. A lock is stale when its holder is gone (no OS lock, and on the same host the pid
/// no longer runs) or when it is older than the stale age (other hosts). A stale lock is taken
/// over with a warning by its own plan only (a resume); any other plan is refused with
/// EnvironmentRollbackInterrupted; Unlock-OsEnvironment releases it after checking its holder is gone.
/// </summary>
public sealed class EnvironmentLock : IEnvironmentLock
{
    private static readonly JsonSerializerSettings Json = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        Formatting = Formatting.Indented,
        DateParseHandling = DateParseHandling.DateTimeOffset,
        MissingMemberHandling = MissingMemberHandling.Ignore,
    };

    private readonly string _path;
    private readonly LockHolder _holder;
    private readonly FileStream _handle;
    private readonly FileIdentity? _identity;
    private readonly DatabaseFileGuard? _guard;

    private EnvironmentLock(string path, LockHolder holder, FileStream handle, DatabaseFileGuard? guard)
    {
        _path = path;
        _holder = holder;
        _handle = handle;
        _identity = FileIdentity.TryOf(path);
        _guard = guard;
    }

    public string Path => _path;
    public LockHolder Holder => _holder;

    /// <summary>The catalog's lock for an environment: &lt;locks&gt;/&lt;environment&gt;.lock.</summary>
    public static Task<EnvironmentLock> AcquireAsync(string locksDirectory, string environment, string planId, TimeSpan wait, TimeSpan staleAfter,
        TimeSpan pollInterval, TimeProvider time, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(locksDirectory);
        return AcquireFileAsync(CatalogLockPath(locksDirectory, environment), environment, planId, wait, staleAfter, pollInterval, time, reporter, cancellationToken,
            releaseCommand: $"Unlock-OsEnvironment -Environment '{environment}' -CatalogPath '{System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(locksDirectory))}'");
    }

    public static string CatalogLockPath(string locksDirectory, string environment)
    {
        var safe = new string(environment.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return System.IO.Path.Combine(locksDirectory, safe + ".lock");
    }

    /// <summary>Who this process is, as a lock names its holder.</summary>
    public static LockHolder Self(string environment, string planId)
    {
        using var self = Process.GetCurrentProcess();
        return new LockHolder
        {
            Environment = environment,
            PlanId = planId,
            ProcessId = self.Id,
            ProcessStartedAt = TryStartTime(self),
            Host = System.Environment.MachineName,
            User = System.Environment.UserName,
            LockId = Guid.NewGuid().ToString("N"),
        };
    }

    /// <summary>
    /// The lock as the file <paramref name="path"/> (its folder must exist). With <paramref name="database"/>
    /// (a database file's real path), the file itself is guarded too.
    /// </summary>
    public static async Task<EnvironmentLock> AcquireFileAsync(string path, string environment, string planId, TimeSpan wait, TimeSpan staleAfter,
        TimeSpan pollInterval, TimeProvider time, IOperationReporter reporter, CancellationToken cancellationToken, string? database = null, string? releaseCommand = null)
    {
        var holder = Self(environment, planId);
        releaseCommand ??= $"Unlock-OsEnvironment -SqlitePath '{database ?? path}'";
        if (database is not null)
        {
            holder.Database = database;
            holder.DatabaseIdentity = FileIdentity.TryOf(database)?.ToString();
        }
        var started = time.GetTimestamp();
        var announced = false;
        while (true)
        {
            holder.AcquiredAt = time.GetUtcNow();
            var guard = database is not null && DatabaseFileGuard.IsSupported && File.Exists(database) ? TryGuard(database) : null;
            var guardBusy = database is not null && DatabaseFileGuard.IsSupported && File.Exists(database) && guard is null;
            string holderText;
            if (!guardBusy)
            {
                if (TryCreate(path, holder) is { } handle)
                {
                    reporter.Verbose($"Locked {environment} for this rollback ({path}).");
                    return new EnvironmentLock(path, holder, handle, guard);
                }
                guard?.Dispose();
                var current = Read(path);
                if (current is null && !File.Exists(path)) continue; // released meanwhile: try again
                if (!HeldByLiveProcess(path) && (current is null ? IsOldUnreadable(path, time) : IsStale(current, staleAfter, time)))
                {
                    // A holder that died mid-run may have left the environment half-changed: only its own
                    // plan (a -Resume) may take the lock over; another plan would roll back on top of it.
                    if (current is not null && !string.Equals(current.PlanId, planId, StringComparison.Ordinal)) throw Interrupted(environment, current, path, releaseCommand);
                    if (TryTakeOver(path, current))
                    {
                        reporter.Warning(current is null
                            ? $"Removed an unreadable lock file for {environment} ({path})."
                            : $"Took over a stale lock for {environment}: held by {current}, whose process is gone or which is older than {staleAfter.TotalHours:0.#} h.");
                    }
                    continue;
                }
                holderText = current?.ToString() ?? "an unreadable lock file";
            }
            else
            {
                var current = Read(path);
                holderText = current is not null
                    ? $"{current} (through the database file {database})"
                    : $"another run holding the database file {database} (its lock file {path} is missing: deleted while that run is in flight, or that run reached the database by another path)";
            }
            if (time.GetElapsedTime(started) >= wait)
            {
                throw new OsRollbackException("EnvironmentLocked", OsErrorCategory.ResourceBusy,
                    $"Another rollback of {environment} is running: held by {holderText} (lock {path}).", environment,
                    $"Wait for it to finish (or use -LockTimeoutSeconds to wait). If you believe its process is gone, run {releaseCommand}: it releases the lock only after checking that no process holds it.");
            }
            if (!announced) { reporter.Warning($"Waiting for the rollback of {environment} held by {holderText}."); announced = true; }
            await Task.Delay(pollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DatabaseFileGuard? TryGuard(string database)
    {
        try { return DatabaseFileGuard.TryAcquire(database); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.ResourceUnavailable,
                $"The database file '{database}' cannot be opened to lock it for the run: {ex.Message}", database,
                "Check that this account may read and write the database file; nothing was changed.", ex);
        }
    }

    /// <summary>
    /// Creates the lock file exclusively (O_CREAT|O_EXCL: of any number of takers exactly one
    /// succeeds, on every platform; a move "without overwrite" is not atomic everywhere), writes
    /// its holder into it and keeps it open (the OS-level lock). A reader that meets the file before
    /// its content is written sees a young unreadable lock, which is respected.
    /// </summary>
    private static FileStream? TryCreate(string path, LockHolder holder)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(path, ex);
        }
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(holder, Json));
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            return stream;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            TryDelete(path); // a lock without its holder (disk full) must not stay behind
            throw Unwritable(path, ex);
        }
    }

    /// <summary>
    /// True while a process keeps the lock file open (its holder runs): an exclusive open fails.
    /// On file systems without OS locks this answers false and the holder's pid and age decide.
    /// </summary>
    internal static bool HeldByLiveProcess(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (FileNotFoundException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
        catch (IOException) when (File.Exists(path)) { return true; }
        catch (IOException) { return false; }
    }

    public void EnsureHeld()
    {
        string? lost = null;
        if (!File.Exists(_path)) lost = "its lock file was deleted";
        else if (_identity is { } identity && FileIdentity.TryOf(_path) != identity) lost = "its lock file was replaced by another file";
        else if (Read(_path) is not { } current || !string.Equals(current.LockId, _holder.LockId, StringComparison.Ordinal)) lost = "its lock file no longer names this run";
        else if (_guard is not null && !_guard.StillGuards()) lost = $"the database file {_guard.Path} was replaced by another file";
        if (lost is null) return;
        throw new OsRollbackException("EnvironmentLockLost", OsErrorCategory.ResourceBusy,
            $"The rollback lock of {_holder.Environment} (plan {_holder.PlanId}, lock {_path}) is no longer held: {lost}. The run stopped before its next step, because another run may now hold {_holder.Environment}.",
            _holder.Environment,
            "Find out who removed or changed the lock and whether another rollback of this environment is running; when none is, resume this plan with Invoke-OsRollback -Resume.");
    }

    private static OsRollbackException Interrupted(string environment, LockHolder holder, string path, string releaseCommand) =>
        new("EnvironmentRollbackInterrupted", OsErrorCategory.ResourceBusy,
            $"The rollback of {environment} with plan {holder.PlanId} was interrupted (held by {holder}; its process is gone) and may have left {environment} half-changed (lock {path}).",
            environment,
            $"Finish it first: Invoke-OsRollback -Plan <plan {holder.PlanId}> -Resume, as {holder.User} on {holder.Host} with that catalog. If it is abandoned and you have checked the environment, run {releaseCommand} (it checks that the holder is gone) and start again.");

    private static OsRollbackException Unwritable(string path, Exception ex) =>
        new("EnvironmentLockUnavailable", OsErrorCategory.WriteError,
            $"The lock file '{path}' cannot be written: {ex.Message}", path,
            "Check that the folder exists, is writable and has free space; nothing was changed.", ex);

    /// <summary>
    /// Moves a stale (or unreadable) lock aside; of two processes that judged it stale, only the one
    /// whose move succeeds deletes it. A lock that changed since it was judged is put back.
    /// </summary>
    internal static bool TryTakeOver(string path, LockHolder? judged)
    {
        var aside = $"{path}.{Guid.NewGuid():N}.stale";
        try { File.Move(path, aside, overwrite: false); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
        var moved = Read(aside);
        var same = judged is null ? moved is null : moved is not null && moved.PlanId == judged.PlanId && moved.ProcessId == judged.ProcessId && moved.AcquiredAt == judged.AcquiredAt;
        if (!same)
        {
            try { File.Move(aside, path, overwrite: false); } catch (IOException) { }
            return false;
        }
        File.Delete(aside);
        return true;
    }

    /// <summary>An unreadable lock (damaged by hand or a full disk) is respected for a minute, then removed.</summary>
    internal static bool IsOldUnreadable(string path, TimeProvider time)
    {
        // A file that is gone is not old (GetLastWriteTimeUtc answers 1601 for it): judging it old
        // would move aside whatever lock another taker creates there next.
        try { return File.Exists(path) && time.GetUtcNow() - File.GetLastWriteTimeUtc(path) > TimeSpan.FromMinutes(1); }
        catch (IOException) { return false; }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    public static LockHolder? Read(string path)
    {
        try
        {
            // Shared read, write and delete: the holder keeps the file open for writing (Windows would refuse a narrower share).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return JsonConvert.DeserializeObject<LockHolder>(reader.ReadToEnd(), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    internal static bool IsStale(LockHolder holder, TimeSpan staleAfter, TimeProvider time)
    {
        if (string.Equals(holder.Host, System.Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var process = Process.GetProcessById(holder.ProcessId);
                if (process.HasExited) return true;
                var startedAt = TryStartTime(process);
                return holder.ProcessStartedAt is { } expected && startedAt is { } actual && Math.Abs((expected - actual).TotalSeconds) > 2;
            }
            catch (ArgumentException) { return true; }
            catch (InvalidOperationException) { return true; }
        }
        return time.GetUtcNow() - holder.AcquiredAt > staleAfter;
    }

    private static DateTimeOffset? TryStartTime(Process process)
    {
        try { return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero); }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { return null; }
    }

    public void Dispose()
    {
        var current = Read(_path);
        if (current is not null && (current.LockId is null ? current.PlanId == _holder.PlanId && current.ProcessId == _holder.ProcessId : current.LockId == _holder.LockId))
        {
            try { File.Delete(_path); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        _handle.Dispose();
        _guard?.Dispose();
    }
}
