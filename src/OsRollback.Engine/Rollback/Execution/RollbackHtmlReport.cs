using System.Globalization;
using System.Net;
using System.Text;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// report.html of a run: the plan, the steps as a timeline (inline SVG), what was verified, what
/// stays behind (drift) and where the data written since the rollback point can be recovered.
/// Self-contained (inline CSS and SVG, no external link); every text is HTML-escaped.
/// </summary>
public static class RollbackHtmlReport
{
    public static string Render(RollbackResult result, RollbackPlan plan)
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
            .Append("</style></head><body>");
        html.Append("<h1>Rollback of ").Append(E(result.Environment)).Append(" <span class=\"badge ").Append(ok ? "ok\">succeeded" : "bad\">FAILED").Append("</span></h1>");
        html.Append("<table>");
        Row(html, "Strategy", result.Strategy.ToString());
        Row(html, "Reason", plan.Reason);
        Row(html, "Rollback point", result.RollbackPointId);
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
            html.Append("<tr><td>").Append(s.Number).Append("</td><td>").Append(E(s.Title)).Append("</td><td>").Append(E(s.Target))
                .Append("</td><td class=\"").Append(s.Status == StepStatus.Failed ? "bad" : s.Status == StepStatus.NotRun ? "" : "ok").Append("\">").Append(E(s.Status.ToString()))
                .Append("</td><td>").Append(s.StartedAt is { } a && s.FinishedAt is { } b ? Duration(b - a) : "").Append("</td><td>").Append(E(s.Detail ?? "")).Append("</td></tr>");
        html.Append("</table>");

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
        if (result.ParallelDatabase is { } parallel) html.Append("<li>Recover it from the parallel database <code>").Append(E(parallel)).Append("</code> (Compare-OsDatabaseData, Export-OsDataDelta).</li>");
        if (result.PreRollbackBackup is { } backup) html.Append("<li>Backup taken before the restore: <code>").Append(E(backup)).Append("</code></li>");
        html.Append("</ul></body></html>");
        return html.ToString();
    }

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
