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
    [Fact]
    public void Changed_and_republished_modules_are_marked_with_a_legend_and_their_own_styles()
    {
        var entries = ModuleGraphPicture.Entries(Graph);
        var marks = new ModuleGraphMarks(["shop<&>", "Core"], ["Core", "Billing", "Invoicing", "NotInTheGraph"]);
        var document = XDocument.Parse(ModuleGraphPicture.Svg(entries, "Modules of Production", marks));
        var boxes = Boxes(document);
        // Changed: filled amber; republished: a blue dot (and a blue outline unless the cycle's red takes it).
        Assert.Equal(["Core", "Shop<&>"], boxes.Where(b => b.Fill == "#fff1c2").Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["Billing", "Core", "Invoicing"], boxes.Where(b => b.Dot).Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.Equal("#0969da", boxes.Single(b => b.Name == "Core").Stroke);
        Assert.Equal("#cf222e", boxes.Single(b => b.Name == "Billing").Stroke);
        Assert.Equal("#9a6700", boxes.Single(b => b.Name == "Shop<&>").Stroke);
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("changed by the deploy (2)", texts);
        Assert.Contains("republished by the rollback (3)", texts);
        Assert.Contains("reference cycle (2)", texts);
        Assert.Contains("eSpace · changed · republished", texts);
        Assert.Contains("Core (eSpace), wave 1, changed by the deploy, republished by the rollback", document.Descendants(Svg + "title").Select(t => t.Value));
    }

    [Fact]
    public void Without_marks_there_is_no_legend_for_them()
    {
        var svg = ModuleGraphPicture.Svg(ModuleGraphPicture.Entries([new("A", ModuleKind.eSpace, null, []), new("B", ModuleKind.eSpace, null, ["A"])]), "g");
        Assert.DoesNotContain("changed by the deploy", svg);
        Assert.DoesNotContain("republished by the rollback", svg);
        Assert.DoesNotContain("reference cycle", svg);
    }

    [Fact]
    public void The_title_is_escaped_and_hostile_names_stay_text_in_well_formed_xml()
    {
        var hostile = "X\"/><script>alert(1)</script>\u0001&amp;";
        var entries = ModuleGraphPicture.Entries([new(hostile, ModuleKind.eSpace, "App<1>", []), new("B", ModuleKind.eSpace, null, [hostile])]);
        var svg = ModuleGraphPicture.Svg(entries, "Modules of <Prod> & \"QA\"", new ModuleGraphMarks([hostile], [hostile]));
        var document = XDocument.Parse(svg);
        Assert.DoesNotContain("<script", svg);
        Assert.Empty(document.Descendants(Svg + "script"));
        Assert.Equal("Modules of <Prod> & \"QA\"", document.Root!.Attribute("aria-label")!.Value);
        Assert.Contains("Modules of <Prod> & \"QA\"", document.Descendants(Svg + "text").Select(t => t.Value));
        // The control character cannot be in XML at all; the rest of the name is kept as text (shortened on the box, whole in its tooltip).
        Assert.Contains(document.Descendants(Svg + "title"), t => t.Value.StartsWith("X\"/><script>alert(1)</script>&amp; (eSpace, App<1>)", StringComparison.Ordinal));
    }

    [Fact]
    public void Many_waves_wrap_into_bands_that_fit_a_1280_pixel_screen()
    {
        // A chain of 12 modules: 12 waves.
        var chain = Enumerable.Range(1, 12).Select(i => new ModuleDefinition($"M{i:00}", ModuleKind.eSpace, null, i == 1 ? [] : [$"M{i - 1:00}"])).ToList();
        var document = XDocument.Parse(ModuleGraphPicture.Svg(ModuleGraphPicture.Entries(chain), "chain"));
        var root = document.Root!;
        var width = (double)root.Attribute("width")!;
        Assert.True(width <= 1280, $"width {width}");
        Assert.Equal($"0 0 {root.Attribute("width")!.Value} {root.Attribute("height")!.Value}", root.Attribute("viewBox")!.Value);
        Assert.Contains("max-width:100%", root.Attribute("style")!.Value);
        var boxes = Boxes(document).ToDictionary(b => b.Name);
        // Five waves a band: wave 6 starts the second band, under wave 1, below every box of the first band.
        Assert.Equal(boxes["M01"].X, boxes["M06"].X);
        Assert.Equal(boxes["M01"].X, boxes["M11"].X);
        Assert.True(boxes["M06"].Y > boxes["M05"].Y + 38);
        Assert.True(boxes["M11"].Y > boxes["M10"].Y + 38);
        Assert.Equal(5, boxes.Values.Select(b => b.X).Distinct().Count());
        // Names and wave labels are drawn at 13 px: at 1:1 on a 1280 px screen they stay legible.
        Assert.All(document.Descendants(Svg + "text").Where(t => t.Value.StartsWith("Wave ", StringComparison.Ordinal) || t.Value.StartsWith('M')),
            t => Assert.Equal("13", t.Attribute("font-size")?.Value));
        Assert.Equal(12, document.Descendants(Svg + "text").Count(t => t.Value.StartsWith("Wave ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_narrow_graph_is_as_wide_as_its_heading_and_legend_and_never_wider_than_five_waves()
    {
        const string title = "Modules of Production: Database rollback of 2026-12-02 10:00 UTC";
        var one = ModuleGraphPicture.Entries([new("A", ModuleKind.eSpace, null, [])]);
        var width = (double)XDocument.Parse(ModuleGraphPicture.Svg(one, title, new ModuleGraphMarks(["A"], ["A"]))).Root!.Attribute("width")!;
        Assert.True(width >= 2 * 20 + title.Length * 9, $"width {width}");
        var huge = (double)XDocument.Parse(ModuleGraphPicture.Svg(one, new string('T', 500))).Root!.Attribute("width")!;
        // A heading is cut at 110 characters; the picture never grows past five waves' width.
        Assert.InRange(huge, 2 * 20 + 110 * 9, 2 * 20 + 5 * 190 + 4 * 56);
    }

    private sealed record Box(string Name, double X, double Y, string Fill, string Stroke, bool Dot);

    private static List<Box> Boxes(XDocument document) => document.Descendants(Svg + "g").Select(g =>
    {
        var rect = g.Element(Svg + "rect")!;
        return new Box(g.Descendants(Svg + "text").First().Value, (double)rect.Attribute("x")!, (double)rect.Attribute("y")!,
            rect.Attribute("fill")!.Value, rect.Attribute("stroke")!.Value, g.Element(Svg + "circle") is not null);
    }).ToList();
}
