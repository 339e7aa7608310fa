using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.RollForward;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.RollForward;

public sealed class RepairScriptWriterTests : IDisposable
{
    private readonly RepairScenario _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public void The_SQLite_script_commits_when_the_checks_pass()
    {
        var files = _s.Files(check: RepairScenario.Check.TrimEnd() + " -- the bad rows\n");
        var script = RepairScriptWriter.Write(DatabaseEngineKind.Sqlite, DataRepairService.Analyze(_s.Target, files), files);

        RunAsOneBatch(script);

        Assert.Equal(0, _s.Scalar("SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'"));
        Assert.Contains(files.ScriptSha256, script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_SQLite_script_stops_before_COMMIT_when_a_check_returns_a_row()
    {
        var files = _s.Files(script: "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = 2;");
        var script = RepairScriptWriter.Write(DatabaseEngineKind.Sqlite, DataRepairService.Analyze(_s.Target, files), files);
        var before = _s.ApplicationTablesHash();

        Assert.Throws<SqliteException>(() => RunAsOneBatch(script));

        Assert.Equal(before, _s.ApplicationTablesHash());
    }

    [Fact]
    public void The_TSql_script_parses_and_throws_before_COMMIT_after_each_check_that_returns_rows()
    {
        var files = _s.Files("UPDATE o SET DISCOUNT_CODE = NULL FROM OSUSR_ORD_ORDER o WHERE o.DISCOUNT_CODE = N'DISC-ERR'",
            "WITH bad AS (SELECT ID FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = N'DISC-ERR') SELECT ID FROM bad ORDER BY ID;\nSELECT COUNT(*) AS n FROM OSUSR_ORD_AUDIT HAVING COUNT(*) > 100;");
        var script = RepairScriptWriter.Write(DatabaseEngineKind.SqlServer, TSqlRepairAnalyzer.Analyze(files), files);

        TSql.AssertParses(script);
        Assert.Equal(2, script.Split("IF @@ROWCOUNT > 0 BEGIN ROLLBACK TRANSACTION; THROW").Length - 1);
        Assert.True(script.IndexOf("THROW", StringComparison.Ordinal) < script.IndexOf("COMMIT TRANSACTION", StringComparison.Ordinal));
    }

    private void RunAsOneBatch(string script)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _s.Production, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = script;
        using var reader = command.ExecuteReader();
        while (reader.NextResult()) { }
    }
}
