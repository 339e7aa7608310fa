using System.Data;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>Statement order and failure handling of a SQL Server import, against a recording fake session.</summary>
public sealed class SqlServerImportSessionTests
{
    private static readonly DataDeltaTable Table = new()
    {
        Table = "OSUSR_ABC_ORDER ]x", Schema = "dbo", KeyColumns = ["ID"], Columns = ["ID", "NAME"], IdentityColumn = "ID", Inserted = 2, Changed = 1,
    };

    private static DataDeltaRow Insert(long id, string name) => new()
    {
        Table = Table.Table, Operation = RowDifferenceKind.Inserted, Key = new JObject { ["ID"] = id }, After = new JObject { ["ID"] = id, ["NAME"] = name },
    };

    private static DataDeltaRow Update(long id, string before, string after) => new()
    {
        Table = Table.Table, Operation = RowDifferenceKind.Changed, Key = new JObject { ["ID"] = id },
        Before = new JObject { ["ID"] = id, ["NAME"] = before }, After = new JObject { ["ID"] = id, ["NAME"] = after }, ChangedColumns = ["NAME"],
    };

    private static DataTable Row(long id, string name)
    {
        var t = new DataTable();
        t.Columns.Add("ID", typeof(long));
        t.Columns.Add("NAME", typeof(string));
        t.Rows.Add(id, name);
        return t;
    }

    private static void Apply(RecordingConnection session, DataDeltaTable table, List<DataDeltaRow> rows, DataDeltaImportResult result, string backup = "/backups/safety.bak") =>
        DataDeltaImporter.ApplyAll(session, DatabaseEngineKind.SqlServer, [table], rows, new Dictionary<string, DataDeltaImportResult> { [table.Table] = result },
            new DataDeltaImportOptions(), NullReporter.Instance, new ConflictKeys(new OsRollback.Engine.Schema.SchemaSnapshot()), backup, CancellationToken.None);

    [Fact]
    public void Identity_insert_wraps_the_rows_inside_the_import_transaction()
    {
        var session = new RecordingConnection();
        // Row 5 exists as exported; the two new rows do not.
        session.Rows = sql => sql.StartsWith("SELECT", StringComparison.Ordinal) && session.Log.Count(l => l.StartsWith("SELECT", StringComparison.Ordinal)) == 3 ? Row(5, "Five") : null;
        var result = new DataDeltaImportResult { Table = Table.Table };
        Apply(session, Table, [Insert(41, "a"), Insert(42, "b"), Update(5, "Five", "Cinq")], result);

        var log = session.Log.Select(l => l.Split(' ')[0] + (l.StartsWith("SET", StringComparison.Ordinal) ? " " + l.Split(' ')[^1] : "")).ToList();
        Assert.Equal(["BEGIN", "SET ON", "SELECT", "INSERT", "SELECT", "INSERT", "SELECT", "UPDATE", "SET OFF", "COMMIT"], log);
        Assert.Equal("SET IDENTITY_INSERT [dbo].[OSUSR_ABC_ORDER ]]x] ON", session.Log[1]);
        Assert.Equal((2L, 1L, 0), (result.Inserted, result.Updated, result.ConflictCount));
        foreach (var statement in session.Log.Where(l => l is not ("BEGIN TRANSACTION" or "COMMIT")))
            TSql.AssertParses(statement);
    }

    [Fact]
    public void A_failing_statement_rolls_the_whole_import_back_and_says_nothing_was_committed()
    {
        var inserts = 0;
        var session = new RecordingConnection { FailWhen = sql => sql.StartsWith("INSERT", StringComparison.Ordinal) && ++inserts == 2 };
        var ex = Assert.Throws<OsRollbackException>(() => Apply(session, Table, [Insert(41, "a"), Insert(42, "b")], new DataDeltaImportResult { Table = Table.Table }));
        Assert.Equal("DataDeltaImportFailed", ex.ErrorId);
        Assert.Contains("nothing was committed", ex.Message);
        Assert.Contains("/backups/safety.bak", ex.RecommendedAction);
        Assert.Equal("ROLLBACK", session.Log[^1]);
        Assert.DoesNotContain("COMMIT", session.Log);
    }

    [Fact]
    public void A_row_changed_since_the_export_is_a_conflict_and_not_written()
    {
        var session = new RecordingConnection { Rows = _ => Row(5, "Changed since the export") };
        var result = new DataDeltaImportResult { Table = Table.Table };
        var table = new DataDeltaTable { Table = Table.Table, Schema = "dbo", KeyColumns = ["ID"], Columns = ["ID", "NAME"], Changed = 1 };
        Apply(session, table, [Update(5, "Five", "Cinq")], result, "/b");
        Assert.Equal("ID=5", Assert.Single(result.Conflicts).Key);
        Assert.DoesNotContain(session.Log, l => l.StartsWith("UPDATE", StringComparison.Ordinal) || l.StartsWith("SET", StringComparison.Ordinal));
        Assert.Equal("COMMIT", session.Log[^1]);
    }
}
