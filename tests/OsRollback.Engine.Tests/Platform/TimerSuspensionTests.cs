using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Platform;

public class TimerSuspensionTests
{
    [Theory]
    [InlineData(TimerTableSql.SelectTimers)]
    [InlineData(TimerTableSql.SetNextRun)]
    [InlineData(TimerTableSql.SelectNextRun)]
    [InlineData(TimerTableSql.SetTenantNextRun)]
    [InlineData(TimerTableSql.SelectTenantNextRun)]
    [InlineData(TimerTableSql.CountShared)]
    [InlineData(TimerTableSql.CountTenant)]
    public void Timer_sql_is_valid_T_SQL(string sql) => TSql.AssertParses(sql);

    [Fact]
    public void Every_statement_in_the_engine_is_listed_above()
    {
        var source = File.ReadAllText(Path.Combine(RepoRoot(), "src/OsRollback.Engine/Database/TimerTableSql.cs"));
        var literals = System.Text.RegularExpressions.Regex.Matches(source, "\"((SELECT|UPDATE|INSERT|DELETE) [^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(literals);
        foreach (var fragment in literals) Assert.True(fragment.StartsWith("SELECT m.ID", StringComparison.Ordinal) || fragment.StartsWith("UPDATE", StringComparison.Ordinal) || fragment.StartsWith("SELECT NEXT_RUN", StringComparison.Ordinal) || fragment.StartsWith("SELECT COUNT", StringComparison.Ordinal), fragment);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OsRollback.sln")) && !Directory.Exists(Path.Combine(dir.FullName, ".git")) && !File.Exists(Path.Combine(dir.FullName, ".git"))) dir = dir.Parent;
        return dir!.FullName;
    }

    private static SqliteTarget CreateDatabase(TempDirectory temp)
    {
        var path = temp.File("platform.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE OSSYS_META_CYCLIC_JOB (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER, NAME TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL);
            CREATE TABLE OSSYS_CYCLIC_JOB_SHARED (META_CYCLIC_JOB_ID INTEGER PRIMARY KEY, SCHEDULE TEXT, NEXT_RUN TEXT, IS_RUNNING_SINCE TEXT);
            CREATE TABLE OSSYS_CYCLIC_JOB (ID INTEGER PRIMARY KEY, META_CYCLIC_JOB_ID INTEGER NOT NULL, TENANT_ID INTEGER NOT NULL, SCHEDULE TEXT, NEXT_RUN TEXT, IS_RUNNING_SINCE TEXT);
            INSERT INTO OSSYS_META_CYCLIC_JOB VALUES (1, 10, 'NightlyBilling', 1), (2, 11, 'PurgeLogs', 1), (3, 12, 'SyncCustomers', 0);
            INSERT INTO OSSYS_CYCLIC_JOB_SHARED VALUES (1, 'daily 02:00', '2026-11-27 02:00:00', NULL), (2, 'hourly', '2026-11-26 13:00:00', '2026-11-26 12:00:00'), (3, 'weekly', NULL, NULL);
            """;
        command.ExecuteNonQuery();
        return new SqliteTarget(path);
    }

    [Fact]
    public void Suspend_records_each_next_run_and_resume_restores_exactly_that()
    {
        using var temp = new TempDirectory();
        var target = CreateDatabase(temp);
        var reporter = new RecordingReporter();
        var before = TimerSuspension.Read(target).Select(t => (t.Name, t.NextRun)).ToList();

        var state = TimerSuspension.Suspend(target, null, reporter);

        Assert.Equal(3, state.Timers.Count);
        Assert.All(TimerSuspension.Read(target), t => Assert.Equal(TimerSuspension.SuspendedUntilText, t.NextRun));
        Assert.Contains(reporter.Warnings, w => w.Contains("PurgeLogs") && w.Contains("running"));

        state.Save(temp.File("timers.json"));
        var loaded = TimerSuspensionState.Load(temp.File("timers.json"));
        var result = TimerSuspension.Resume(target, loaded, reporter);

        Assert.Equal(3, result.Restored.Length);
        Assert.Equal(before, TimerSuspension.Read(target).Select(t => (t.Name, t.NextRun)).ToList());
    }

    [Fact]
    public void Only_named_timers_are_suspended_and_an_unknown_name_changes_nothing()
    {
        using var temp = new TempDirectory();
        var target = CreateDatabase(temp);
        var state = TimerSuspension.Suspend(target, ["nightlybilling"]);
        Assert.Equal("NightlyBilling", Assert.Single(state.Timers).Name);
        Assert.Equal("2026-11-26 13:00:00", TimerSuspension.Read(target).Single(t => t.Name == "PurgeLogs").NextRun);

        var error = Assert.Throws<OsRollbackException>(() => TimerSuspension.Suspend(target, ["Nope"]));
        Assert.Equal("TimerNotFound", error.ErrorId);
    }

    [Fact]
    public void A_timer_rescheduled_meanwhile_is_left_alone_and_an_already_suspended_one_is_not_recorded_twice()
    {
        using var temp = new TempDirectory();
        var target = CreateDatabase(temp);
        var reporter = new RecordingReporter();
        var state = TimerSuspension.Suspend(target, null, reporter);
        var again = TimerSuspension.Suspend(target, null, reporter);
        Assert.Empty(again.Timers);

        using (var connection = target.OpenConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE OSSYS_CYCLIC_JOB_SHARED SET NEXT_RUN = '2026-12-01 00:00:00' WHERE META_CYCLIC_JOB_ID = 1";
            command.ExecuteNonQuery();
        }
        var result = TimerSuspension.Resume(target, state, reporter);
        Assert.Equal(["NightlyBilling"], result.Skipped);
        Assert.Equal("2026-12-01 00:00:00", TimerSuspension.Read(target).Single(t => t.Name == "NightlyBilling").NextRun);
    }
}

public class TimerSuspensionThroughRestoreTests
{
    /// <summary>
    /// The database runbook suspends timers, restores the pre-deploy backup (which brings back the
    /// timers' schedules), then suspends again: every timer must end suspended, and resume must give
    /// each its recorded schedule back.
    /// </summary>
    [Fact]
    public async Task Suspending_again_after_a_restore_covers_the_restored_timers_and_resume_restores_them()
    {
        using var temp = new TempDirectory();
        var db = temp.File("platform.db");
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = """
                CREATE TABLE OSSYS_META_CYCLIC_JOB (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER, NAME TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL);
                CREATE TABLE OSSYS_CYCLIC_JOB_SHARED (META_CYCLIC_JOB_ID INTEGER PRIMARY KEY, SCHEDULE TEXT, NEXT_RUN TEXT, IS_RUNNING_SINCE TEXT);
                CREATE TABLE OSSYS_CYCLIC_JOB (ID INTEGER PRIMARY KEY, META_CYCLIC_JOB_ID INTEGER NOT NULL, TENANT_ID INTEGER NOT NULL, SCHEDULE TEXT, NEXT_RUN TEXT, IS_RUNNING_SINCE TEXT);
                INSERT INTO OSSYS_META_CYCLIC_JOB VALUES (1, 10, 'NightlyBilling', 1), (2, 11, 'PurgeLogs', 1);
                INSERT INTO OSSYS_CYCLIC_JOB_SHARED VALUES (1, 'daily 02:00', '2026-11-27 02:00:00', NULL), (2, 'hourly', '2026-11-26 13:00:00', NULL);
                """;
            command.ExecuteNonQuery();
        }
        var backup = temp.File("pre-deploy.db");
        File.Copy(db, backup);
        var target = new SqliteTarget(db);
        var before = TimerSuspension.Read(target).Select(t => (t.Name, t.NextRun)).ToList();
        var adapter = new OsRollback.Engine.Rollback.Adapters.PlatformServicesAdapter(
            new LifeTimeConnection("https://lifetime.invalid", OsRollback.Engine.Security.SecretText.FromPlainText("t")), null, target, temp.File("states"));

        await adapter.SetTimersSuspendedAsync("Production", true, default);
        File.Copy(backup, db, overwrite: true);                       // the restore: schedules are back
        Assert.All(TimerSuspension.Read(target), t => Assert.NotEqual(TimerSuspension.SuspendedUntilText, t.NextRun));
        await adapter.SetTimersSuspendedAsync("Production", true, default);
        Assert.All(TimerSuspension.Read(target), t => Assert.Equal(TimerSuspension.SuspendedUntilText, t.NextRun));
        await adapter.SetTimersSuspendedAsync("Production", true, default); // a resumed step: idempotent

        await adapter.SetTimersSuspendedAsync("Production", false, default);
        Assert.Equal(before, TimerSuspension.Read(target).Select(t => (t.Name, t.NextRun)).ToList());
        Assert.Empty(Directory.GetFiles(temp.File("states")));
    }
}
