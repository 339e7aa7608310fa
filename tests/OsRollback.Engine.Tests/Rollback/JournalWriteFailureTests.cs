using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>
/// A journal append that fails (disk full, no access) is a JournalWriteFailed error and leaves the
/// journal as it was before the append, so -Resume reads every earlier event.
/// </summary>
public class JournalWriteFailureTests
{
    /// <summary>A journal whose appends fail after <c>bytesBeforeFailure</c> bytes, from the <c>failAt</c>-th append on.</summary>
    private sealed class FailingJournal(string folder, TimeProvider time, int failAt, long bytesBeforeFailure, bool denied = false) : RollbackJournal(folder, time)
    {
        private int _appends;

        protected override Stream OpenForAppend(string path)
        {
            if (++_appends < failAt) return base.OpenForAppend(path);
            if (denied) throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
            return new FailingWriteStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, bytesBeforeFailure);
        }
    }

    [Fact]
    public void A_disk_full_append_is_JournalWriteFailed_and_leaves_no_half_line()
    {
        using var temp = new TempDirectory();
        var journal = new FailingJournal(temp.Path, TimeProvider.System, failAt: 2, bytesBeforeFailure: 20);
        journal.Write(1, "Backup", JournalEvent.Started, "first");
        var before = File.ReadAllBytes(journal.Path);

        var error = Assert.Throws<OsRollbackException>(() => journal.Write(1, "Backup", JournalEvent.Finished, "second"));

        Assert.Equal("JournalWriteFailed", error.ErrorId);
        Assert.Equal(OsErrorCategory.WriteError, error.Category);
        Assert.Contains("disk is full", error.Message);
        Assert.Contains("Free space", error.RecommendedAction);
        Assert.Contains("-Resume", error.RecommendedAction);
        Assert.Equal(before, File.ReadAllBytes(journal.Path));
        Assert.False(journal.IsFinished(1));
        Assert.Single(RollbackJournal.ReadEntries(journal.Path));
    }

    [Fact]
    public void After_a_failed_append_the_next_one_is_readable_and_the_failed_event_is_not_recorded()
    {
        using var temp = new TempDirectory();
        var failing = new FailingJournal(temp.Path, TimeProvider.System, failAt: 2, bytesBeforeFailure: 30);
        failing.Write(1, "Backup", JournalEvent.Started);
        Assert.Throws<OsRollbackException>(() => failing.Write(1, "Backup", JournalEvent.Finished));

        var resumed = new RollbackJournal(temp.Path, TimeProvider.System);
        resumed.Write(1, "Backup", JournalEvent.Finished, "done on resume");

        var entries = RollbackJournal.ReadEntries(resumed.Path);
        Assert.Equal([JournalEvent.Started, JournalEvent.Finished], entries.Select(e => e.Event));
        Assert.Equal("done on resume", entries[1].Detail);
    }

    [Fact]
    public void An_append_after_a_line_cut_by_a_crash_starts_on_a_fresh_line()
    {
        using var temp = new TempDirectory();
        var journal = new RollbackJournal(temp.Path, TimeProvider.System);
        journal.Write(1, "Backup", JournalEvent.Started);
        File.AppendAllText(journal.Path, "{\"at\":\"2026-11-26T12:00:00Z\",\"step\":1,\"ev");   // a crash in the middle of a line

        new RollbackJournal(temp.Path, TimeProvider.System).Write(1, "Backup", JournalEvent.Finished);

        var reread = new RollbackJournal(temp.Path, TimeProvider.System);
        Assert.True(reread.IsFinished(1));
        Assert.Equal(2, reread.Entries.Count);
    }

    [Fact]
    public void A_journal_that_may_not_be_written_is_JournalWriteFailed_with_what_to_do()
    {
        using var temp = new TempDirectory();
        var journal = new FailingJournal(temp.Path, TimeProvider.System, failAt: 1, bytesBeforeFailure: 0, denied: true);

        var error = Assert.Throws<OsRollbackException>(() => journal.Write(0, "Run", JournalEvent.RunStarted));

        Assert.Equal("JournalWriteFailed", error.ErrorId);
        Assert.Contains("writable", error.RecommendedAction);
        Assert.False(journal.HasEvents);
    }

    [Fact]
    public async Task A_run_whose_journal_fills_the_disk_stops_with_JournalWriteFailed_and_resumes_from_the_unrecorded_step()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var executor = s.Executor();
        // appends: run-started, step 1 started, step 1 finished, step 2 started, step 2 finished (the 5th) fails halfway
        executor.JournalFactory = (folder, time) => new FailingJournal(folder, time, failAt: 5, bytesBeforeFailure: 25);

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan, executor: executor));
        Assert.Equal("JournalWriteFailed", error.ErrorId);
        var journalPath = Path.Combine(RollbackRun.RunFolder(s.Point, plan), RollbackJournal.FileName);
        Assert.All(File.ReadAllLines(journalPath), line => Assert.NotNull(Newtonsoft.Json.JsonConvert.DeserializeObject<JournalEntry>(line, RollbackJson.Settings)));

        var result = await s.ExecuteAsync(plan, resume: true);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(StepStatus.FinishedEarlier, result.Steps[0].Status);
        Assert.Equal(StepStatus.Finished, result.Steps[1].Status);
        Assert.Equal("orders-v1", s.World.VersionOf("Production", "Orders"));
    }
}
