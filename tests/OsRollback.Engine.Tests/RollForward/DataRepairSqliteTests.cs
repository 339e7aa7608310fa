using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.RollForward;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.Tests.RollForward;

public sealed class DataRepairSqliteTests : IDisposable
{
    private readonly RepairScenario _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public void Rehearsal_leaves_the_target_file_byte_for_byte_unchanged_and_reports_rows_and_checks()
    {
        var before = RepairScenario.FileHash(_s.Production);
        var files = _s.Files();

        var result = DataRepairService.Rehearse(_s.Target, files, _s.Options(), NullReporter.Instance);

        Assert.Equal(before, RepairScenario.FileHash(_s.Production));
        Assert.Equal(RepairMode.Rehearsal, result.Mode);
        Assert.NotEqual(_s.Production, result.RanOn);
        var statement = Assert.Single(result.Statements);
        Assert.Equal(("OSUSR_ORD_ORDER", 2L), (statement.Table, statement.RowsChanged));
        Assert.True(Assert.Single(result.Checks).Passed);
        var record = new RepairJournal(_s.Catalog).ReadRehearsal(files, _s.Production)!;
        Assert.Equal(("Passed", files.ScriptSha256, files.CheckSha256), (record.State, record.ScriptSha256, record.CheckSha256));
        Assert.NotNull(record.DatabaseIdentity);
        Assert.False(File.Exists(result.RanOn)); // the scratch copy is dropped
    }

    [Fact]
    public void Kept_parallel_copy_holds_the_repaired_rows()
    {
        var result = DataRepairService.Rehearse(_s.Target, _s.Files(), _s.Options(keep: true), NullReporter.Instance);

        Assert.Equal(result.RanOn, result.ParallelDatabase);
        Assert.Equal(0, Support.SqliteFile.Scalar(result.RanOn, "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"));
        Assert.Equal(2, _s.Scalar("SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"));
    }

    [Fact]
    public void Rehearsed_repair_leaves_no_bad_rows_the_same_orders_a_safety_backup_and_is_applied_once()
    {
        var files = _s.Files();
        DataRepairService.Rehearse(_s.Target, files, _s.Options(), NullReporter.Instance);

        var result = DataRepairService.Repair(_s.Target, files, _s.Options(), NullReporter.Instance);

        Assert.True(result.Committed);
        Assert.Equal(0, _s.Scalar("SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"));
        Assert.Equal(5, _s.Scalar("SELECT COUNT(*) FROM OSUSR_ORD_ORDER"));
        Assert.Equal("SPRING", Support.SqliteFile.Column(_s.Production, "SELECT DISCOUNT_CODE FROM OSUSR_ORD_ORDER WHERE ID = 3")[0]);
        Assert.Equal(new RepairTableChange("OSUSR_ORD_ORDER", 2), Assert.Single(result.Tables));
        Assert.True(File.Exists(result.SafetyBackupPath));
        Assert.Equal(2, Support.SqliteFile.Scalar(result.SafetyBackupPath!, "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"));
        Assert.Equal("Applied", new RepairJournal(_s.Catalog).ReadRepair(files, _s.Production)!.State);

        // A user writes DISC-ERR again (as a text value, after the repair): a rerun must not touch it.
        Support.SqliteFile.Execute(_s.Production, "INSERT INTO OSUSR_ORD_ORDER (CUSTOMER, TOTAL, DISCOUNT_CODE) VALUES ('fi', 60, 'DISC-ERR')");
        var again = DataRepairService.Repair(_s.Target, files, _s.Options(), NullReporter.Instance);

        Assert.True(again.AlreadyApplied);
        Assert.False(again.Committed);
        Assert.Equal(1, _s.Scalar("SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"));
    }

    [Fact]
    public void Repair_whose_check_still_finds_rows_changes_nothing_and_names_the_check_and_rows()
    {
        // Fixes only one of the two bad rows.
        var files = _s.Files(script: "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = 2;");
        var before = _s.ApplicationTablesHash();

        var ex = RepairScenario.Refused(() => DataRepairService.Repair(_s.Target, files, _s.Options(force: true), NullReporter.Instance));

        Assert.Equal("RepairCheckFailed", ex.ErrorId);
        Assert.Contains("check 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ID=4", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, _s.ApplicationTablesHash());
        Assert.Equal("ChecksFailed", new RepairJournal(_s.Catalog).ReadRepair(files, _s.Production)!.State);
    }

    [Fact]
    public void Rehearsal_whose_check_fails_is_recorded_and_the_repair_is_then_refused()
    {
        var files = _s.Files(script: "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = 2;");
        var rehearsal = DataRepairService.Rehearse(_s.Target, files, _s.Options(), NullReporter.Instance);
        Assert.False(rehearsal.ChecksPassed);
        Assert.Equal(1, Assert.Single(rehearsal.Checks).RowCount);
        var before = RepairScenario.FileHash(_s.Production);

        Assert.Equal("RepairRehearsalFailed", RepairScenario.Refused(() => DataRepairService.Repair(_s.Target, files, _s.Options(), NullReporter.Instance)).ErrorId);
        Assert.Equal(before, RepairScenario.FileHash(_s.Production));
    }

    [Fact]
    public void Repair_is_refused_without_a_rehearsal_or_after_a_rehearsal_of_another_script()
    {
        var files = _s.Files();
        var before = RepairScenario.FileHash(_s.Production);
        Assert.Equal("RepairNotRehearsed", RepairScenario.Refused(() => DataRepairService.Repair(_s.Target, files, _s.Options(), NullReporter.Instance)).ErrorId);

        DataRepairService.Rehearse(_s.Target, _s.Files(script: RepairScenario.Fix + "-- reviewed\n"), _s.Options(), NullReporter.Instance);
        Assert.Equal("RepairRehearsalOfAnotherScript", RepairScenario.Refused(() => DataRepairService.Repair(_s.Target, files, _s.Options(), NullReporter.Instance)).ErrorId);
        Assert.Equal(before, RepairScenario.FileHash(_s.Production));
    }

    [Fact]
    public void Force_repairs_without_a_rehearsal_and_says_so_in_the_journal()
    {
        var files = _s.Files();
        var result = DataRepairService.Repair(_s.Target, files, _s.Options(force: true), NullReporter.Instance);

        Assert.True(result.Forced);
        var record = new RepairJournal(_s.Catalog).ReadRepair(files, _s.Production)!;
        Assert.True(record.Forced);
        Assert.Contains(record.Warnings, w => w.Contains("RepairNotRehearsed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("UPDATE OSSYS_ESPACE SET IS_ACTIVE = 0 WHERE ID = 1;", "RepairNotApplicationTable")]
    [InlineData("UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = 2; DELETE FROM OSSYS_ESPACE;", "RepairNotApplicationTable")]
    [InlineData("ALTER TABLE OSUSR_ORD_ORDER ADD COLUMN X TEXT;", "RepairScriptNotDml")]
    [InlineData("DROP TABLE OSUSR_ORD_AUDIT;", "RepairScriptNotDml")]
    [InlineData("BEGIN; UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL; COMMIT;", "RepairScriptNotDml")]
    [InlineData("PRAGMA foreign_keys = OFF;", "RepairScriptNotDml")]
    [InlineData("SELECT * FROM OSUSR_ORD_ORDER;", "RepairScriptReturnsRows")]
    [InlineData("UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = 2 RETURNING ID;", "RepairScriptReturnsRows")]
    [InlineData("UPDATE OSUSR_ORD_ORDERS SET DISCOUNT_CODE = NULL;", "RepairScriptInvalid")]
    [InlineData("UPDATE OSUSR_ORD_ORDER SET;", "RepairScriptInvalid")]
    public void Scripts_outside_DML_on_application_tables_are_refused_before_anything_runs(string script, string errorId)
    {
        var files = _s.Files(script: script);
        var before = RepairScenario.FileHash(_s.Production);

        Assert.Equal(errorId, RepairScenario.Refused(() => DataRepairService.Rehearse(_s.Target, files, _s.Options(), NullReporter.Instance)).ErrorId);
        Assert.Equal(errorId, RepairScenario.Refused(() => DataRepairService.Repair(_s.Target, files, _s.Options(force: true), NullReporter.Instance)).ErrorId);

        Assert.Equal(before, RepairScenario.FileHash(_s.Production));
        Assert.False(Directory.Exists(Path.Combine(_s.Catalog, "repairs")));
    }

    [Fact]
    public void A_trigger_that_writes_a_platform_table_is_seen_through_the_authorizer()
    {
        Support.SqliteFile.Execute(_s.Production, "CREATE TRIGGER T_ORDER AFTER UPDATE ON OSUSR_ORD_ORDER BEGIN UPDATE OSSYS_ESPACE SET IS_ACTIVE = 1; END;");

        var ex = RepairScenario.Refused(() => DataRepairService.Analyze(_s.Target, _s.Files()));

        Assert.Equal("RepairNotApplicationTable", ex.ErrorId);
        Assert.Contains("OSSYS_ESPACE", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL;")]
    [InlineData("CREATE TABLE X (A INT);")]
    [InlineData("SELECT 1 FROM OSUSR_ORD_ORDER; DELETE FROM OSUSR_ORD_AUDIT;")]
    public void A_check_that_is_not_a_query_is_refused(string check)
    {
        var ex = RepairScenario.Refused(() => DataRepairService.Analyze(_s.Target, _s.Files(check: check)));
        Assert.Equal("RepairCheckNotQuery", ex.ErrorId);
    }

    [Fact]
    public void Missing_and_empty_files_are_refused_with_their_own_ids()
    {
        var script = _s.File("fix.sql");
        var check = _s.File("check.sql");
        File.WriteAllText(check, RepairScenario.Check);
        Assert.Equal("RepairScriptNotFound", RepairScenario.Refused(() => RepairFiles.Read(script, check)).ErrorId);
        File.WriteAllText(script, "  -- nothing yet\n/* still nothing */\n");
        Assert.Equal("RepairScriptEmpty", RepairScenario.Refused(() => RepairFiles.Read(script, check)).ErrorId);
        File.WriteAllText(script, RepairScenario.Fix);
        File.WriteAllText(check, "");
        Assert.Equal("RepairCheckEmpty", RepairScenario.Refused(() => RepairFiles.Read(script, check)).ErrorId);
        File.Delete(check);
        Assert.Equal("RepairCheckNotFound", RepairScenario.Refused(() => RepairFiles.Read(script, check)).ErrorId);
    }

    [Fact]
    public void Rehearsal_on_an_existing_parallel_database_leaves_it_as_it_was_and_never_runs_on_the_target()
    {
        var parallel = _s.File("parallel.db");
        File.Copy(_s.Production, parallel);
        var before = RepairScenario.FileHash(parallel);

        var result = DataRepairService.Rehearse(_s.Target, _s.Files(), _s.Options(parallel: new SqliteTarget(parallel)), NullReporter.Instance);

        Assert.Equal(parallel, result.RanOn);
        Assert.Equal(2, Assert.Single(result.Statements).RowsChanged);
        Assert.Equal(before, RepairScenario.FileHash(parallel));
        Assert.Equal("RehearsalOnTarget", RepairScenario.Refused(() => DataRepairService.Rehearse(_s.Target, _s.Files(), _s.Options(parallel: _s.Target), NullReporter.Instance)).ErrorId);
    }

    [Fact]
    public void A_run_stopped_between_the_passing_checks_and_the_recorded_commit_is_never_run_again()
    {
        var files = _s.Files();
        DataRepairService.Rehearse(_s.Target, files, _s.Options(), NullReporter.Instance);
        var journal = new RepairJournal(_s.Catalog);
        journal.Write(files, new RepairRecord { Mode = RepairMode.Repair, State = "Started", Database = _s.Production, ScriptSha256 = files.ScriptSha256, CheckSha256 = files.CheckSha256 });
        var before = RepairScenario.FileHash(_s.Production);

        Assert.Equal("RepairOutcomeUnknown", RepairScenario.Refused(() => DataRepairService.Repair(_s.Target, files, _s.Options(force: true), NullReporter.Instance)).ErrorId);
        Assert.Equal(before, RepairScenario.FileHash(_s.Production));
    }

    [Fact]
    public void A_failure_before_the_commit_leaves_the_target_unchanged()
    {
        var analysis = DataRepairService.Analyze(_s.Target, _s.Files());
        var before = _s.ApplicationTablesHash();

        using (var connection = _s.Target.OpenConnection())
            Assert.Throws<IOException>(() => RepairRunner.Run(connection, analysis, true, _s.Production, () => throw new IOException("killed"), CancellationToken.None));

        Assert.Equal(before, _s.ApplicationTablesHash());
    }
}
