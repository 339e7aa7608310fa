using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Tests.Support;
using static OsRollback.Engine.Tests.Support.SqliteFile;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Nothing twice in the outage: the run's pre-rollback backup is the restore's safety backup.</summary>
public class RollbackSafetyBackupReuseTests
{
    private static long Count(string path)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM ORDERS";
        return (long)cmd.ExecuteScalar()!;
    }

    private static string[] SafetyFiles(TempDirectory temp) => Directory.GetFiles(temp.Path, "*_safety*", SearchOption.AllDirectories);

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task The_restore_takes_no_second_safety_backup_when_the_pre_rollback_backup_of_this_run_is_given(bool givePreRollbackBackup, bool safetyBackupTaken)
    {
        using var temp = new TempDirectory();
        var db = new SqliteTarget(temp.File("production.db"));
        Execute(db.Path, "CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, NAME TEXT); INSERT INTO ORDERS (NAME) VALUES ('before deploy');");
        var adapter = new DatabaseServiceAdapter();
        var preDeploy = await adapter.BackupAsync(db, temp.File("point"), "pre-deploy", NullReporter.Instance, CancellationToken.None);
        Execute(db.Path, "INSERT INTO ORDERS (NAME) VALUES ('after deploy');");
        var preRollback = await adapter.BackupAsync(db, temp.File("run"), "pre-rollback", NullReporter.Instance, CancellationToken.None);

        await adapter.RestoreAsync(db, preDeploy.Path, givePreRollbackBackup ? preRollback : null, NullReporter.Instance, CancellationToken.None);

        Assert.Equal(1, Count(db.Path));
        Assert.Equal(2, Count(preRollback.Path)); // what the parallel database restores
        Assert.Equal(safetyBackupTaken, SafetyFiles(temp).Length > 0);
    }

    [Fact]
    public async Task A_pre_rollback_backup_this_process_did_not_verify_is_not_trusted_and_a_safety_backup_is_taken()
    {
        using var temp = new TempDirectory();
        var db = new SqliteTarget(temp.File("production.db"));
        Execute(db.Path, "CREATE TABLE ORDERS (ID INTEGER PRIMARY KEY, NAME TEXT); INSERT INTO ORDERS (NAME) VALUES ('before deploy');");
        var preDeploy = await new DatabaseServiceAdapter().BackupAsync(db, temp.File("point"), "pre-deploy", NullReporter.Instance, CancellationToken.None);
        var elsewhere = await new DatabaseServiceAdapter().BackupAsync(db, temp.File("run"), "pre-rollback", NullReporter.Instance, CancellationToken.None);

        // A resumed run in a new process holds no evidence: the full safety check applies again.
        await new DatabaseServiceAdapter().RestoreAsync(db, preDeploy.Path, elsewhere with { Evidence = null }, NullReporter.Instance, CancellationToken.None);

        Assert.NotEmpty(SafetyFiles(temp));
    }
}
