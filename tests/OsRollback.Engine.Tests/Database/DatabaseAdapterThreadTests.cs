using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Tests.Support;
using static OsRollback.Engine.Tests.Support.SqliteFile;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// The database adapter calls its provider on the caller's thread: a command's engine work already runs on its
/// one worker (EngineWork), so the backup and the restore of a rollback start no thread of their own.
/// </summary>
public sealed class DatabaseAdapterThreadTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;

    public DatabaseAdapterThreadTests()
    {
        _db = _dir.File("platform.db");
        Execute(_db, "CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL); INSERT INTO ORDERS (ID, NAME) VALUES (1, 'one');");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_backup_and_the_restore_reach_the_provider_on_the_calling_thread()
    {
        var adapter = new DatabaseServiceAdapter();
        var target = new SqliteTarget(_db);
        var point = await adapter.BackupAsync(target, _dir.File("point"), "pre-deploy", NullReporter.Instance, CancellationToken.None);
        Execute(_db, "INSERT INTO ORDERS (ID, NAME) VALUES (2, 'written by the bad version');");
        var reporter = new ThreadReporter();

        var backupCaller = Environment.CurrentManagedThreadId;
        var backupTask = adapter.BackupAsync(target, _dir.File("run"), "pre-rollback", reporter, CancellationToken.None);
        var backedUpOn = reporter.FirstVerboseThread;
        var preRollback = await backupTask;

        reporter.Reset();
        var restoreCaller = Environment.CurrentManagedThreadId;
        var restoreTask = adapter.RestoreAsync(target, point.Path, preRollback, reporter, CancellationToken.None);
        var restoredOn = reporter.FirstVerboseThread;
        await restoreTask;

        Assert.Equal(backupCaller, backedUpOn);
        Assert.Equal(restoreCaller, restoredOn);
        Assert.Equal(1, Scalar(_db, "SELECT count(*) FROM ORDERS"));
    }

    /// <summary>Remembers the thread of the first verbose message (the provider's first words, said before any work of its own).</summary>
    private sealed class ThreadReporter : IOperationReporter
    {
        public int? FirstVerboseThread { get; private set; }
        public void Reset() => FirstVerboseThread = null;
        public void Verbose(string message) => FirstVerboseThread ??= Environment.CurrentManagedThreadId;
        public void Warning(string message) { }
        public void Progress(ProgressUpdate update) { }
    }
}
