using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// Sequence 6 (import memory): the import holds one row at a time, not the file or a table. Each
/// row is written before the next one is read, inside the one transaction; the figures for
/// 1,000,000 rows are in docs/benchmarks.md (bench/drift).
/// </summary>
public sealed class DataDeltaStreamingTests
{
    private static readonly DataDeltaTable Table = new() { Table = "OSUSR_ABC_ROW", KeyColumns = ["ID"], Columns = ["ID", "NAME"], Inserted = 10_000 };

    [Fact]
    public void Sequence_6_every_row_is_written_before_the_next_is_read_in_one_transaction()
    {
        var session = new RecordingConnection();
        var read = 0;
        var mostAhead = 0;
        IEnumerable<DataDeltaRow> Rows()
        {
            for (var i = 1; i <= 10_000; i++)
            {
                // Rows read but not yet written: a buffering import would be thousands ahead here.
                mostAhead = Math.Max(mostAhead, read - session.Log.Count(l => l.StartsWith("INSERT", StringComparison.Ordinal)));
                read++;
                yield return new DataDeltaRow { Table = Table.Table, Operation = RowDifferenceKind.Inserted, Key = new JObject { ["ID"] = i }, After = new JObject { ["ID"] = i, ["NAME"] = $"Row {i}" } };
            }
        }
        var result = new DataDeltaImportResult { Table = Table.Table };
        DataDeltaImporter.ApplyAll(session, DatabaseEngineKind.Sqlite, [Table], Rows(), new Dictionary<string, DataDeltaImportResult> { [Table.Table] = result },
            new DataDeltaImportOptions(), NullReporter.Instance, new ConflictKeys(new Engine.Schema.SchemaSnapshot()), "/b", CancellationToken.None);
        Assert.Equal(10_000L, result.Inserted);
        Assert.True(mostAhead <= 1, $"the import read {mostAhead} rows ahead of what it wrote");
        Assert.Equal(["BEGIN TRANSACTION"], session.Log.Where(l => l.StartsWith("BEGIN", StringComparison.Ordinal)));
        Assert.Equal("COMMIT", session.Log[^1]);
    }

    [Fact]
    public void Deletes_are_read_again_from_the_file_children_first_not_held_in_memory()
    {
        var parent = new DataDeltaTable { Table = "OSUSR_ABC_PARENT", KeyColumns = ["ID"], Columns = ["ID"], Deleted = 1 };
        var child = new DataDeltaTable { Table = "OSUSR_ABC_CHILD", KeyColumns = ["ID"], Columns = ["ID"], Deleted = 1 };
        DataDeltaRow Delete(DataDeltaTable t) => new() { Table = t.Table, Operation = RowDifferenceKind.Deleted, Key = new JObject { ["ID"] = 1 }, Before = new JObject { ["ID"] = 1 } };
        var passes = 0;
        IEnumerable<DataDeltaRow> Rows()
        {
            passes++;
            yield return Delete(parent);
            yield return Delete(child);
        }
        var session = new RecordingConnection { Rows = sql => sql.StartsWith("SELECT \"ID\"", StringComparison.Ordinal) ? OneRow() : null };
        var results = new Dictionary<string, DataDeltaImportResult> { [parent.Table] = new() { Table = parent.Table }, [child.Table] = new() { Table = child.Table } };
        DataDeltaImporter.ApplyAll(session, DatabaseEngineKind.Sqlite, [parent, child], Rows(), results,
            new DataDeltaImportOptions { IncludeDeletes = true }, NullReporter.Instance, new ConflictKeys(new Engine.Schema.SchemaSnapshot()), "/b", CancellationToken.None);
        var deletes = session.Log.Where(l => l.StartsWith("DELETE", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, deletes.Count);
        Assert.Contains("OSUSR_ABC_CHILD", deletes[0]);
        Assert.Contains("OSUSR_ABC_PARENT", deletes[1]);
        Assert.Equal(3, passes); // the writes, then one pass per table with deletes
    }

    private static System.Data.DataTable OneRow()
    {
        var t = new System.Data.DataTable();
        t.Columns.Add("ID", typeof(long));
        t.Rows.Add(1L);
        return t;
    }
}
