using System.Diagnostics;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Execution;

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

    public override string ToString() => $"{User} on {Host} (process {ProcessId}), plan {PlanId}, since {AcquiredAt:u}";
}

/// <summary>
/// One rollback per environment at a time: a lock file &lt;catalog&gt;/locks/&lt;environment&gt;.lock
/// created exclusively. A lock is stale when its process is gone (same host: the pid no longer
/// runs, or runs a different process) or when it is older than the stale age (other hosts).
/// A stale lock is taken over with a warning by its own plan only (a resume); any other plan is
/// refused with EnvironmentRollbackInterrupted, since the dead run may have left work half done.
/// </summary>
public sealed class EnvironmentLock : IDisposable
{
    private readonly string _path;
    private readonly LockHolder _holder;

    private EnvironmentLock(string path, LockHolder holder)
    {
        _path = path;
        _holder = holder;
    }

    public string Path => _path;

    public static Task<EnvironmentLock> AcquireAsync(string locksDirectory, string environment, string planId, TimeSpan wait, TimeSpan staleAfter,
        TimeSpan pollInterval, TimeProvider time, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(locksDirectory);
        var safe = new string(environment.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return AcquireFileAsync(System.IO.Path.Combine(locksDirectory, safe + ".lock"), environment, planId, wait, staleAfter, pollInterval, time, reporter, cancellationToken);
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
        };
    }

    /// <summary>The lock as the file <paramref name="path"/> (its folder must exist).</summary>
    public static async Task<EnvironmentLock> AcquireFileAsync(string path, string environment, string planId, TimeSpan wait, TimeSpan staleAfter,
        TimeSpan pollInterval, TimeProvider time, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var holder = Self(environment, planId);
        var started = time.GetTimestamp();
        var announced = false;
        while (true)
        {
            holder.AcquiredAt = time.GetUtcNow();
            if (TryCreate(path, holder))
            {
                reporter.Verbose($"Locked {environment} for this rollback ({path}).");
                return new EnvironmentLock(path, holder);
            }
            var current = Read(path);
            if (current is null && !File.Exists(path)) continue; // released meanwhile: try again
            if (current is null ? IsOldUnreadable(path, time) : IsStale(current, staleAfter, time))
            {
                // A holder that died mid-run may have left the environment half-changed: only its own
                // plan (a -Resume) may take the lock over; another plan would roll back on top of it.
                if (current is not null && !string.Equals(current.PlanId, planId, StringComparison.Ordinal)) throw Interrupted(environment, current, path);
                if (TryTakeOver(path, current))
                {
                    reporter.Warning(current is null
                        ? $"Removed an unreadable lock file for {environment} ({path})."
                        : $"Took over a stale lock for {environment}: held by {current}, whose process is gone or which is older than {staleAfter.TotalHours:0.#} h.");
                }
                continue;
            }
            var holderText = current?.ToString() ?? "an unreadable lock file";
            if (time.GetElapsedTime(started) >= wait)
            {
                throw new OsRollbackException("EnvironmentLocked", OsErrorCategory.ResourceBusy,
                    $"Another rollback of {environment} is running: held by {holderText} (lock {path}).", environment,
                    $"Wait for it to finish (or use -LockTimeout to wait), or, if you are sure it is dead, delete '{path}'.");
            }
            if (!announced) { reporter.Warning($"Waiting for the rollback of {environment} held by {holderText}."); announced = true; }
            await Task.Delay(pollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the lock file exclusively (O_CREAT|O_EXCL: of any number of takers exactly one
    /// succeeds, on every platform; a move "without overwrite" is not atomic everywhere) and writes
    /// its holder into it. A reader that meets the file before its content is written sees a young
    /// unreadable lock, which is respected.
    /// </summary>
    private static bool TryCreate(string path, LockHolder holder)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(path, ex);
        }
        try
        {
            using (stream)
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(RollbackJson.Serialize(holder));
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(path); // a lock without its holder (disk full) must not stay behind
            throw Unwritable(path, ex);
        }
    }

    private static OsRollbackException Interrupted(string environment, LockHolder holder, string path) =>
        new("EnvironmentRollbackInterrupted", OsErrorCategory.ResourceBusy,
            $"The rollback of {environment} with plan {holder.PlanId} was interrupted (held by {holder}; its process is gone) and may have left {environment} half-changed (lock {path}).",
            environment,
            $"Finish it first: Invoke-OsRollback -Plan <plan {holder.PlanId}> -Resume, as {holder.User} on {holder.Host} with that catalog. If it is abandoned and you have checked the environment, delete '{path}' and start again.");

    private static OsRollbackException Unwritable(string path, Exception ex) =>
        new("EnvironmentLockUnavailable", OsErrorCategory.WriteError,
            $"The lock file '{path}' cannot be written: {ex.Message}", path,
            "Check that the folder exists, is writable and has free space; nothing was changed.", ex);

    /// <summary>
    /// Moves a stale (or unreadable) lock aside; of two processes that judged it stale, only the one
    /// whose move succeeds deletes it. A lock that changed since it was judged is put back.
    /// </summary>
    private static bool TryTakeOver(string path, LockHolder? judged)
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
    private static bool IsOldUnreadable(string path, TimeProvider time)
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

    internal static LockHolder? Read(string path)
    {
        try { return Newtonsoft.Json.JsonConvert.DeserializeObject<LockHolder>(File.ReadAllText(path), RollbackJson.Settings); }
        catch (Exception ex) when (ex is IOException or Newtonsoft.Json.JsonException) { return null; }
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
        if (current is not null && current.PlanId == _holder.PlanId && current.ProcessId == _holder.ProcessId)
        {
            try { File.Delete(_path); } catch (IOException) { }
        }
    }
}
