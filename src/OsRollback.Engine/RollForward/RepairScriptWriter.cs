using System.Globalization;
using System.Text;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// The repair as one script for review (-OutputScriptOnly): the analysed statements in one
/// transaction, then every check, which stops the script before COMMIT when it returns a row.
/// </summary>
public static class RepairScriptWriter
{
    public static string Write(DatabaseEngineKind engine, RepairAnalysis analysis, RepairFiles files)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"-- Data repair: {Path.GetFileName(files.ScriptPath)} (SHA-256 {files.ScriptSha256})");
        text.AppendLine(CultureInfo.InvariantCulture, $"-- Checks: {Path.GetFileName(files.CheckPath)} (SHA-256 {files.CheckSha256})");
        text.AppendLine("-- Written by Invoke-OsDataRepair -OutputScriptOnly. Take a verified backup first; Invoke-OsDataRepair does, and journals the repair.");
        if (RepairDialect.IsSqlite(engine)) WriteSqlite(text, analysis);
        else WriteTSql(text, analysis);
        return text.ToString();
    }

    private static void WriteTSql(StringBuilder text, RepairAnalysis analysis)
    {
        text.AppendLine("SET XACT_ABORT ON;");
        text.AppendLine("BEGIN TRANSACTION;");
        foreach (var statement in analysis.Statements) text.AppendLine(Terminated(statement.Text));
        foreach (var check in analysis.Checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"-- check {check.Number}: must return no row");
            text.AppendLine(Terminated(check.Text));
            text.AppendLine(CultureInfo.InvariantCulture, $"IF @@ROWCOUNT > 0 BEGIN ROLLBACK TRANSACTION; THROW 50000, N'Check {check.Number} still returns rows: the repair was rolled back, nothing was changed.', 1; END;");
        }
        text.AppendLine("COMMIT TRANSACTION;");
    }

    private static void WriteSqlite(StringBuilder text, RepairAnalysis analysis)
    {
        text.AppendLine("-- Run with: sqlite3 -bail <database> < <this file>  (a failing check stops it before COMMIT; nothing is changed)");
        text.AppendLine("BEGIN IMMEDIATE;");
        foreach (var statement in analysis.Statements) text.AppendLine(Terminated(statement.Text));
        foreach (var check in analysis.Checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"-- check {check.Number}: must return no row (json() of plain text raises an error, which stops the script)");
            text.AppendLine(CultureInfo.InvariantCulture, $"SELECT CASE WHEN EXISTS (SELECT 1 FROM ({check.Text.Trim().TrimEnd(';').TrimEnd()}\n)) THEN json('Check {check.Number} still returns rows: the repair is not committed.') END;");
        }
        text.AppendLine("COMMIT;");
    }

    private static string Terminated(string statement)
    {
        var trimmed = statement.Trim();
        return trimmed.EndsWith(';') ? trimmed : trimmed + ";";
    }
}
