using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>A delta that is wrong anywhere is refused whole: nothing is written, not even the first tables.</summary>
public sealed class DataDeltaValidationTests : IDisposable
{
    private readonly DriftScenario _s = new();
    public void Dispose() => _s.Dispose();

    private string Export() => DataDeltaExporter.Export(new DataDeltaSources { Production = _s.ProductionTarget, Base = new SqliteTarget(_s.Backup), Parallel = _s.ParallelTarget },
        _s.File("lost.jsonl"), new DataDeltaExportOptions { IncludeScript = false }, NullReporter.Instance).Path;

    private static string EditLast(string[] lines, Func<JObject, JObject> edit)
    {
        lines[^1] = edit(JObject.Parse(lines[^1])).ToString(Newtonsoft.Json.Formatting.None);
        return string.Join("\n", lines) + "\n";
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "truncated last line", "DataDeltaMalformed" },
        { "unknown table", "DataDeltaUnknownTable" },
        { "extra column", "DataDeltaUnknownColumn" },
        { "missing column", "DataDeltaColumnMissing" },
        { "key differs from row", "DataDeltaKeyMismatch" },
        { "key of other columns", "DataDeltaKeyInvalid" },
        { "insert without after", "DataDeltaRowIncomplete" },
        { "rows out of header order", "DataDeltaRowsOutOfOrder" },
        { "unreadable value", "DataDeltaMalformed" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_bad_delta_is_refused_and_nothing_is_written(string corruption, string errorId)
    {
        var path = Export();
        var lines = File.ReadAllLines(path);
        var last = JObject.Parse(lines[^1]);
        Assert.Equal(DriftScenario.Order, (string?)last["table"]); // the last table: the customer rows come first
        var text = corruption switch
        {
            "truncated last line" => string.Join("\n", lines[..^1]) + "\n" + lines[^1][..(lines[^1].Length / 2)],
            "unknown table" => EditLast(lines, o => { o["table"] = "OSUSR_ABC_NOSUCH"; return o; }),
            "extra column" => EditLast(lines, o => { ((JObject)(o["after"] ?? o["before"])!)["SURPRISE"] = 1; return o; }),
            "missing column" => EditLast(lines, o => { ((JObject)(o["after"] ?? o["before"])!).Remove("STATUS"); return o; }),
            "key differs from row" => EditLast(lines, o => { ((JObject)o["key"]!).First!.First!.Replace("zz"); return o; }),
            "key of other columns" => EditLast(lines, o => { o["key"] = new JObject { ["STATUS"] = null }; return o; }),
            "insert without after" => EditLast(lines, o => { o["op"] = "insert"; o.Remove("after"); o["before"] = o["before"] ?? new JObject(); return o; }),
            "rows out of header order" => string.Join("\n", lines.Take(1).Concat(lines.Skip(1).Reverse())) + "\n",
            "unreadable value" => EditLast(lines, o => { ((JObject)(o["after"] ?? o["before"])!)["STATUS"] = new JObject { ["$nosuch"] = "x" }; return o; }),
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };
        File.WriteAllText(path, text);

        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path, null, NullReporter.Instance));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains("line", ex.Message);
        Assert.Equal(20L, DriftScenario.Scalar(_s.Production, "SELECT COUNT(*) FROM OSUSR_ABC_CUSTOMER"));
        Assert.Equal(30L, DriftScenario.Scalar(_s.Production, "SELECT COUNT(*) FROM OSUSR_ABC_ORDER"));
        Assert.Empty(Directory.GetFiles(_s.Directory_, "*before-import*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_export_that_cannot_write_leaves_no_file_behind()
    {
        // The target's folder is a file: the export fails as an error record, and nothing that looks like a delta is left.
        var blocker = _s.File("blocked");
        File.WriteAllText(blocker, "x");
        var path = Path.Combine(blocker, "lost.jsonl");
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaExporter.Export(_s.ProductionTarget, _s.ParallelTarget, path, null, NullReporter.Instance));
        Assert.Equal("DataDeltaWriteFailed", ex.ErrorId);
        Assert.False(File.Exists(path));
        Assert.Equal("x", File.ReadAllText(blocker));
    }
}
