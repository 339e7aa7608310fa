using Microsoft.Data.Sqlite;
using OsRollback.Engine.Diagnostics;
using SQLitePCL;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// SQLite's own analysis of a repair: every statement is prepared (so it parses against the real
/// tables) with an authorizer callback that sees each action SQLite would take, triggers included;
/// sqlite3_stmt_readonly and the column count tell a query from a write. Nothing is run.
/// </summary>
public static class SqliteRepairAnalyzer
{
    // Action codes of sqlite3_set_authorizer (sqlite3.h).
    private const int Delete = 9, Insert = 18, Update = 23, Read = 20, Select = 21, Function = 31, Recursive = 33;

    public static RepairAnalysis Analyze(SqliteConnection connection, RepairFiles files)
    {
        var statements = Prepare(connection, files.Script, files.ScriptPath)
            .Select((p, i) => AsRepairStatement(i + 1, p)).ToList();
        var checks = Prepare(connection, files.Check, files.CheckPath)
            .Select((p, i) => AsCheck(i + 1, p)).ToList();
        return new RepairAnalysis(statements, checks);
    }

    private sealed record Prepared(string Text, bool ReadOnly, int Columns, IReadOnlyList<(int Action, string? Table, bool InTrigger)> Actions);

    private static RepairStatement AsRepairStatement(int number, Prepared p)
    {
        var forbidden = p.Actions.Where(a => a.Action is not (Delete or Insert or Update or Read or Select or Function or Recursive)).Select(a => (int?)a.Action).FirstOrDefault();
        if (forbidden is { } code)
            throw RepairRules.NotDml(number, p.Text, $"a command SQLite authorizes as action {code} (schema, transaction, PRAGMA, ATTACH or similar)");
        if (p.Columns > 0) throw RepairRules.ReturnsRows(number, p.Text);
        var writes = p.Actions.Where(a => a.Action is Delete or Insert or Update).ToList();
        if (p.ReadOnly || writes.Count == 0) throw RepairRules.NotDml(number, p.Text, "a statement that writes nothing");
        var statement = new RepairStatement(number, p.Text, KindOf(writes.First(w => !w.InTrigger).Action), writes.First(w => !w.InTrigger).Table);
        foreach (var write in writes)
            if (!RepairRules.IsApplicationTable(write.Table ?? "")) throw RepairRules.NotApplicationTable(statement, write.Table ?? "(unnamed)");
        return statement;
    }

    private static RepairStatement AsCheck(int number, Prepared p)
    {
        if (!p.ReadOnly || p.Columns == 0 || p.Actions.Any(a => a.Action is not (Read or Select or Function or Recursive)))
            throw RepairRules.CheckNotQuery(number, p.Text);
        return new RepairStatement(number, p.Text, RepairStatementKind.Query, null);
    }

    private static RepairStatementKind KindOf(int action) => action switch
    {
        Insert => RepairStatementKind.Insert,
        Delete => RepairStatementKind.Delete,
        _ => RepairStatementKind.Update,
    };

    /// <summary>Prepares the statements one by one (sqlite3_prepare_v2 and its tail), recording the authorizer's view of each.</summary>
    private static List<Prepared> Prepare(SqliteConnection connection, string sql, string file)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var result = new List<Prepared>();
        var actions = new List<(int, string?, bool)>();
        raw.sqlite3_set_authorizer(db, (object _, int action, string p0, string _, string _, string trigger) =>
        {
            var table = action switch { Insert or Delete or Update or Read => p0, _ => null };
            actions.Add((action, table, trigger is not null));
            return raw.SQLITE_OK;
        }, null);
        try
        {
            var rest = sql;
            while (!string.IsNullOrWhiteSpace(RepairFiles.StripComments(rest)))
            {
                actions.Clear();
                var rc = raw.sqlite3_prepare_v2(db, rest, out var stmt, out var tail);
                using (stmt)
                {
                    if (rc != raw.SQLITE_OK) throw RepairRules.DoesNotParse(file, raw.sqlite3_errmsg(db).utf8_to_string());
                    tail ??= "";
                    var text = rest[..(rest.Length - tail.Length)].Trim();
                    rest = tail;
                    if (stmt is null || stmt.IsInvalid) continue; // a lone ';' or a comment
                    result.Add(new Prepared(text, raw.sqlite3_stmt_readonly(stmt) != 0, raw.sqlite3_column_count(stmt), actions.ToList()));
                }
            }
        }
        finally
        {
            raw.sqlite3_set_authorizer(db, (strdelegate_authorizer?)null, null);
        }
        return result;
    }
}
