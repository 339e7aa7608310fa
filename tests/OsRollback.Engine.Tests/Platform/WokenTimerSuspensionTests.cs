using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>A publish wakes "When Published" timers during a suspension (docs-product class-timer.md).</summary>
public class WokenTimerSuspensionTests
{
    private static SqliteTarget CreateDatabase(TempDirectory temp)
    {
        var path = temp.File("platform.db");
        Execute(path, """
            CREATE TABLE OSSYS_META_CYCLIC_JOB (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER, NAME TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL);
            CREATE TABLE OSSYS_CYCLIC_JOB_SHARED (META_CYCLIC_JOB_ID INTEGER PRIMARY KEY, SCHEDULE TEXT, NEXT_RUN TEXT, IS_RUNNING_SINCE TEXT);
            CREATE TABLE OSSYS_CYCLIC_JOB (ID INTEGER PRIMARY KEY, META_CYCLIC_JOB_ID INTEGER NOT NULL, TENANT_ID INTEGER NOT NULL, SCHEDULE TEXT, NEXT_RUN TEXT, IS_RUNNING_SINCE TEXT);
            INSERT INTO OSSYS_META_CYCLIC_JOB VALUES (1, 10, 'NightlyBilling', 1), (2, 11, 'WarmCache', 1);
            INSERT INTO OSSYS_CYCLIC_JOB_SHARED VALUES (1, 'daily 02:00', '2026-11-27 02:00:00', NULL), (2, 'When Published', '2026-11-26 09:00:00', NULL);
            """);
        return new SqliteTarget(path);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? NextRun(SqliteTarget target, string name) => TimerSuspension.Read(target).Single(t => t.Name == name).NextRun;

    [Fact]
    public void A_woken_timer_is_suspended_again_named_and_resumed_to_run_once_instead_of_being_skipped_as_rescheduled()
    {
        using var temp = new TempDirectory();
        var target = CreateDatabase(temp);
        var statePath = temp.File("timers.json");
        TimerSuspension.Suspend(target).Save(statePath);

        Assert.Empty(WokenTimerSuspension.Resuspend(target, statePath)); // nothing woke yet
        Execute(target.Path, "UPDATE OSSYS_CYCLIC_JOB_SHARED SET NEXT_RUN = '2026-11-26 10:15:00' WHERE META_CYCLIC_JOB_ID = 2"); // a publish woke it

        Assert.Equal(["WarmCache"], WokenTimerSuspension.Resuspend(target, statePath));
        Assert.Equal(TimerSuspension.SuspendedUntilText, NextRun(target, "WarmCache"));
        var state = TimerSuspensionState.Load(statePath);
        var warm = state.Timers.Single(t => t.Name == "WarmCache");
        Assert.Equal("2026-11-26 09:00:00", warm.NextRun); // the schedule before the suspension is kept
        Assert.Equal("2026-11-26 10:15:00", warm.WokenNextRun);

        var resumed = TimerSuspension.Resume(target, state);
        Assert.Empty(resumed.Skipped);
        Assert.Equal(["NightlyBilling", "WarmCache"], resumed.Restored.Order());
        Assert.Equal("2026-11-26 10:15:00", NextRun(target, "WarmCache"));
        Assert.Equal("2026-11-27 02:00:00", NextRun(target, "NightlyBilling"));
    }

    [Fact]
    public void Without_the_step_resume_skips_the_woken_timer_as_rescheduled()
    {
        using var temp = new TempDirectory();
        var target = CreateDatabase(temp);
        var state = TimerSuspension.Suspend(target);
        Execute(target.Path, "UPDATE OSSYS_CYCLIC_JOB_SHARED SET NEXT_RUN = '2026-11-26 10:15:00' WHERE META_CYCLIC_JOB_ID = 2");
        Assert.Equal(["WarmCache"], TimerSuspension.Resume(target, state).Skipped);
    }
}
