using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace OsRollback.Engine.Modules;

/// <summary>
/// Draws the module graph by republish waves: SVG (a layered layout, wave 1 = producers on the
/// left, each wave a column, rows ordered by their producers' rows to keep lines short) and
/// Mermaid (a flowchart with one subgraph per wave). Members of a reference cycle are marked, and
/// so are the modules a deploy changed and those a rollback republished (<see cref="ModuleGraphMarks"/>).
/// The SVG stays readable at screen width: at most <see cref="MaxColumns"/> waves side by side
/// (about 1200 px, drawn 1:1 on a 1280 px screen), further waves wrap into bands below, and it
/// scales down (viewBox, max-width 100%) rather than overflowing. No external tool; self-contained.
/// </summary>
public static class ModuleGraphPicture
{
    /// <summary>Waves side by side before the picture wraps into another band.</summary>
    public const int MaxColumns = 5;

    private const int NodeWidth = 190, NodeHeight = 38, ColumnGap = 56, RowGap = 14, Margin = 20, WaveLabelHeight = 24, BandGap = 34, NameLength = 22;
    private const string ChangedFill = "#fff1c2", RepublishedStroke = "#0969da", CycleStroke = "#cf222e";

    /// <summary>Orders the graph and returns the entries with every producer edge.</summary>
    public static IReadOnlyList<ModuleOrderEntry> Entries(IReadOnlyList<ModuleDefinition> definitions) =>
        ModuleOrderer.Order(ModuleGraph.Build(definitions));

    public static string Svg(IReadOnlyList<ModuleOrderEntry> entries, string title, ModuleGraphMarks? marks = null)
    {
        marks ??= ModuleGraphMarks.None;
        var cycles = entries.Count(e => e.CycleGroup is not null);
        var changed = entries.Count(e => marks.Changed.Contains(e.Name));
        var republished = entries.Count(e => marks.Republished.Contains(e.Name));
        var legend = Legend(changed, republished, cycles);
        var top = Margin + 34 + (legend.Count > 0 ? 24 : 0);
        var layout = Layout(entries, top);
        var columns = Math.Clamp(layout.Columns.Count, 1, MaxColumns);
        var heading = Shorten(title, 110);
        var summary = $"{entries.Count} modules in {layout.Columns.Count} waves, republished in wave order{(layout.Columns.Count > MaxColumns ? $" ({MaxColumns} waves a band, left to right, then the next band)" : ", left to right")}; arrows point from producer to consumer.{(cycles > 0 ? $" {cycles} modules in reference cycles (red)." : "")}";
        // Wide enough for the heading, summary and legend of a narrow graph (about 9, 7 and 7 px a character), never wider than five waves.
        var textWidth = Math.Max(Math.Max(heading.Length * 9, summary.Length * 7), legend.Sum(l => LegendWidth(l.Text)));
        var width = Math.Max(Margin * 2 + columns * NodeWidth + (columns - 1) * ColumnGap, Math.Min(Margin * 2 + textWidth, Margin * 2 + MaxColumns * NodeWidth + (MaxColumns - 1) * ColumnGap));
        var height = layout.Bottom + Margin;
        var svg = new StringBuilder();
        svg.Append(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" style=\"max-width:100%;height:auto\" role=\"img\" aria-label=\"{E(title)}\" font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" font-size=\"12\">"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6e7781\"/></marker>")
            .Append("<marker id=\"arrow-cycle\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#cf222e\"/></marker></defs>");
        svg.Append(I($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"));
        svg.Append(I($"<text x=\"{Margin}\" y=\"{Margin + 6}\" font-size=\"16\" font-weight=\"600\" fill=\"#1b1f24\">{E(heading)}</text>"));
        svg.Append(I($"<text x=\"{Margin}\" y=\"{Margin + 26}\" font-size=\"13\" fill=\"#57606a\">{E(summary)}</text>"));
        var legendX = Margin;
        foreach (var (swatch, text) in legend)
        {
            svg.Append(swatch(legendX, Margin + 38)).Append(I($"<text x=\"{legendX + 24}\" y=\"{Margin + 50}\" font-size=\"13\" fill=\"#1b1f24\">{E(text)}</text>"));
            legendX += LegendWidth(text);
        }
        for (var c = 0; c < layout.Columns.Count; c++)
        {
            var (x, y) = layout.Position[layout.Columns[c][0].Name];
            svg.Append(I($"<text x=\"{x + NodeWidth / 2}\" y=\"{layout.BandTop[c / MaxColumns] + 16}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"#1b1f24\">Wave {layout.Columns[c][0].Wave}</text>"));
        }

        foreach (var consumer in entries)
            foreach (var producerName in consumer.Producers)
            {
                if (!layout.Position.TryGetValue(producerName, out var from) || !layout.Position.TryGetValue(consumer.Name, out var to)) continue;
                var producer = layout.ByName[producerName];
                var inCycle = consumer.CycleGroup is not null && consumer.CycleGroup == producer.CycleGroup;
                svg.Append(inCycle ? CycleEdge(from, to)
                    : layout.Band[producerName] != layout.Band[consumer.Name] ? BandEdge(from, to, layout.BandTop[layout.Band[consumer.Name]] - BandGap / 2)
                    : Edge(from, to));
            }
        foreach (var entry in entries) svg.Append(Node(entry, layout.Position[entry.Name], marks));
        return svg.Append("</svg>").ToString();
    }

    private static string Node(ModuleOrderEntry entry, (int X, int Y) at, ModuleGraphMarks marks)
    {
        var (x, y) = at;
        var cycle = entry.CycleGroup is not null;
        var changed = marks.Changed.Contains(entry.Name);
        var republished = marks.Republished.Contains(entry.Name);
        var notes = new List<string> { entry.Kind.ToString() };
        if (cycle) notes.Add($"cycle {entry.CycleGroup}");
        if (changed) notes.Add("changed");
        if (republished) notes.Add("republished");
        var (stroke, strokeWidth) = cycle ? (CycleStroke, "2") : republished ? (RepublishedStroke, "2.5") : changed ? ("#9a6700", "1.5") : ("#8c959f", "1");
        var node = new StringBuilder();
        node.Append(I($"<g><title>{E($"{entry.Name} ({entry.Kind}{(entry.Application is null ? "" : ", " + entry.Application)}), wave {entry.Wave}{(cycle ? $", cycle {entry.CycleGroup}" : "")}{(changed ? ", changed by the deploy" : "")}{(republished ? ", republished by the rollback" : "")}")}</title>"));
        node.Append(I($"<rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"6\" fill=\"{(changed ? ChangedFill : cycle ? "#ffebe9" : "#f6f8fa")}\" stroke=\"{stroke}\" stroke-width=\"{strokeWidth}\"/>"));
        node.Append(I($"<text x=\"{x + 8}\" y=\"{y + 16}\" font-size=\"13\" fill=\"#1b1f24\">{E(Shorten(entry.Name, NameLength))}</text>"));
        node.Append(I($"<text x=\"{x + 8}\" y=\"{y + 31}\" font-size=\"11\" fill=\"{(cycle ? CycleStroke : "#57606a")}\">{E(string.Join(" · ", notes))}</text>"));
        if (republished) node.Append(I($"<circle cx=\"{x + NodeWidth - 10}\" cy=\"{y + 10}\" r=\"5\" fill=\"{RepublishedStroke}\"/>"));
        return node.Append("</g>").ToString();
    }

    private static int LegendWidth(string text) => 24 + text.Length * 7 + 24;

    /// <summary>The legend entries that apply: a swatch drawer (x, y) and its text.</summary>
    private static List<(Func<int, int, string> Swatch, string Text)> Legend(int changed, int republished, int cycles)
    {
        var legend = new List<(Func<int, int, string>, string)>();
        if (changed > 0)
            legend.Add(((x, y) => I($"<rect x=\"{x}\" y=\"{y}\" width=\"18\" height=\"14\" rx=\"3\" fill=\"{ChangedFill}\" stroke=\"#9a6700\"/>"), $"changed by the deploy ({changed})"));
        if (republished > 0)
            legend.Add(((x, y) => I($"<rect x=\"{x}\" y=\"{y}\" width=\"18\" height=\"14\" rx=\"3\" fill=\"#f6f8fa\" stroke-width=\"2.5\" stroke=\"{RepublishedStroke}\"/>"), $"republished by the rollback ({republished})"));
        if (cycles > 0)
            legend.Add(((x, y) => I($"<rect x=\"{x}\" y=\"{y}\" width=\"18\" height=\"14\" rx=\"3\" fill=\"#ffebe9\" stroke-width=\"1.5\" stroke=\"{CycleStroke}\"/>"), $"reference cycle ({cycles})"));
        return legend;
    }

    public static string Mermaid(IReadOnlyList<ModuleOrderEntry> entries)
    {
        var ids = entries.Select((e, i) => (e.Name, Id: "m" + i.ToString(CultureInfo.InvariantCulture))).ToDictionary(p => p.Name, p => p.Id, StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder("flowchart LR\n");
        foreach (var wave in entries.GroupBy(e => e.Wave).OrderBy(g => g.Key))
        {
            text.Append(I($"  subgraph wave{wave.Key}[\"Wave {wave.Key}\"]\n"));
            foreach (var e in wave) text.Append(I($"    {ids[e.Name]}[\"{MermaidText(e.Name)}\"]\n"));
            text.Append("  end\n");
        }
        foreach (var consumer in entries)
            foreach (var producer in consumer.Producers)
                if (ids.TryGetValue(producer, out var from))
                    text.Append(I($"  {from} --> {ids[consumer.Name]}\n"));
        var cyclic = entries.Where(e => e.CycleGroup is not null).Select(e => ids[e.Name]).ToList();
        if (cyclic.Count > 0)
        {
            text.Append("  classDef cycle fill:#ffebe9,stroke:#cf222e,stroke-width:2px\n");
            text.Append("  class ").Append(string.Join(',', cyclic)).Append(" cycle\n");
        }
        return text.ToString();
    }

    private sealed record Placement(List<List<ModuleOrderEntry>> Columns, Dictionary<string, (int X, int Y)> Position, Dictionary<string, ModuleOrderEntry> ByName,
        Dictionary<string, int> Band, List<int> BandTop, int Bottom);

    private static Placement Layout(IReadOnlyList<ModuleOrderEntry> entries, int top)
    {
        var byName = entries.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
        var columns = entries.GroupBy(e => e.Wave).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var row = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < columns.Count; c++)
        {
            // Barycentre of the producers already placed, then the cycle group, then the name: stable and readable.
            columns[c] = columns[c]
                .OrderBy(e => e.Producers.Where(row.ContainsKey).Select(p => row[p]).DefaultIfEmpty(double.MaxValue).Average())
                .ThenBy(e => e.CycleGroup ?? int.MaxValue).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ToList();
            for (var r = 0; r < columns[c].Count; r++) row[columns[c][r].Name] = r;
        }
        var position = new Dictionary<string, (int, int)>(StringComparer.OrdinalIgnoreCase);
        var band = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var bandTop = new List<int>();
        var y = top;
        for (var first = 0; first < Math.Max(columns.Count, 1); first += MaxColumns)
        {
            bandTop.Add(y);
            var rows = 1;
            for (var c = first; c < Math.Min(first + MaxColumns, columns.Count); c++)
            {
                rows = Math.Max(rows, columns[c].Count);
                for (var r = 0; r < columns[c].Count; r++)
                {
                    position[columns[c][r].Name] = (ColumnX(c % MaxColumns), y + WaveLabelHeight + r * (NodeHeight + RowGap));
                    band[columns[c][r].Name] = bandTop.Count - 1;
                }
            }
            y += WaveLabelHeight + rows * (NodeHeight + RowGap) + BandGap;
        }
        return new Placement(columns, position, byName, band, bandTop, y - BandGap);
    }

    private static int ColumnX(int column) => Margin + column * (NodeWidth + ColumnGap);

    private static string Edge((int X, int Y) from, (int X, int Y) to)
    {
        double x1 = from.X + NodeWidth, y1 = from.Y + NodeHeight / 2.0, x2 = to.X, y2 = to.Y + NodeHeight / 2.0;
        if (x2 <= x1) { x1 = from.X + NodeWidth / 2.0; x2 = to.X + NodeWidth / 2.0; }
        else if (to.X - from.X > NodeWidth + ColumnGap)
        {
            // Skipping waves: run through the gap below the rows so no module box hides the line.
            var gap = Math.Max(y1, y2) + NodeHeight / 2.0 + RowGap / 2.0;
            return I($"<path d=\"M{x1:0.#},{y1:0.#} C{x1 + 25:0.#},{y1:0.#} {x1 + 15:0.#},{gap:0.#} {x1 + 40:0.#},{gap:0.#} L{x2 - 40:0.#},{gap:0.#} C{x2 - 15:0.#},{gap:0.#} {x2 - 25:0.#},{y2:0.#} {x2:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>");
        }
        var bend = Math.Max((x2 - x1) / 2, 20);
        return I($"<path d=\"M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.2\" marker-end=\"url(#arrow)\"/>");
    }

    // A consumer in a later band: right out of the producer into its column gap, along the gap
    // above the consumer's band, then down the gap left of the consumer: no module box hides the line.
    private static string BandEdge((int X, int Y) from, (int X, int Y) to, double lane)
    {
        double x1 = from.X + NodeWidth, y1 = from.Y + NodeHeight / 2.0, x2 = to.X, y2 = to.Y + NodeHeight / 2.0;
        double out1 = x1 + ColumnGap / 2.0, in2 = x2 - Math.Min(ColumnGap / 2.0, Margin - 4);
        return I($"<path d=\"M{x1:0.#},{y1:0.#} L{out1:0.#},{y1:0.#} L{out1:0.#},{lane:0.#} L{in2:0.#},{lane:0.#} L{in2:0.#},{y2:0.#} L{x2:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#8c959f\" stroke-width=\"1.2\" stroke-linejoin=\"round\" marker-end=\"url(#arrow)\"/>");
    }

    // Cycle members share a wave (one column): a red dashed arc on the column's right side.
    private static string CycleEdge((int X, int Y) from, (int X, int Y) to)
    {
        double x = from.X + NodeWidth, y1 = from.Y + NodeHeight / 2.0, y2 = to.Y + NodeHeight / 2.0;
        var reach = 18 + Math.Abs(y2 - y1) / 6;
        return I($"<path d=\"M{x:0.#},{y1:0.#} C{x + reach:0.#},{y1:0.#} {x + reach:0.#},{y2:0.#} {x:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" marker-end=\"url(#arrow-cycle)\"/>");
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
    // Characters XML 1.0 cannot hold at all are dropped; the rest is escaped.
    private static string E(string text) => WebUtility.HtmlEncode(new string(text.Where(XmlConvert.IsXmlChar).ToArray()));
    private static string MermaidText(string text) => text.Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;");
    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
