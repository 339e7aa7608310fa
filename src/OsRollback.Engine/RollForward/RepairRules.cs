using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// What a repair may do, shared by the SQLite and T-SQL analyses: DML on application tables
/// (OSUSR_*) only, no result set in the script, checks that are queries. Every refusal happens
/// before anything runs.
/// </summary>
internal static class RepairRules
{
    public static bool IsApplicationTable(string table) => table.StartsWith("OSUSR_", StringComparison.OrdinalIgnoreCase);

    public static OsRollbackException NotApplicationTable(RepairStatement statement, string table) =>
        new("RepairNotApplicationTable", OsErrorCategory.InvalidData,
            $"Statement {statement.Number} of the repair script writes {table}, which is not an application table (OSUSR_*): platform tables (OSSYS_*, OSLTM_*) and others are never repaired by a script. Nothing was run.",
            table, "Repair only the application's own tables; platform metadata is changed by publishing, never by SQL.");

    public static OsRollbackException NotDml(int number, string text, string what) =>
        new("RepairScriptNotDml", OsErrorCategory.InvalidData,
            $"Statement {number} of the repair script is {what}, not INSERT/UPDATE/DELETE on an application table: '{Summary(text)}'. Nothing was run.",
            Summary(text), "Keep schema changes (DDL), transactions, PRAGMA/SET options and other commands out of the repair script: the repair runs its statements in its own transaction.");

    public static OsRollbackException ReturnsRows(int number, string text) =>
        new("RepairScriptReturnsRows", OsErrorCategory.InvalidData,
            $"Statement {number} of the repair script returns rows: '{Summary(text)}'. A repair script returns no result set. Nothing was run.",
            Summary(text), "Move queries into the -Check file (they return the rows still wrong); remove SELECT, RETURNING or OUTPUT from the script.");

    public static OsRollbackException CheckNotQuery(int number, string text) =>
        new("RepairCheckNotQuery", OsErrorCategory.InvalidData,
            $"Check {number} is not a query that only reads: '{Summary(text)}'. Nothing was run.",
            Summary(text), "Write each check as a SELECT that returns the rows still wrong (no row = repaired).");

    public static OsRollbackException DoesNotParse(string file, string detail) =>
        new("RepairScriptInvalid", OsErrorCategory.InvalidData,
            $"'{file}' does not parse: {detail}. Nothing was run.", file,
            "Fix the SQL (it is checked against the target's tables and columns), then run the command again.");

    /// <summary>The first line of a statement, cut at 80 characters, for messages and reports.</summary>
    public static string Summary(string text)
    {
        var line = text.Trim().Split('\n')[0].Trim();
        return line.Length > 80 ? line[..77] + "..." : line;
    }
}
