using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Locking;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Tests.Rollback;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// The SQLite rollback lock is keyed on the database file, not on the path typed: sequences 7
/// (a second operator through a symbolic link) and 8 (lock files deleted while a run is in flight).
/// </summary>
public sealed class EnvironmentLockIdentityTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _database;

    public EnvironmentLockIdentityTests()
    {
        _database = _temp.File("production.db");
        File.WriteAllBytes(_database, new byte[4096]);
    }

    public void Dispose() => _temp.Dispose();

    private static Task<IEnvironmentLock> Acquire(string path, string plan) =>
        DatabaseProviders.Default.For(new SqliteTarget(path)).Operations.Locking.AcquireAsync(new SqliteTarget(path), new EnvironmentLockRequest { Environment = "Production", PlanId = plan }, NullReporter.Instance, default);

    [Fact]
    public async Task Sequence_7_a_second_run_through_a_symbolic_link_to_the_same_file_is_EnvironmentLocked()
    {
        if (OperatingSystem.IsWindows()) return; // symbolic links need a privilege there; the file ID keys the lock all the same
        var link = Path.Combine(_temp.Path, "alias.db");
        File.CreateSymbolicLink(link, _database);
        var linkedFolder = Path.Combine(_temp.Path, "linked-folder");
        Directory.CreateSymbolicLink(linkedFolder, _temp.Path);
        Assert.Equal(EnvironmentDatabaseLock.SqliteLockPath(new SqliteTarget(_database)), EnvironmentDatabaseLock.SqliteLockPath(new SqliteTarget(link)));

        using var a = await Acquire(_database, "plan-a");
        foreach (var alias in new[] { link, Path.Combine(linkedFolder, "production.db") })
        {
            var ex = await Assert.ThrowsAsync<OsRollbackException>(() => Acquire(alias, "plan-b"));
            Assert.Equal("EnvironmentLocked", ex.ErrorId);
            Assert.Contains("plan-a", ex.Message);
        }
        Assert.False(File.Exists(link + EnvironmentDatabaseLock.SqliteSuffix));
    }

    [Fact]
    public async Task A_hard_link_to_the_same_file_is_EnvironmentLocked_by_the_lock_on_the_file_itself()
    {
        if (!DatabaseFileGuard.IsSupported || OperatingSystem.IsWindows()) return;
        var hard = Path.Combine(_temp.Path, "other-folder", "hard.db");
        Directory.CreateDirectory(Path.GetDirectoryName(hard)!);
        using (var ln = System.Diagnostics.Process.Start("ln", [_database, hard])) ln.WaitForExit();
        Assert.Equal(FileIdentity.Of(_database), FileIdentity.Of(hard));

        using var a = await Acquire(_database, "plan-a");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => Acquire(hard, "plan-b"));
        Assert.Equal("EnvironmentLocked", ex.ErrorId);
    }

    [Fact]
    public async Task Sequence_8_deleted_lock_files_let_no_second_run_in_and_the_holder_stops_with_EnvironmentLockLost()
    {
        using var a = await Acquire(_database, "plan-a");
        a.EnsureHeld();
        File.Delete(EnvironmentDatabaseLock.SqliteLockPath(new SqliteTarget(_database)));

        if (DatabaseFileGuard.IsSupported)
        {
            var ex = await Assert.ThrowsAsync<OsRollbackException>(() => Acquire(_database, "plan-b"));
            Assert.Equal("EnvironmentLocked", ex.ErrorId);
            Assert.Contains("missing", ex.Message);
            Assert.DoesNotContain("delete", ex.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        }
        var lost = Assert.Throws<OsRollbackException>(a.EnsureHeld);
        Assert.Equal("EnvironmentLockLost", lost.ErrorId);
        Assert.Contains("deleted", lost.Message);
    }

    [Fact]
    public async Task A_lock_file_replaced_by_another_holder_is_EnvironmentLockLost()
    {
        using var a = await Acquire(_database, "plan-a");
        var path = EnvironmentDatabaseLock.SqliteLockPath(new SqliteTarget(_database));
        // Deleted, and written again naming another run: the same path, but not this run's lock.
        var other = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(path));
        other["planId"] = "plan-b";
        other["lockId"] = Guid.NewGuid().ToString("N");
        File.Delete(path);
        File.WriteAllText(path, other.ToString());
        var lost = Assert.Throws<OsRollbackException>(a.EnsureHeld);
        Assert.Equal("EnvironmentLockLost", lost.ErrorId);
    }

    [Fact]
    public async Task The_lock_file_is_held_open_by_its_run_and_free_once_the_run_is_gone()
    {
        var path = EnvironmentDatabaseLock.SqliteLockPath(new SqliteTarget(_database));
        var a = await Acquire(_database, "plan-a");
        Assert.True(EnvironmentLock.HeldByLiveProcess(path));
        a.Dispose();
        Assert.False(File.Exists(path));
        using var b = await Acquire(_database, "plan-b");
        b.EnsureHeld();
    }

    [Fact]
    public async Task A_busy_lock_names_the_safe_release_command_never_deleting_the_file()
    {
        using var a = await Acquire(_database, "plan-a");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => Acquire(_database, "plan-b"));
        Assert.Contains($"Unlock-OsEnvironment -SqlitePath '{FileIdentity.RealPath(_database)}'", ex.RecommendedAction);
        Assert.DoesNotContain("delete", ex.RecommendedAction, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unlock_refuses_a_live_holder_and_releases_a_dead_one()
    {
        var path = EnvironmentDatabaseLock.SqliteLockPath(new SqliteTarget(_database));
        using (await Acquire(_database, "plan-a"))
        {
            var ex = Assert.Throws<OsRollbackException>(() => EnvironmentLockRelease.Release(path, FileIdentity.RealPath(_database), TimeSpan.FromHours(24), TimeProvider.System));
            Assert.Equal("EnvironmentLockHeld", ex.ErrorId);
            Assert.True(File.Exists(path));
        }
        // A run that died: its lock file stays, naming a process that is gone, and nobody holds it open.
        var dead = new LockHolder { Environment = "Production", PlanId = "dead", ProcessId = int.MaxValue - 7, Host = Environment.MachineName, User = "night-shift", AcquiredAt = DateTimeOffset.UtcNow };
        File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(dead, RollbackJson.Settings));
        var refused = await Assert.ThrowsAsync<OsRollbackException>(() => Acquire(_database, "plan-b"));
        Assert.Equal("EnvironmentRollbackInterrupted", refused.ErrorId);
        Assert.Contains("Unlock-OsEnvironment", refused.RecommendedAction);
        var released = EnvironmentLockRelease.Release(path, FileIdentity.RealPath(_database), TimeSpan.FromHours(24), TimeProvider.System);
        Assert.Equal("dead", released!.PlanId);
        Assert.False(File.Exists(path));
        using var b = await Acquire(_database, "plan-b");
    }

    [Fact]
    public async Task A_run_whose_lock_files_are_deleted_in_flight_stops_with_EnvironmentLockLost_and_a_second_run_is_refused()
    {
        using var s = await RollbackScenario.CreateAsync();
        File.WriteAllBytes(s.Database.Path, new byte[4096]); // the fake platform keeps its rows elsewhere; the lock needs the file
        var plan1 = await s.PlanAsync();
        var plan2 = await s.PlanAsync(RollbackStrategy.Solution);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.World.Gates["Deploy"] = gate;
        var first = s.ExecuteAsync(plan1);
        while (!s.World.Calls.Any(c => c.StartsWith("Deploy", StringComparison.Ordinal))) await Task.Yield();

        // Someone follows an old "delete the lock file" habit while the first run is in its deploy step.
        File.Delete(EnvironmentDatabaseLock.SqliteLockPath(s.Database));
        foreach (var file in Directory.GetFiles(s.Catalog.LocksDirectory)) File.Delete(file);
        if (DatabaseFileGuard.IsSupported)
        {
            var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan2));
            Assert.Equal("EnvironmentLocked", ex.ErrorId);
            Assert.False(Directory.Exists(RollbackRun.RunFolder(s.Point, plan2)));
        }

        gate.SetResult();
        var result = await first;
        Assert.Equal(RollbackRunStatus.Failed, result.Status);
        Assert.Equal("EnvironmentLockLost", result.Error!.ErrorId);
        Assert.True(result.FailedStep > 0);
        Assert.Equal(StepStatus.Failed, result.Steps[result.FailedStep!.Value - 1].Status);
    }
}

public class SqlServerEnvironmentLockRecheckTests
{
    private static readonly SqlServerTarget Target = new("sql01", "outsystems");

    [Fact]
    public void The_recheck_statement_parses() => TSql.AssertParses(SqlServerEnvironmentLock.HeldSql);

    [Fact]
    public async Task The_holder_asks_its_own_session_before_each_step_and_stops_when_the_lock_is_gone()
    {
        var mode = "Exclusive";
        var session = new RecordingLockSession { Scalar = sql => sql == SqlServerEnvironmentLock.HeldSql ? mode : 0 };
        using var held = await SqlServerEnvironmentLock.AcquireAsync(Target, new EnvironmentLockRequest { Environment = "Production", PlanId = "p1" }, _ => session, NullReporter.Instance, default);
        held.EnsureHeld();
        Assert.Equal([SqlServerEnvironmentLock.SetHolderSql, SqlServerEnvironmentLock.AcquireSql, SqlServerEnvironmentLock.HeldSql], session.Log);

        mode = "NoLock"; // the session was killed and reconnected, or the lock released behind the run's back
        var ex = Assert.Throws<OsRollbackException>(held.EnsureHeld);
        Assert.Equal("EnvironmentLockLost", ex.ErrorId);
        Assert.Contains("NoLock", ex.Message);
    }
}
