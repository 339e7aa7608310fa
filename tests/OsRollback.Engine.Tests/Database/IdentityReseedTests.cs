using OsRollback.Engine.Database.SqlServer;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Tests.Rollback;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Rollback.Adapters;

namespace OsRollback.Engine.Tests.Database;

public class IdentityReseedSqliteTests
{
    private static void Exec(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_row_inserted_after_the_reseed_gets_an_id_above_the_rows_the_restore_removed()
    {
        using var temp = new TempDirectory();
        var live = Path.Combine(temp.Path, "live.db");
        var predeploy = Path.Combine(temp.Path, "predeploy.db");
        Exec(live, "CREATE TABLE OSUSR_ABC_ORDER (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT); CREATE TABLE OSUSR_ABC_NOTE (ID INTEGER PRIMARY KEY, TEXT TEXT); CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY AUTOINCREMENT);" +
                   "INSERT INTO OSUSR_ABC_ORDER (NAME) VALUES ('a'), ('b'); INSERT INTO OSUSR_ABC_NOTE (TEXT) VALUES ('n1');");
        File.Copy(live, predeploy); // the pre-deploy backup: orders 1-2
        Exec(live, "INSERT INTO OSUSR_ABC_ORDER (NAME) VALUES ('c'), ('d'), ('e'); INSERT INTO OSUSR_ABC_NOTE (TEXT) VALUES ('n2'), ('n3');"); // written after the deploy: orders 3-5

        var reseeder = new IdentityReseeder();
        var marks = await reseeder.ReadHighWaterAsync(new SqliteTarget(live), NullReporter.Instance, default);
        Assert.Equal(["OSUSR_ABC_NOTE", "OSUSR_ABC_ORDER"], marks.Select(m => m.Table));
        Assert.Equal(5, marks.Single(m => m.Table == "OSUSR_ABC_ORDER").Value);

        File.Copy(predeploy, live, overwrite: true); // the restore
        var report = await reseeder.ReseedAsync(new SqliteTarget(live), marks, NullReporter.Instance, default);
        Assert.Equal(1, report.Reseeded);
        var warning = Assert.Single(report.Warnings);
        Assert.Contains("OSUSR_ABC_NOTE has no AUTOINCREMENT", warning);

        Exec(live, "INSERT INTO OSUSR_ABC_ORDER (NAME) VALUES ('after');");
        Assert.Equal(6, Scalar(live, "SELECT ID FROM OSUSR_ABC_ORDER WHERE NAME = 'after'"));

        var again = await reseeder.ReseedAsync(new SqliteTarget(live), marks, NullReporter.Instance, default);
        Assert.Equal(0, again.Reseeded); // idempotent: already above the mark
        Assert.Equal(6, Scalar(live, "SELECT seq FROM sqlite_sequence WHERE name = 'OSUSR_ABC_ORDER'"));
    }

    [Fact]
    public async Task An_AUTOINCREMENT_table_that_was_empty_in_the_backup_gets_its_sequence_row()
    {
        using var temp = new TempDirectory();
        var db = Path.Combine(temp.Path, "p.db");
        Exec(db, "CREATE TABLE OSUSR_X_T (ID INTEGER PRIMARY KEY AUTOINCREMENT, V TEXT);");
        var report = await new IdentityReseeder().ReseedAsync(new SqliteTarget(db), [new IdentityHighWater("OSUSR_X_T", null, 40, true), new IdentityHighWater("OSUSR_GONE", null, 3, true)], NullReporter.Instance, default);
        Assert.Equal(1, report.Reseeded);
        Assert.Contains(report.Warnings, w => w.Contains("OSUSR_GONE is not in the restored database"));
        Exec(db, "INSERT INTO OSUSR_X_T (V) VALUES ('x');");
        Assert.Equal(41, Scalar(db, "SELECT MAX(ID) FROM OSUSR_X_T"));
    }
}

public class IdentityReseedSqlServerTests
{
    private static readonly SqlServerTarget Target = new("sql01", "outsystems");

    [Fact]
    public void Every_statement_parses()
    {
        TSql.AssertParses(SqlServerIdentities.IdentityColumns);
        TSql.AssertParses(SqlServerIdentities.MaxQuery("dbo", "OSUSR_ABC_ORDER", "ID"));
        TSql.AssertParses(SqlServerIdentities.ReseedStatement("dbo", "OSUSR_ABC_ORDER", 123456789012));
        TSql.AssertParses(SqlServerIdentities.ReseedStatement("dbo", "OSUSR_]x'y", 1));
    }

    [Fact]
    public async Task Reads_last_value_and_MAX_then_reseeds_only_the_tables_below_their_mark()
    {
        var session = new RecordingLockSession();
        var phase = "before";
        session.Rows = sql => sql == SqlServerIdentities.IdentityColumns
            ? [Row("OSUSR_A", phase == "before" ? 50 : 20), Row("OSUSR_B", 7)]
            : sql.Contains("[OSUSR_A]") ? [new SqlRow { ["max_value"] = phase == "before" ? 60L : 20L }] : [new SqlRow { ["max_value"] = 7L }];
        var reseeder = new IdentityReseeder(_ => session);
        var marks = await reseeder.ReadHighWaterAsync(Target, NullReporter.Instance, default);
        Assert.Equal([("dbo.OSUSR_A", 60L), ("dbo.OSUSR_B", 7L)], marks.Select(m => (m.Table, m.Value)));
        phase = "after";
        session.Log.Clear();
        var report = await reseeder.ReseedAsync(Target, marks, NullReporter.Instance, default);
        Assert.Equal(1, report.Reseeded);
        Assert.Equal(SqlServerIdentities.ReseedStatement("dbo", "OSUSR_A", 60), session.Log.Single(l => l.StartsWith("DBCC", StringComparison.Ordinal)));
        Assert.Equal("DISPOSE", session.Log[^1]);
    }

    private static SqlRow Row(string table, long last) => new() { ["schema_name"] = "dbo", ["table_name"] = table, ["column_name"] = "ID", ["last_value"] = last };
}

public class IdentityReseedStepTests
{
    [Fact]
    public async Task The_Database_runbook_reads_the_marks_before_the_restore_and_reseeds_before_maintenance_off()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.IdentityValues[s.Database.DisplayName] = 250;
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var kinds = plan.Steps.Select(x => x.Kind).ToList();
        Assert.True(kinds.IndexOf(RollbackStepKind.BackupCurrent) < kinds.IndexOf("CaptureIdentityHighWater"));
        Assert.True(kinds.IndexOf("CaptureIdentityHighWater") < kinds.IndexOf(RollbackStepKind.RestoreDatabase));
        Assert.True(kinds.LastIndexOf(RollbackStepKind.PublishModuleWave) < kinds.IndexOf("ReseedIdentities"));
        Assert.True(kinds.IndexOf("ReseedIdentities") < kinds.IndexOf(RollbackStepKind.MaintenanceOff));

        var result = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(250, s.World.IdentityValues[s.Database.DisplayName]);
        var journal = RollbackJournal.ReadEntries(result.JournalPath);
        Assert.Equal(250, Assert.Single(journal.Select(e => e.Outcome).OfType<IdentityHighWaterCaptured>()).Marks.Single().Value);
        Assert.Equal(1, Assert.Single(journal.Select(e => e.Outcome).OfType<IdentitiesReseeded>()).Reseeded);
    }

    [Fact]
    public async Task A_crash_after_the_restore_resumes_with_the_journaled_marks_not_the_restored_values()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.IdentityValues[s.Database.DisplayName] = 250;
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var reseed = plan.Steps.Single(x => x is ReseedIdentitiesStep).Number;
        var run = s.Executor();
        run.JournalFactory = (folder, time) => new CrashingJournal(folder, time, reseed, JournalEvent.Started);
        await Assert.ThrowsAsync<SimulatedCrash>(() => s.ExecuteAsync(plan, executor: run));
        Assert.Equal(10, s.World.IdentityValues[s.Database.DisplayName]); // restored, not yet reseeded
        var result = await s.ExecuteAsync(plan, resume: true);
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(250, s.World.IdentityValues[s.Database.DisplayName]);
        Assert.Single(s.World.Calls, c => c == "IdentityHighWater");
    }
}
