using System.Globalization;
using System.Net;
using System.Text;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// report.html of a run. It leads with what users saw (offline from ... to ..., or the republish
/// window), the rows the parallel database holds for recovery and the tables and columns left
/// behind with their rows; then the plan, the steps as a timeline (inline SVG), the module graph
/// with the changed and republished modules marked, what was verified, the warnings and where the
/// data can be recovered. Targets are short (a file name, server\database) with the full value in
/// a title attribute. Self-contained (inline CSS and SVG, no external link); every text is HTML-escaped.
/// </summary>
public static class RollbackHtmlReport
{
    public static string Render(RollbackResult result, RollbackPlan plan, string? moduleGraphSvg = null)
    {
        var html = new StringBuilder();
        var ok = result.Status == RollbackRunStatus.Succeeded;
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E($"Rollback of {result.Environment}: {(ok ? "succeeded" : "FAILED")}")).Append("</title><style>")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1b1f24;background:#fff}")
            .Append("h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}")
            .Append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}")
            .Append(".ok{color:#1a7f37}.bad{color:#cf222e}.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}")
            .Append(".badge.ok{background:#1a7f37}.badge.bad{background:#cf222e}ul{margin:4px 0 0 18px;padding:0}li{margin:2px 0}")
            .Append(".outage{font-size:19px;font-weight:600;margin:8px 0 4px;padding:10px 14px;border-left:5px solid #bf8700;background:#fff8c5}.outage.none{border-color:#1a7f37;background:#dafbe1}")
            .Append("td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#57606a}.graph{max-width:100%;overflow-x:auto}")
            .Append("</style></head><body>");
        html.Append("<h1>Rollback of ").Append(E(result.Environment)).Append(" <span class=\"badge ").Append(ok ? "ok\">succeeded" : "bad\">FAILED").Append("</span></h1>");
        Lead(html, result);
        html.Append("<h2>Run</h2><table>");
        Row(html, "Strategy", result.Strategy.ToString());
        Row(html, "Reason", plan.Reason);
        Row(html, "Rollback point", result.RollbackPointId);
        Row(html, "Users", result.UsersOutage?.Summary ?? "not recorded");
        Row(html, "Started / finished", $"{Time(result.StartedAt)} / {Time(result.FinishedAt)} ({Duration(result.FinishedAt - result.StartedAt)}){(result.Resumed ? ", resumed" : "")}");
        Row(html, "Plan id", result.PlanId);
        html.Append("</table>");
        if (result.Message is not null) html.Append("<p class=\"").Append(ok ? "ok" : "bad").Append("\">").Append(E(result.Message)).Append("</p>");

        html.Append("<h2>Plan</h2>");
        if (plan.Changes.Count > 0)
        {
            html.Append("<table><tr><th>Application</th><th>Running</th><th>Rolled back to</th></tr>");
            foreach (var change in plan.Changes)
                html.Append("<tr><td>").Append(E(change.Name)).Append("</td><td>").Append(E(change.RunningVersion)).Append("</td><td>").Append(E(change.RollbackVersion)).Append("</td></tr>");
            html.Append("</table>");
        }
        html.Append("<ul>");
        foreach (var a in plan.Assessments)
            html.Append("<li>").Append(a.Chosen ? "<b>" : "").Append(E($"{a.Strategy}: {a.Verdict()}")).Append(a.Chosen ? "</b>" : "")
                .Append(a.Verdict() == "not assessed" ? "" : " — " + E(a.Reason)).Append("</li>");
        html.Append("</ul>");

        html.Append("<h2>Steps</h2>").Append(Timeline(result));
        html.Append("<table><tr><th>#</th><th>Step</th><th>Target</th><th>Status</th><th>Took</th><th>Detail</th></tr>");
        foreach (var s in result.Steps)
            html.Append("<tr><td>").Append(s.Number).Append("</td><td>").Append(E(s.Title)).Append("</td>").Append(TargetCell(s.Target))
                .Append("<td class=\"").Append(s.Status == StepStatus.Failed ? "bad" : s.Status == StepStatus.NotRun ? "" : "ok").Append("\">").Append(E(s.Status.ToString()))
                .Append("</td><td>").Append(s.StartedAt is { } a && s.FinishedAt is { } b ? Duration(b - a) : "").Append("</td><td>").Append(E(s.Detail ?? "")).Append("</td></tr>");
        html.Append("</table>");

        html.Append("<h2>Modules</h2>");
        html.Append(moduleGraphSvg is null
            ? "<p class=\"note\">The rollback point holds no module graph to draw.</p>"
            : $"<p class=\"note\">The rollback point's module graph by republish waves: filled amber, the modules the deploy changed; outlined blue, those the rollback republished ({E(RunModuleGraph.FileName)} beside this report).</p><div class=\"graph\">{moduleGraphSvg}</div>");

        html.Append("<h2>Verified</h2><ul>");
        var verifying = plan.Steps.Where(s => s.Verifies).Select(s => s.Number).ToHashSet();
        var verified = result.Steps.Where(s => verifying.Contains(s.Number)).ToList();
        if (verified.Count == 0) html.Append("<li>No verification step in this plan.</li>");
        foreach (var s in verified)
            html.Append("<li class=\"").Append(s.Status is StepStatus.Finished or StepStatus.FinishedEarlier ? "ok\">&#10003; " : s.Status == StepStatus.Failed ? "bad\">&#10007; " : "\">&#8226; ")
                .Append(E(s.Title)).Append(s.Detail is { Length: > 0 } d ? ": " + E(d) : "").Append("</li>");
        html.Append("</ul>");

        html.Append("<h2>Drift and warnings</h2><ul>");
        if (result.Warnings.Count == 0 && plan.Warnings.Count == 0) html.Append("<li>None.</li>");
        foreach (var w in plan.Warnings.Concat(result.Warnings).Distinct()) html.Append("<li>").Append(E(w)).Append("</li>");
        html.Append("</ul>");

        html.Append("<h2>Data recovery</h2><ul>");
        if (result.DataLossFrom is { } from) html.Append("<li class=\"bad\">Data written after ").Append(E(Time(from))).Append(" was removed from the live database.</li>");
        else html.Append("<li>No data was removed from the live database (code rollback).</li>");
        if (result.ParallelDatabase is { } parallel) html.Append("<li>Recover it from the parallel database ").Append(Code(parallel)).Append(" (Compare-OsDatabaseData, Export-OsDataDelta).</li>");
        if (result.PreRollbackBackup is { } backup) html.Append("<li>Backup taken before the restore: ").Append(Code(backup)).Append("</li>");
        html.Append("</ul></body></html>");
        return html.ToString();
    }

    /// <summary>What the page leads with: the users' outage, the rows to recover, the schema left behind.</summary>
    private static void Lead(StringBuilder html, RollbackResult result)
    {
        if (result.UsersOutage is { } outage)
            html.Append("<p class=\"outage").Append(outage.Kind == UsersOutageKind.Offline ? "" : " none").Append("\">").Append(E(outage.Summary)).Append("</p>");
        var aftermath = result.Aftermath;
        if (result.ParallelDatabase is { } parallel)
        {
            html.Append("<h2>Rows to recover from the parallel database ").Append(Code(parallel)).Append("</h2>");
            if (aftermath is { RecoveredRows.Count: > 0 } counted)
            {
                html.Append("<table><tr><th>Table</th><th>Entity</th><th>Only in the parallel database<br>(written since the backup, lost by the restore)</th><th>Changed</th><th>Only in the live database</th><th>Note</th></tr>");
                foreach (var t in counted.RecoveredRows)
                    html.Append("<tr><td>").Append(E(t.Table)).Append("</td><td>").Append(E(t.Entity ?? "")).Append("</td><td class=\"n\">").Append(N(t.Inserted))
                        .Append("</td><td class=\"n\">").Append(N(t.Changed)).Append("</td><td class=\"n\">").Append(N(t.Deleted)).Append("</td><td>").Append(E(t.Note ?? "")).Append("</td></tr>");
                html.Append("<tr><th colspan=\"2\">Total</th><th class=\"n\">").Append(N(counted.RecoveredRows.Sum(t => t.Inserted))).Append("</th><th class=\"n\">")
                    .Append(N(counted.RecoveredRows.Sum(t => t.Changed))).Append("</th><th class=\"n\">").Append(N(counted.RecoveredRows.Sum(t => t.Deleted))).Append("</th><th></th></tr></table>");
            }
            else if (aftermath is { RecoveredRowsNote: null }) html.Append("<p>No row differs: nothing written since the pre-deploy backup is missing from the live database.</p>");
            if (aftermath?.RecoveredRowsNote is { } note) html.Append("<p class=\"note\">").Append(E(note)).Append("</p>");
        }
        if (aftermath is null) return;
        html.Append("<h2>Tables and columns left behind</h2>");
        if (aftermath.LeftBehind.Count == 0)
        {
            html.Append("<p").Append(aftermath.LeftBehindNote is null ? ">" : " class=\"note\">")
                .Append(E(aftermath.LeftBehindNote ?? "None: the database holds no table or column the rollback point's schema lacks.")).Append("</p>");
            return;
        }
        html.Append("<table><tr><th>Table</th><th>Column</th><th>Entity / attribute</th><th>Module</th><th>Rows with data</th></tr>");
        foreach (var l in aftermath.LeftBehind)
            html.Append("<tr><td>").Append(E(l.Table)).Append("</td><td>").Append(E(l.Column ?? "(whole table)")).Append("</td><td>").Append(E(EntityText(l)))
                .Append("</td><td>").Append(E(l.Module ?? "")).Append("</td><td class=\"n\">").Append(l.Rows is { } rows ? N(rows) : "not counted").Append("</td></tr>");
        html.Append("</table><p class=\"note\">OutSystems never drops them; a fix rolled forward may use them again. See Get-OsSchemaDrift for a reviewed clean-up script.</p>");
    }

    internal static string EntityText(LeftoverSchema l) => l.Entity is null ? "" : l.Attribute is null ? l.Entity : $"{l.Entity}.{l.Attribute}";

    /// <summary>A target cell: the short form shown, the full value in the title attribute.</summary>
    private static string TargetCell(string target) =>
        ShortTarget.Of(target) == target ? $"<td>{E(target)}</td>" : $"<td title=\"{E(target)}\">{E(ShortTarget.Of(target))}</td>";

    private static string Code(string value) =>
        ShortTarget.Of(value) == value ? $"<code>{E(value)}</code>" : $"<code title=\"{E(value)}\">{E(ShortTarget.Of(value))}</code>";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A Gantt-like bar per step on one time axis, so waits and long steps stand out.</summary>
    internal static string Timeline(RollbackResult result)
    {
        var timed = result.Steps.Where(s => s.StartedAt is not null && s.FinishedAt is not null).ToList();
        if (timed.Count == 0) return "<p>No step ran.</p>";
        var start = timed.Min(s => s.StartedAt!.Value);
        var total = Math.Max((timed.Max(s => s.FinishedAt!.Value) - start).TotalMilliseconds, 1);
        const int labelWidth = 300, barWidth = 520, rowHeight = 24;
        var height = timed.Count * rowHeight + 30;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Timeline of the steps\" width=\"{labelWidth + barWidth + 90}\" height=\"{height}\" font-size=\"12\" font-family=\"system-ui,sans-serif\">");
        for (var i = 0; i < timed.Count; i++)
        {
            var s = timed[i];
            var x = labelWidth + (s.StartedAt!.Value - start).TotalMilliseconds / total * barWidth;
            var w = Math.Max((s.FinishedAt!.Value - s.StartedAt.Value).TotalMilliseconds / total * barWidth, 2);
            var y = i * rowHeight + 4;
            var colour = s.Status == StepStatus.Failed ? "#cf222e" : s.Status == StepStatus.FinishedEarlier ? "#8c959f" : "#2da44e";
            var label = $"{s.Number}. {s.Title}";
            if (label.Length > 44) label = label[..43] + "…";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\">{E(label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{rowHeight - 8}\" rx=\"3\" fill=\"{colour}\"><title>{E($"{s.Title}: {s.Status}, {Duration(s.FinishedAt.Value - s.StartedAt.Value)}")}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + w + 4:0.#}\" y=\"{y + 13}\" fill=\"#57606a\">{E(Duration(s.FinishedAt.Value - s.StartedAt.Value))}</text>");
        }
        var axisY = timed.Count * rowHeight + 12;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{labelWidth}\" y1=\"{axisY}\" x2=\"{labelWidth + barWidth}\" y2=\"{axisY}\" stroke=\"#8c959f\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth}\" y=\"{axisY + 14}\" fill=\"#57606a\">0 s</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + barWidth}\" y=\"{axisY + 14}\" text-anchor=\"end\" fill=\"#57606a\">{E(Duration(TimeSpan.FromMilliseconds(total)))}</text>");
        return svg.Append("</svg>").ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{Math.Max(span.TotalMilliseconds, 0):0} ms"
        : span.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s");
}
