using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
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

/// <summary>A recording fake of <see cref="ISqlSession"/>: statements in order; answers from <see cref="Scalar"/> and <see cref="Rows"/>.</summary>
internal sealed class RecordingLockSession : ISqlSession
{
    public List<string> Log { get; } = [];
    public Func<string, object?> Scalar { get; set; } = _ => 0;
    public Func<string, IReadOnlyList<SqlRow>> Rows { get; set; } = _ => [];
    public bool Disposed { get; private set; }

    public int ExecuteNonQuery(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default)
    {
        Log.Add(sql);
        return 0;
    }

    public IReadOnlyList<SqlRow> ExecuteReader(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, bool longRunning = false, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default)
    {
        Log.Add(sql);
        return Rows(sql);
    }

    public object? ExecuteScalar(string sql, IReadOnlyList<SqlParameterValue>? parameters = null, Action<string>? onInfoMessage = null, CancellationToken cancellationToken = default)
    {
        Log.Add(sql);
        return Scalar(sql);
    }

    public void Dispose()
    {
        Log.Add("DISPOSE");
        Disposed = true;
    }
}

public class EnvironmentDatabaseLockSqlServerTests
{
    private static readonly SqlServerTarget Target = new("sql01", "outsystems");

    [Fact]
    public void Every_lock_statement_parses()
    {
        foreach (var sql in new[] { SqlServerEnvironmentLock.AcquireSql, SqlServerEnvironmentLock.SetHolderSql, SqlServerEnvironmentLock.HolderSql, SqlServerEnvironmentLock.ReleaseSql })
            TSql.AssertParses(sql);
    }

    [Fact]
    public async Task The_lock_is_held_on_a_dedicated_session_for_the_run_and_released_when_disposed()
    {
        var session = new RecordingLockSession();
        var lck = await SqlServerEnvironmentLock.AcquireAsync(Target, new EnvironmentLockRequest { Environment = "Production", PlanId = "p1" }, _ => session, NullReporter.Instance, default);
        Assert.Equal([SqlServerEnvironmentLock.SetHolderSql, SqlServerEnvironmentLock.AcquireSql], session.Log);
        Assert.Contains("@LockOwner = N'Session'", SqlServerEnvironmentLock.AcquireSql);
        Assert.False(session.Disposed);
        lck.Dispose();
        Assert.Equal([SqlServerEnvironmentLock.SetHolderSql, SqlServerEnvironmentLock.AcquireSql, SqlServerEnvironmentLock.ReleaseSql, "DISPOSE"], session.Log);
    }

    [Fact]
    public async Task The_SQL_Server_provider_takes_the_lock_on_its_own_session_in_master()
    {
        var session = new RecordingLockSession();
        var opened = new List<string?>();
        var providers = DatabaseProviders.Create(openSqlSession: (_, database) => { opened.Add(database); return session; });

        using (await providers.For(Target).Operations.Locking.AcquireAsync(Target, new EnvironmentLockRequest { Environment = "Production", PlanId = "p1" }, NullReporter.Instance, default))
            Assert.Equal([SqlServerEnvironmentLock.SetHolderSql, SqlServerEnvironmentLock.AcquireSql], session.Log);

        Assert.Equal(["master"], opened);
        Assert.Equal("DISPOSE", session.Log[^1]);
    }

    [Fact]
    public async Task A_held_lock_is_EnvironmentLocked_naming_the_holder_and_the_session_is_closed()
    {
        var session = new RecordingLockSession
        {
            Scalar = _ => -1,
            Rows = _ => [new SqlRow { ["holder"] = "dba@host7 pid 42 plan abc\0\0\0", ["host_name"] = "host7", ["login_name"] = "CORP\\dba" }],
        };
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => SqlServerEnvironmentLock.AcquireAsync(Target,
            new EnvironmentLockRequest { Environment = "Production", PlanId = "p2" }, _ => session, NullReporter.Instance, default));
        Assert.Equal("EnvironmentLocked", ex.ErrorId);
        Assert.Contains("dba@host7 pid 42 plan abc (CORP\\dba on host7)", ex.Message);
        Assert.DoesNotContain("\0", ex.Message, StringComparison.Ordinal);
        Assert.True(session.Disposed);
        Assert.DoesNotContain(SqlServerEnvironmentLock.ReleaseSql, session.Log);
    }

    [Fact]
    public async Task With_a_timeout_it_polls_on_the_injected_clock_until_the_lock_is_free()
    {
        var time = new FakeTimeProvider();
        var answers = new Queue<object?>([-1, -1, 0]);
        var session = new RecordingLockSession { Scalar = _ => answers.Dequeue() };
        var reporter = new RecordingReporter();
        var acquiring = SqlServerEnvironmentLock.AcquireAsync(Target, new EnvironmentLockRequest
        {
            // A wait far longer than the polls need: the loop below may advance the clock before
            // the acquirer has set its next delay, and that must not use up the wait on a busy machine.
            Environment = "Production", PlanId = "p3", Wait = TimeSpan.FromHours(1), PollInterval = TimeSpan.FromSeconds(2), Time = time,
        }, _ => session, reporter, default);
        // Each advance gives the acquirer's continuation a moment on the thread pool (a yield alone can outrun it on a loaded machine).
        for (var i = 0; i < 1000 && !acquiring.IsCompleted; i++) { time.Advance(TimeSpan.FromSeconds(2)); await Task.WhenAny(acquiring, Task.Delay(10)); }
        Assert.True(acquiring.IsCompleted, "the lock was not taken after the third poll");
        using var held = await acquiring;
        Assert.Equal(3, session.Log.Count(l => l == SqlServerEnvironmentLock.AcquireSql));
        Assert.Contains(reporter.Warnings, w => w.StartsWith("Waiting for the rollback of Production", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_server_is_EnvironmentLockUnavailable()
    {
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => SqlServerEnvironmentLock.AcquireAsync(Target, new EnvironmentLockRequest
        {
            Environment = "Production", PlanId = "p4",
        }, _ => throw new OsRollbackException("SqlConnectionFailed", OsErrorCategory.ConnectionError, "cannot connect", "sql01", "check"), NullReporter.Instance, default));
        Assert.Equal("EnvironmentLockUnavailable", ex.ErrorId);
    }
}

public class EnvironmentDatabaseLockTests
{
    [Fact]
    public async Task Two_runs_with_different_catalogs_on_one_environment_database_only_one_proceeds()
    {
        using var s = await RollbackScenario.CreateAsync();
        using var otherHome = new TempDirectory();
        var plan1 = await s.PlanAsync();
        var plan2 = await s.PlanAsync(RollbackStrategy.Solution);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.World.Gates["Deploy"] = gate;
        var first = s.ExecuteAsync(plan1);
        while (!s.World.Calls.Any(c => c.StartsWith("Deploy", StringComparison.Ordinal))) await Task.Yield();

        var otherCatalog = new RollbackCatalog(otherHome.Path);
        var second = new RollbackRun(otherCatalog, s.World.Ports());
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => second.ExecuteAsync(plan2, s.Point, null, new RollbackExecutionOptions(), s.Reporter, default));
        Assert.Equal("EnvironmentLocked", ex.ErrorId);
        Assert.Contains(plan1.Id, ex.Message);
        Assert.Contains(EnvironmentDatabaseLock.SqliteLockPath((SqliteTarget)s.Database), ex.Message);
        Assert.False(Directory.Exists(RollbackRun.RunFolder(s.Point, plan2)));
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("PublishPackage", StringComparison.Ordinal));

        gate.SetResult();
        Assert.Equal(RollbackRunStatus.Succeeded, (await first).Status);
        Assert.False(File.Exists(EnvironmentDatabaseLock.SqliteLockPath((SqliteTarget)s.Database)));
    }

    [Fact]
    public async Task A_LifeTime_plan_takes_the_lock_beside_the_rollback_points_recorded_database()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        Assert.Equal(s.Database.DisplayName, RollbackRun.LockTarget(plan, s.Point, null).DisplayName);
        using var held = await DatabaseProviders.Default.For(s.Database).Operations.Locking.AcquireAsync(s.Database, new EnvironmentLockRequest { Environment = "Production", PlanId = "someone-else" }, NullReporter.Instance, default);
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan));
        Assert.Equal("EnvironmentLocked", ex.ErrorId);
        Assert.Contains("someone-else", ex.Message);
    }

    [Fact]
    public async Task A_database_folder_that_does_not_exist_is_EnvironmentLockUnavailable()
    {
        using var temp = new TempDirectory();
        var gone = new SqliteTarget(Path.Combine(temp.Path, "gone", "p.db"));
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => DatabaseProviders.Default.For(gone).Operations.Locking.AcquireAsync(gone,
            new EnvironmentLockRequest { Environment = "Production", PlanId = "p" }, NullReporter.Instance, default));
        Assert.Equal("EnvironmentLockUnavailable", ex.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "gone")));
    }
}
