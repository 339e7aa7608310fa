using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Database.Locking;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

public class EnvironmentLockTests
{
    private static Task<EnvironmentLock> Acquire(string dir, string plan, TimeSpan? wait = null) =>
        EnvironmentLock.AcquireAsync(dir, "Production", plan, wait ?? TimeSpan.Zero, TimeSpan.FromHours(24),
            TimeSpan.FromMilliseconds(10), TimeProvider.System, NullReporter.Instance, CancellationToken.None);

    [Fact]
    public async Task Of_many_simultaneous_takers_exactly_one_gets_the_lock()
    {
        using var temp = new TempDirectory();
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try { return await Acquire(temp.Path, $"plan-{i}"); }
            catch (OsRollbackException ex) when (ex.ErrorId == "EnvironmentLocked") { return null; }
        })).ToArray();
        var locks = await Task.WhenAll(attempts);
        Assert.Single(locks, l => l is not null);
        Assert.Single(Directory.GetFiles(temp.Path)); // no temporary or stale files left behind
        locks.Single(l => l is not null)!.Dispose();
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task A_lock_of_a_process_that_is_gone_is_taken_over_by_its_own_plan_only()
    {
        using var temp = new TempDirectory();
        var dead = new LockHolder { Environment = "Production", PlanId = "old", ProcessId = int.MaxValue - 7, Host = Environment.MachineName, User = "someone", AcquiredAt = DateTimeOffset.UtcNow };
        var lockPath = Path.Combine(temp.Path, "production.lock");
        File.WriteAllText(lockPath, RollbackJson.Serialize(dead));

        // Another plan would roll back on top of a run that died half way: refused, lock kept.
        var refused = await Assert.ThrowsAsync<OsRollbackException>(() => Acquire(temp.Path, "new"));
        Assert.Equal("EnvironmentRollbackInterrupted", refused.ErrorId);
        Assert.Contains("old", refused.Message, StringComparison.Ordinal);
        Assert.Equal("old", EnvironmentLock.Read(lockPath)!.PlanId);

        // Its own plan (the -Resume) takes it over.
        using var taken = await Acquire(temp.Path, "old");
        Assert.Equal(Environment.ProcessId, EnvironmentLock.Read(taken.Path)!.ProcessId);
    }

    [Fact]
    public async Task A_fresh_unreadable_lock_is_respected()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "production.lock"), "{ half");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => Acquire(temp.Path, "new"));
        Assert.Equal("EnvironmentLocked", ex.ErrorId);
        Assert.Contains("unreadable lock file", ex.Message);
    }
}
