using System.Data;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.RollForward;
using OsRollback.Engine.Tests.Database;
using OsRollback.Engine.Tests.Drift;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.RollForward;

public sealed class TSqlRepairTests : IDisposable
{
    private readonly RepairScenario _s = new();

    public void Dispose() => _s.Dispose();

    private RepairAnalysis Analyze(string script, string check = "SELECT ID FROM dbo.OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = N'DISC-ERR';") =>
        TSqlRepairAnalyzer.Analyze(_s.Files(script, check));

    [Fact]
    public void DML_on_application_tables_is_accepted_with_its_target_table_including_aliases()
    {
        var analysis = Analyze("""
            UPDATE o SET DISCOUNT_CODE = NULL FROM dbo.OSUSR_ORD_ORDER AS o WHERE o.DISCOUNT_CODE = N'DISC-ERR';
            DELETE FROM [dbo].[OSUSR_ORD_AUDIT] WHERE NOTE = N'DISC-ERR';
            GO
            INSERT INTO OSUSR_ORD_AUDIT (ORDER_ID, NOTE) SELECT ID, N'repaired' FROM OSUSR_ORD_ORDER WHERE ID = 2;
            """);

        Assert.Equal(["OSUSR_ORD_ORDER", "OSUSR_ORD_AUDIT", "OSUSR_ORD_AUDIT"], analysis.Statements.Select(s => s.Table!));
        Assert.Equal([RepairStatementKind.Update, RepairStatementKind.Delete, RepairStatementKind.Insert], analysis.Statements.Select(s => s.Kind));
        Assert.StartsWith("UPDATE o SET", analysis.Statements[0].Text, StringComparison.Ordinal);
        Assert.Single(analysis.Checks);
    }

    [Theory]
    [InlineData("UPDATE dbo.OSSYS_ESPACE SET IS_ACTIVE = 0 WHERE ID = 1;", "RepairNotApplicationTable")]
    [InlineData("UPDATE e SET IS_ACTIVE = 0 FROM OSSYS_ESPACE e JOIN OSUSR_ORD_ORDER o ON o.ID = e.ID;", "RepairNotApplicationTable")]
    [InlineData("UPDATE @t SET A = 1;", "RepairNotApplicationTable")]
    [InlineData("ALTER TABLE OSUSR_ORD_ORDER DROP COLUMN DISCOUNT_CODE;", "RepairScriptNotDml")]
    [InlineData("TRUNCATE TABLE OSUSR_ORD_AUDIT;", "RepairScriptNotDml")]
    [InlineData("BEGIN TRANSACTION; UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL; COMMIT;", "RepairScriptNotDml")]
    [InlineData("EXEC sp_executesql N'DELETE FROM OSSYS_ESPACE';", "RepairScriptNotDml")]
    [InlineData("SELECT ID INTO OSUSR_ORD_COPY FROM OSUSR_ORD_ORDER;", "RepairScriptNotDml")]
    [InlineData("SELECT * FROM OSUSR_ORD_ORDER;", "RepairScriptReturnsRows")]
    [InlineData("UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL OUTPUT inserted.ID WHERE ID = 2;", "RepairScriptReturnsRows")]
    [InlineData("UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE (ID = 2;", "RepairScriptInvalid")]
    public void Everything_else_is_refused_by_the_parser(string script, string errorId)
    {
        Assert.Equal(errorId, RepairScenario.Refused(() => Analyze(script)).ErrorId);
    }

    [Theory]
    [InlineData("DELETE FROM OSUSR_ORD_AUDIT;")]
    [InlineData("SELECT ID INTO #t FROM OSUSR_ORD_ORDER;")]
    [InlineData("EXEC dbo.CheckOrders;")]
    public void A_check_that_is_not_a_query_is_refused(string check)
    {
        Assert.Equal("RepairCheckNotQuery", RepairScenario.Refused(() => Analyze("DELETE FROM OSUSR_ORD_AUDIT WHERE ID = 1;", check)).ErrorId);
    }

    [Fact]
    public void On_SQL_Server_the_statements_and_checks_run_in_one_transaction_committed_only_when_no_check_returns_a_row()
    {
        var analysis = Analyze("UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE DISCOUNT_CODE = N'DISC-ERR';\nDELETE FROM OSUSR_ORD_AUDIT WHERE NOTE = N'x';");
        var passing = new RecordingConnection();
        var recorded = new List<string>();

        var outcome = RepairRunner.Run(passing, analysis, true, "sql01\\outsystems", () => recorded.Add("journal"), CancellationToken.None);

        Assert.True(outcome.Committed);
        Assert.Equal(["BEGIN TRANSACTION", analysis.Statements[0].Text, analysis.Statements[1].Text, analysis.Checks[0].Text, "COMMIT"], passing.Log);
        Assert.Equal(["journal"], recorded);

        var failing = new RecordingConnection { Rows = sql => sql.StartsWith("SELECT", StringComparison.Ordinal) ? OneRow() : null };
        var failed = RepairRunner.Run(failing, analysis, true, "sql01\\outsystems", () => recorded.Add("journal"), CancellationToken.None);

        Assert.False(failed.Committed);
        Assert.Equal("ROLLBACK", failing.Log[^1]);
        Assert.DoesNotContain("COMMIT", failing.Log);
        Assert.Equal(["journal"], recorded); // not journaled as started: nothing committed
    }

    [Fact]
    public void A_failing_statement_rolls_everything_back()
    {
        var analysis = Analyze("UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL;\nDELETE FROM OSUSR_ORD_AUDIT;");
        var connection = new RecordingConnection { FailWhen = sql => sql.StartsWith("DELETE", StringComparison.Ordinal) };

        var ex = RepairScenario.Refused(() => RepairRunner.Run(connection, analysis, true, "sql01\\outsystems", null, CancellationToken.None));

        Assert.Equal("RepairStatementFailed", ex.ErrorId);
        Assert.Contains("statement 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal("ROLLBACK", connection.Log[^1]);
    }

    [Fact]
    public void The_SQL_Server_rehearsal_copy_is_a_verified_copy_only_backup_restored_under_a_new_name_and_dropped_afterwards()
    {
        var calls = new List<string>();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero));
        var copies = new SqlServerScratchCopies(time,
            backup: (t, _, _) => { calls.Add($"backup {t.Database}"); return new BackupResult { FilePath = ["/b/outsystems.bak"], Verified = true, IsCopyOnly = true }; },
            restoreAs: (t, b, name, _, _) => calls.Add($"restore {b.FilePath[0]} as {name}"),
            drop: (_, name) => calls.Add($"drop {name}"));
        var target = new SqlServerTarget("sql01", "outsystems");

        using (var copy = copies.Create(target, "scratch", NullReporter.Instance, CancellationToken.None))
        {
            Assert.Equal("outsystems_rehearsal_20260201120000", ((SqlServerTarget)copy.Target).Database);
            calls.Add("rehearse");
        }
        using (var kept = copies.Create(target, "scratch", NullReporter.Instance, CancellationToken.None)) kept.Keep = true;

        Assert.Equal(["backup outsystems", "restore /b/outsystems.bak as outsystems_rehearsal_20260201120000", "rehearse", "drop outsystems_rehearsal_20260201120000",
            "backup outsystems", "restore /b/outsystems.bak as outsystems_rehearsal_20260201120000"], calls);
        TSql.AssertParses(SqlServerScripts.DropScratch("outsystems_rehearsal_20260201120000"));
    }

    [Fact]
    public void A_failed_restore_of_the_copy_drops_what_it_left_and_an_unverified_backup_is_refused()
    {
        var calls = new List<string>();
        var copies = new SqlServerScratchCopies(null,
            backup: (_, _, _) => new BackupResult { FilePath = ["/b/x.bak"], Verified = true },
            restoreAs: (_, _, _, _, _) => throw new OsRollbackException("RestoreFailed", OsErrorCategory.InvalidResult, "disk", null, ""),
            drop: (_, name) => calls.Add($"drop {name}"));
        Assert.Throws<OsRollbackException>(() => copies.Create(new SqlServerTarget("sql01", "outsystems"), "scratch", NullReporter.Instance, CancellationToken.None));
        Assert.Single(calls);

        var unverified = new SqlServerScratchCopies(null, backup: (_, _, _) => new BackupResult { FilePath = ["/b/x.bak"], Verified = false }, restoreAs: (_, _, _, _, _) => calls.Add("restore"), drop: (_, _) => { });
        Assert.Equal("RehearsalCopyFailed", RepairScenario.Refused(() => unverified.Create(new SqlServerTarget("sql01", "outsystems"), "scratch", NullReporter.Instance, CancellationToken.None)).ErrorId);
        Assert.DoesNotContain("restore", calls);
    }

    [Fact]
    public void The_SQL_Server_provider_drops_a_scratch_copy_from_master_and_only_one_that_exists()
    {
        var server = new FakeSqlServer();
        var scratch = new SqlServerTarget("sql01", "outsystems_rehearsal_20260201120000");

        DatabaseProviders.Create(openSqlSession: server.Open).For(scratch).Operations.Scratch.Drop(scratch);

        var (database, sql, _) = Assert.Single(server.Statements);
        Assert.Equal("master", database);
        Assert.StartsWith("IF DB_ID(N'outsystems_rehearsal_20260201120000') IS NOT NULL", sql, StringComparison.Ordinal);
        Assert.Contains("DROP DATABASE [outsystems_rehearsal_20260201120000]", sql, StringComparison.Ordinal);
        TSql.AssertParses(sql);
    }

    private static DataTable OneRow()
    {
        var table = new DataTable();
        table.Columns.Add("ID", typeof(int));
        table.Rows.Add(4);
        return table;
    }
}
