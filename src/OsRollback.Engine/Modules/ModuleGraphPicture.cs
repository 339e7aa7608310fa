using System.Globalization;
using System.Net;
using System.Text;

namespace OsRollback.Engine.Modules;

/// <summary>
/// Draws the module graph by republish waves: SVG (a layered layout, wave 1 = producers on the
/// left, each wave a column, rows ordered by their producers' rows to keep lines short) and
/// Mermaid (a flowchart with one subgraph per wave). Members of a reference cycle are marked.
/// No external tool; the SVG is self-contained.
/// </summary>
public static class ModuleGraphPicture
{
    private const int NodeWidth = 190, NodeHeight = 34, ColumnGap = 80, RowGap = 14, Margin = 20, HeaderHeight = 30;

    /// <summary>Orders the graph and returns the entries with every producer edge.</summary>
    public static IReadOnlyList<ModuleOrderEntry> Entries(IReadOnlyList<ModuleDefinition> definitions) =>
        ModuleOrderer.Order(ModuleGraph.Build(definitions));

    public static string Svg(IReadOnlyList<ModuleOrderEntry> entries, string title)
    {
        var layout = Layout(entries);
        var waves = layout.Columns.Count;
        var rows = layout.Columns.Count == 0 ? 0 : layout.Columns.Max(c => c.Count);
        var width = Margin * 2 + Math.Max(waves, 1) * NodeWidth + Math.Max(waves - 1, 0) * ColumnGap;
        var height = Margin * 2 + HeaderHeight + 24 + Math.Max(rows, 1) * (NodeHeight + RowGap);
        var svg = new StringBuilder();
        svg.Append(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" font-size=\"12\">"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#6e7781\"/></marker>")
            .Append("<marker id=\"arrow-cycle\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#cf222e\"/></marker></defs>");
        svg.Append(I($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"));
        svg.Append(I($"<text x=\"{Margin}\" y=\"{Margin + 4}\" font-size=\"15\" font-weight=\"600\" fill=\"#1b1f24\">{E(title)}</text>"));
        var cycles = entries.Count(e => e.CycleGroup is not null);
        svg.Append(I($"<text x=\"{Margin}\" y=\"{Margin + 22}\" fill=\"#57606a\">{E($"{entries.Count} modules in {waves} waves, republished left to right; arrows point from producer to consumer.{(cycles > 0 ? $" {cycles} modules in reference cycles (red)." : "")}")}</text>"));
        for (var c = 0; c < waves; c++)
            svg.Append(I($"<text x=\"{ColumnX(c) + NodeWidth / 2}\" y=\"{Margin + HeaderHeight + 16}\" text-anchor=\"middle\" font-weight=\"600\" fill=\"#1b1f24\">Wave {layout.Columns[c][0].Wave}</text>"));

        foreach (var consumer in entries)
            foreach (var producerName in consumer.Producers)
            {
                if (!layout.Position.TryGetValue(producerName, out var from) || !layout.Position.TryGetValue(consumer.Name, out var to)) continue;
                var producer = layout.ByName[producerName];
                var inCycle = consumer.CycleGroup is not null && consumer.CycleGroup == producer.CycleGroup;
                svg.Append(inCycle ? CycleEdge(from, to) : Edge(from, to));
            }
        foreach (var entry in entries)
        {
            var (x, y) = layout.Position[entry.Name];
            var cycle = entry.CycleGroup is not null;
            svg.Append(I($"<g><title>{E($"{entry.Name} ({entry.Kind}{(entry.Application is null ? "" : ", " + entry.Application)}), wave {entry.Wave}{(cycle ? $", cycle {entry.CycleGroup}" : "")}")}</title>"));
            svg.Append(I($"<rect x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"6\" fill=\"{(cycle ? "#ffebe9" : "#f6f8fa")}\" stroke=\"{(cycle ? "#cf222e" : "#8c959f")}\" stroke-width=\"{(cycle ? 2 : 1)}\"/>"));
            svg.Append(I($"<text x=\"{x + 8}\" y=\"{y + 15}\" fill=\"#1b1f24\">{E(Shorten(entry.Name, 26))}</text>"));
            svg.Append(I($"<text x=\"{x + 8}\" y=\"{y + 28}\" font-size=\"10\" fill=\"{(cycle ? "#cf222e" : "#57606a")}\">{E(cycle ? $"{entry.Kind} · cycle {entry.CycleGroup}" : entry.Kind.ToString())}</text>"));
            svg.Append("</g>");
        }
        return svg.Append("</svg>").ToString();
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

    private sealed record Placement(List<List<ModuleOrderEntry>> Columns, Dictionary<string, (int X, int Y)> Position, Dictionary<string, ModuleOrderEntry> ByName);

    private static Placement Layout(IReadOnlyList<ModuleOrderEntry> entries)
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
        for (var c = 0; c < columns.Count; c++)
            for (var r = 0; r < columns[c].Count; r++)
                position[columns[c][r].Name] = (ColumnX(c), Margin + HeaderHeight + 24 + r * (NodeHeight + RowGap));
        return new Placement(columns, position, byName);
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

    // Cycle members share a wave (one column): a red dashed arc on the column's right side.
    private static string CycleEdge((int X, int Y) from, (int X, int Y) to)
    {
        double x = from.X + NodeWidth, y1 = from.Y + NodeHeight / 2.0, y2 = to.Y + NodeHeight / 2.0;
        var reach = 18 + Math.Abs(y2 - y1) / 6;
        return I($"<path d=\"M{x:0.#},{y1:0.#} C{x + reach:0.#},{y1:0.#} {x + reach:0.#},{y2:0.#} {x:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#cf222e\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" marker-end=\"url(#arrow-cycle)\"/>");
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string MermaidText(string text) => text.Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;");
    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
