using System.Globalization;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Modules;

public class ModuleGraphJsonTests
{
    [Fact]
    public void Export_then_read_gives_the_same_graph()
    {
        using var temp = new TempDirectory();
        var modules = new[]
        {
            new ModuleDefinition("Orders_CS", ModuleKind.eSpace, "Orders", ["Common_Lib", "PdfExt"]),
            new ModuleDefinition("Common_Lib", ModuleKind.eSpace, null, []),
            new ModuleDefinition("PdfExt", ModuleKind.Extension, "Common", []),
        };
        var path = temp.File("graph.json");
        ModuleGraphJson.WriteFile(path, modules, "unit test", DateTimeOffset.Parse("2026-11-26T10:00:00Z", CultureInfo.InvariantCulture));

        var read = ModuleGraphJson.ReadFile(path).OrderBy(m => m.Name).ToList();
        Assert.Equal(["Common_Lib", "Orders_CS", "PdfExt"], read.Select(m => m.Name));
        Assert.Equal(ModuleKind.Extension, read[2].Kind);
        Assert.Equal(["Common_Lib", "PdfExt"], read[1].DependsOn);
        Assert.Equal("Orders", read[1].Application);
        Assert.Contains("\"formatVersion\": 1", File.ReadAllText(path));
        Assert.Contains("\"exportedAt\": \"2026-11-26T10:00:00Z\"", File.ReadAllText(path));
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var ex = Assert.Throws<OsRollbackException>(() => ModuleGraphJson.ReadFile("/nonexistent/graph.json"));
        Assert.Equal("ModuleGraphFileNotFound", ex.ErrorId);
        Assert.Equal(OsErrorCategory.ObjectNotFound, ex.Category);
    }

    [Fact]
    public void Malformed_json_reports_line_and_position()
    {
        const string text = "{\n  \"modules\": [\n    { \"name\": \"A\" ,, }\n  ]\n}";
        var ex = Assert.Throws<OsRollbackException>(() => ModuleGraphJson.Read(new StringReader(text), "bad.json"));
        Assert.Equal("ModuleGraphMalformedJson", ex.ErrorId);
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("position", ex.Message);
        Assert.Contains("bad.json", ex.Message);
    }

    [Theory]
    [InlineData("{ \"formatVersion\": 1 }", "no \"modules\" array")]
    [InlineData("{ \"modules\": [ { \"kind\": \"eSpace\" } ] }", "has no \"name\"")]
    [InlineData("{ \"modules\": [ { \"name\": \"A\", \"kind\": \"Widget\" } ] }", "kind 'Widget'")]
    [InlineData("{ \"modules\": [ { \"name\": \"A\", \"dependsOn\": \"B\" } ] }", "not an array")]
    [InlineData("{ \"formatVersion\": 7, \"modules\": [] }", "formatVersion is 7")]
    public void Structurally_wrong_files_are_refused_with_the_reason(string text, string expected)
    {
        var ex = Assert.Throws<OsRollbackException>(() => ModuleGraphJson.Read(new StringReader(text), "x.json"));
        Assert.Equal(expected.Contains("formatVersion") ? "ModuleGraphInvalid" : "ModuleGraphInvalid", ex.ErrorId);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Sample_factory_in_examples_is_a_valid_graph()
    {
        var path = Path.Combine(RepoRoot(), "examples", "sample-factory.json");
        var graph = ModuleGraph.Build(ModuleGraphJson.ReadFile(path));
        var result = ModuleOrderer.Order(graph);
        Assert.True(graph.Count >= 20);
        Assert.Contains(result, e => e.CycleGroup is not null);
        Assert.Contains(result, e => e.Kind == ModuleKind.Extension);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OsRollback.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
