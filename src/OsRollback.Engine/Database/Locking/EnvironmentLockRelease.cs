using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Locking;

/// <summary>
/// Releases the lock of a run that is gone, and only then: the lock file must be free of any
/// process (no OS lock on it), the database file free of any run's guard, and its holder gone
/// (on this host its process no longer runs; on another host it is older than the stale age).
/// A lock held by a live run is refused with EnvironmentLockHeld and left as it is.
/// </summary>
public static class EnvironmentLockRelease
{
    /// <summary>The holder released, or null when there was no lock file.</summary>
    public static LockHolder? Release(string lockPath, string? database, TimeSpan staleAfter, TimeProvider time)
    {
        var guard = database is not null && DatabaseFileGuard.IsSupported && File.Exists(database) ? DatabaseFileGuard.TryAcquire(database) : null;
        try
        {
            if (database is not null && DatabaseFileGuard.IsSupported && File.Exists(database) && guard is null)
                throw Held(lockPath, $"a running process holds the database file {database}");
            if (!File.Exists(lockPath)) return null;
            if (EnvironmentLock.HeldByLiveProcess(lockPath)) throw Held(lockPath, "a running process keeps the lock file open");
            var holder = EnvironmentLock.Read(lockPath);
            if (holder is null ? !EnvironmentLock.IsOldUnreadable(lockPath, time) : !EnvironmentLock.IsStale(holder, staleAfter, time))
                throw Held(lockPath, holder is null ? "the lock file is being written right now"
                    : string.Equals(holder.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
                        ? $"its holder {holder} still runs"
                        : $"its holder {holder} runs on another host and the lock is younger than {staleAfter.TotalHours:0.#} h; run this there, or wait");
            if (!EnvironmentLock.TryTakeOver(lockPath, holder)) throw Held(lockPath, "the lock changed while it was checked");
            return holder ?? new LockHolder();
        }
        finally { guard?.Dispose(); }
    }

    private static OsRollbackException Held(string path, string why) =>
        new("EnvironmentLockHeld", OsErrorCategory.ResourceBusy,
            $"The rollback lock '{path}' was not released: {why}.", path,
            "Wait for that rollback to finish; the lock is released by its run. Nothing was changed.");
}
