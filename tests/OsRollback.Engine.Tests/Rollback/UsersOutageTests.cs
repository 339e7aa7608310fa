using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>The users' outage a report leads with, from the journal's times (a fake clock writes them).</summary>
public class UsersOutageTests
{
    private static readonly DateTimeOffset Day = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static RollbackPlan DatabasePlan() => Numbered(RollbackStrategy.Database,
        new VerifyRollbackPointStep { Title = "Check" },
        new MaintenanceOnStep { Title = "Turn maintenance mode on" },
        new FirewallOfflineStep { Title = "Close the applications to users (-OfflineScript hook)" },
        new RestoreDatabaseStep { Title = "Restore" },
        new MaintenanceOffStep { Title = "Turn maintenance mode off" },
        new FirewallOnlineStep { Title = "Open the applications to users (-OnlineScript hook)" },
        new RestoreParallelStep { Title = "Restore the parallel database" });

    private static RollbackPlan Numbered(RollbackStrategy strategy, params RollbackStep[] steps) => new()
    {
        Environment = "Production", Strategy = strategy, Steps = steps.Select((s, i) => s with { Number = i + 1 }).ToList(),
    };

    /// <summary>Writes Started/Finished of each step at the given clock times ("HH:mm:ss"), as a run does.</summary>
    private static List<JournalEntry> Journal(TempDirectory temp, RollbackPlan plan, params (int Step, JournalEvent Event, string At)[] events)
    {
        var time = new FakeTimeProvider(Day);
        var journal = new RollbackJournal(temp.Path, time);
        foreach (var (step, @event, at) in events)
        {
            time.SetUtcNow(Day + TimeSpan.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
            journal.Write(step, plan.Steps[step - 1].Kind, @event);
        }
        return RollbackJournal.ReadEntries(journal.Path);
    }

    [Fact]
    public void A_database_run_is_offline_from_maintenance_mode_on_to_the_firewall_opening()
    {
        using var temp = new TempDirectory();
        var plan = DatabasePlan();
        var journal = Journal(temp, plan,
            (1, JournalEvent.Started, "10:01:10"), (1, JournalEvent.Finished, "10:01:50"),
            (2, JournalEvent.Started, "10:02:05"), (2, JournalEvent.Finished, "10:02:20"),
            (3, JournalEvent.Started, "10:02:20"), (3, JournalEvent.Finished, "10:03:00"),
            (4, JournalEvent.Started, "10:03:00"), (4, JournalEvent.Finished, "10:12:00"),
            (5, JournalEvent.Started, "10:12:00"), (5, JournalEvent.Finished, "10:13:00"),
            (6, JournalEvent.Started, "10:16:40"), (6, JournalEvent.Finished, "10:17:05"),
            (7, JournalEvent.Started, "10:17:05"), (7, JournalEvent.Finished, "10:40:00"));

        var outage = UsersOutage.Of(plan, journal);

        Assert.Equal(UsersOutageKind.Offline, outage.Kind);
        Assert.Equal(Day.AddHours(10).AddMinutes(2).AddSeconds(5), outage.From);
        Assert.Equal(Day.AddHours(10).AddMinutes(17).AddSeconds(5), outage.To);
        Assert.Equal(TimeSpan.FromMinutes(15), outage.Duration);
        // The parallel restore after reopening is not part of the users' outage.
        Assert.Equal("Offline from 10:02 to 10:17 (UTC), 15 minutes on 2026-12-02.", outage.Summary);
    }

    [Fact]
    public void A_resumed_run_counts_from_the_first_attempt_going_offline()
    {
        using var temp = new TempDirectory();
        var plan = DatabasePlan();
        var journal = Journal(temp, plan,
            (2, JournalEvent.Started, "10:02:00"), (2, JournalEvent.Finished, "10:02:30"),
            (3, JournalEvent.Started, "10:02:30"), (3, JournalEvent.Finished, "10:03:00"),
            (4, JournalEvent.Started, "10:03:00"), (4, JournalEvent.Failed, "10:05:00"),
            // -Resume: the restore runs again, then the rest.
            (4, JournalEvent.Started, "10:31:00"), (4, JournalEvent.Finished, "10:39:00"),
            (5, JournalEvent.Started, "10:39:00"), (5, JournalEvent.Finished, "10:40:00"),
            (6, JournalEvent.Started, "10:40:00"), (6, JournalEvent.Finished, "10:40:29"));

        var outage = UsersOutage.Of(plan, journal);

        Assert.Equal(TimeSpan.FromSeconds(38 * 60 + 29), outage.Duration);
        Assert.Equal("Offline from 10:02 to 10:40 (UTC), 38 minutes on 2026-12-02.", outage.Summary);
    }

    [Fact]
    public void A_run_that_stopped_before_reopening_says_users_are_still_offline()
    {
        using var temp = new TempDirectory();
        var plan = DatabasePlan();
        var journal = Journal(temp, plan,
            (2, JournalEvent.Started, "23:55:00"), (2, JournalEvent.Finished, "23:55:30"),
            (3, JournalEvent.Started, "23:55:30"), (3, JournalEvent.Finished, "23:56:00"),
            (4, JournalEvent.Started, "23:56:00"), (4, JournalEvent.Failed, "1.00:04:00"));

        var outage = UsersOutage.Of(plan, journal);

        Assert.Equal(UsersOutageKind.Offline, outage.Kind);
        Assert.Null(outage.To);
        Assert.Equal(TimeSpan.FromMinutes(9), outage.Duration);
        Assert.Equal("Offline since 2026-12-02 23:55 (UTC) and not back online: the run stopped before step 6 (Open the applications to users (-OnlineScript hook)); 9 minutes so far at 2026-12-03 00:04.", outage.Summary);
    }

    [Fact]
    public void A_run_that_stopped_before_going_offline_left_users_their_applications()
    {
        using var temp = new TempDirectory();
        var plan = DatabasePlan();
        var journal = Journal(temp, plan, (1, JournalEvent.Started, "10:00:00"), (1, JournalEvent.Failed, "10:00:10"));

        var outage = UsersOutage.Of(plan, journal);

        Assert.Equal(UsersOutageKind.None, outage.Kind);
        Assert.Null(outage.From);
        Assert.Contains("stopped before step 2 (Turn maintenance mode on)", outage.Summary);
    }

    [Fact]
    public void A_code_rollback_reports_the_republish_window_users_worked_through()
    {
        using var temp = new TempDirectory();
        var plan = Numbered(RollbackStrategy.LifeTime,
            new VerifyRollbackPointStep { Title = "Check" },
            new DeployVersionsStep { Title = "Deploy" },
            new VerifyVersionsStep { Title = "Verify" });
        var journal = Journal(temp, plan,
            (1, JournalEvent.Started, "09:00:00"), (1, JournalEvent.Finished, "09:00:20"),
            (2, JournalEvent.Started, "09:00:20"), (2, JournalEvent.Finished, "09:04:50"),
            (3, JournalEvent.Started, "09:04:50"), (3, JournalEvent.Finished, "09:05:00"));

        var outage = UsersOutage.Of(plan, journal);

        Assert.Equal(UsersOutageKind.Republish, outage.Kind);
        Assert.Equal(TimeSpan.FromSeconds(270), outage.Duration);
        Assert.StartsWith("No planned outage: users kept working while Production was redeployed by LifeTime from 09:00 to 09:05 (UTC), 5 minutes on 2026-12-02", outage.Summary);
    }

    [Fact]
    public void Module_waves_make_one_republish_window_from_the_first_wave_to_the_last()
    {
        using var temp = new TempDirectory();
        var plan = Numbered(RollbackStrategy.Module,
            new PublishModuleWaveStep { Title = "Wave 1", Wave = 1 },
            new PublishModuleWaveStep { Title = "Wave 2", Wave = 2 },
            new SmokeTestStep { Title = "Smoke" });
        var journal = Journal(temp, plan,
            (1, JournalEvent.Started, "09:00:00"), (1, JournalEvent.Finished, "09:00:20"),
            (2, JournalEvent.Started, "09:00:20"), (2, JournalEvent.Finished, "09:00:40"),
            (3, JournalEvent.Started, "09:00:40"), (3, JournalEvent.Finished, "09:09:00"));

        var outage = UsersOutage.Of(plan, journal);

        Assert.Equal(TimeSpan.FromSeconds(40), outage.Duration);
        Assert.Contains("was republished from 09:00 to 09:01 (UTC), 1 minute", outage.Summary);
    }

    [Theory]
    [InlineData(0, "less than a minute")]
    [InlineData(29, "less than a minute")]
    [InlineData(30, "1 minute")]
    [InlineData(89, "1 minute")]
    [InlineData(90, "2 minutes")]
    [InlineData(3600, "60 minutes")]
    public void Minutes_are_whole_and_rounded(int seconds, string expected) =>
        Assert.Equal(expected, UsersOutage.Minutes(TimeSpan.FromSeconds(seconds)));
}
