using System.Xml.Linq;
using OsRollback.Engine.Modules;

namespace OsRollback.Engine.Tests.Modules;

/// <summary>Export-OsModuleGraph -Format Svg/Mermaid: the layered picture by waves.</summary>
public class ModuleGraphPictureTests
{
    private static readonly ModuleDefinition[] Graph =
    [
        new("Core", ModuleKind.eSpace, null, []),
        new("Billing", ModuleKind.eSpace, null, ["Core", "Invoicing"]),
        new("Invoicing", ModuleKind.eSpace, null, ["Billing"]),
        new("Shop<&>", ModuleKind.eSpace, null, ["Billing", "Core"]),
    ];

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Svg_is_well_formed_with_one_column_per_wave_and_escaped_names()
    {
        var entries = ModuleGraphPicture.Entries(Graph);
        var document = XDocument.Parse(ModuleGraphPicture.Svg(entries, "graph & co"));
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Shop<&>", texts);
        Assert.Contains("graph & co", texts);
        var waves = entries.Select(e => e.Wave).Distinct().Count();
        Assert.Equal(waves, texts.Count(t => t.StartsWith("Wave ", StringComparison.Ordinal)));
        // Every module is a box in its wave's column: modules of one wave share the x position.
        var boxes = document.Descendants(Svg + "g").Select(g => (Name: g.Descendants(Svg + "text").First().Value, X: (double)g.Element(Svg + "rect")!.Attribute("x")!)).ToList();
        Assert.Equal(entries.Count, boxes.Count);
        foreach (var wave in entries.GroupBy(e => e.Wave))
            Assert.Single(boxes.Where(b => wave.Any(e => e.Name == b.Name)).Select(b => b.X).Distinct());
        Assert.True(boxes.Single(b => b.Name == "Core").X < boxes.Single(b => b.Name == "Shop<&>").X);
    }

    [Fact]
    public void Cycle_members_are_drawn_red_and_labelled_with_their_cycle()
    {
        var entries = ModuleGraphPicture.Entries(Graph);
        var svg = ModuleGraphPicture.Svg(entries, "g");
        Assert.Equal(2, entries.Count(e => e.CycleGroup is not null));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(svg, "stroke=\"#cf222e\" stroke-width=\"2\""));
        Assert.Contains("cycle 1", svg);
        Assert.Contains("url(#arrow-cycle)", svg);
    }

    [Fact]
    public void Mermaid_has_a_subgraph_per_wave_an_edge_per_reference_and_the_cycle_class()
    {
        var entries = ModuleGraphPicture.Entries(Graph);
        var text = ModuleGraphPicture.Mermaid(entries);
        Assert.StartsWith("flowchart LR\n", text);
        Assert.Equal(entries.Select(e => e.Wave).Distinct().Count(), text.Split('\n').Count(l => l.TrimStart().StartsWith("subgraph wave", StringComparison.Ordinal)));
        Assert.Equal(5, text.Split('\n').Count(l => l.Contains("-->")));
        Assert.Contains("Shop#lt;&#gt;", text);
        Assert.Contains("classDef cycle", text);
    }
}
