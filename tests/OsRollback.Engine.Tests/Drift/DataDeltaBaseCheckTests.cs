using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// The base check looks integer keys up a batch at a time: a row the base has is found wherever
/// it falls in a batch, including the last, partial one, and a key the base stores as text
/// (matched by SQLite through a conversion) is still found.
/// </summary>
public sealed class DataDeltaBaseCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("osrollback-basecheck-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DataDeltaTable Table = new() { Table = "OSUSR_X_ITEM", KeyColumns = ["ID"], Columns = ["ID", "NAME"] };

    private SqliteTarget Base(string keyType, params object[] ids)
    {
        var path = Path.Combine(_dir, "base.db");
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = $"CREATE TABLE OSUSR_X_ITEM (ID {keyType} PRIMARY KEY, NAME TEXT)";
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO OSUSR_X_ITEM VALUES ($id, 'in the base')";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        foreach (var value in ids) { id.Value = value; command.ExecuteNonQuery(); }
        return new SqliteTarget(path);
    }

    private static DataDeltaRow Insert(long id, int line) => new()
    {
        Line = line, Table = Table.Table, Operation = RowDifferenceKind.Inserted,
        Key = new JObject { ["ID"] = id }, After = new JObject { ["ID"] = id, ["NAME"] = "lost" },
    };

    private OsRollbackException? CheckInserts(SqliteTarget baseTarget, int count)
    {
        using var check = new DataDeltaBaseCheck(Path.Combine(_dir, "delta.jsonl"), [Table], baseTarget, NullReporter.Instance);
        try
        {
            for (var i = 1; i <= count; i++) check.Check(Insert(i, i + 1), Table);
            check.Flush();
            return null;
        }
        catch (OsRollbackException ex) { return ex; }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(600)]
    public void An_insert_of_a_row_the_base_has_is_refused_wherever_it_falls(long inBase)
    {
        var ex = CheckInserts(Base("INTEGER", inBase), 600);
        Assert.Equal("DataDeltaBaseMismatch", ex?.ErrorId);
        Assert.Contains($"ID={inBase}", ex!.Message);
    }

    [Fact]
    public void Inserts_the_base_lacks_pass()
    {
        Assert.Null(CheckInserts(Base("INTEGER", 1000L), 600));
    }

    [Fact]
    public void A_key_the_base_stores_as_text_is_still_found()
    {
        var ex = CheckInserts(Base("TEXT", "300"), 600);
        Assert.Equal("DataDeltaBaseMismatch", ex?.ErrorId);
        Assert.Contains("ID=300", ex!.Message);
    }
}
