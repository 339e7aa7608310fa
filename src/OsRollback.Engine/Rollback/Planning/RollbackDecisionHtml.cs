using System.Net;
using System.Text;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// The decision document as one self-contained HTML page (Export-OsRollbackPlan -Format Html):
/// inline CSS only (no script, link, image or font), readable at 1024 px and on paper, every
/// text from the plan HTML-escaped. Plans hold no secret, so neither does the page.
/// </summary>
public static class RollbackDecisionHtml
{
    private const string Style =
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:920px;margin:24px auto;padding:0 16px;color:#1b1f24;background:#fff;line-height:1.45}" +
        "h1{font-size:24px;margin:0 0 8px}h2{font-size:18px;margin:26px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}h3{font-size:16px;margin:0 0 6px}" +
        "table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:14px;margin:6px 0}td,th{border:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}th{background:#f6f8fa}" +
        ".facts th{width:24%}.overview th:nth-child(1),.overview th:nth-child(4){width:33%}.overview th:nth-child(2){width:14%}.steps th:nth-child(1){width:6%}.steps th:nth-child(3){width:34%}" +
        "code{font-family:ui-monospace,Consolas,monospace;font-size:13px;overflow-wrap:anywhere;word-break:break-all}" +
        ".lead{font-size:17px;padding:10px 14px;border-left:4px solid #0969da;background:#f6f8fa}" +
        ".option{border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;margin:10px 0}.option.chosen{border:2px solid #1a7f37}" +
        ".option dl{display:grid;grid-template-columns:170px 1fr;gap:4px 12px;margin:0}.option dt{font-weight:600}.option dd{margin:0;overflow-wrap:anywhere}" +
        ".verdict{display:inline-block;white-space:nowrap;padding:1px 10px;border-radius:12px;font-size:13px;font-weight:600;background:#eaeef2}" +
        ".verdict.chosen{background:#1a7f37;color:#fff}.verdict.possible{background:#ddf4ff}.verdict.impossible{background:#ffebe9}" +
        ".bad{color:#cf222e}.signoff td{height:34px}.signoff td:first-child{width:26%}ul{margin:4px 0 0 20px;padding:0}li{margin:3px 0}" +
        "@media print{body{margin:0;max-width:none}.option,table,.signoff{break-inside:avoid}h2{break-after:avoid}}";

    public static string Render(RollbackPlan plan)
    {
        var decision = RollbackDecision.Of(plan);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
            .Append(E(decision.Title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
        html.Append("<h1>").Append(E(decision.Title)).Append("</h1>");
        html.Append("<p class=\"lead\" id=\"proposal\">").Append(E(decision.Proposal)).Append("</p>");
        html.Append("<table class=\"facts\" id=\"facts\">");
        Row(html, "Why roll back", plan.Reason);
        Row(html, "Applications", plan.Changes.Count == 0 ? "no application version differs from the rollback point" : string.Join("; ", plan.Changes.Select(c => $"{c.Name}: {c.RunningVersion} back to {c.RollbackVersion}")));
        Row(html, "Rollback point", plan.RollbackPointId);
        Row(html, "Planned", $"{RollbackDecision.Time(plan.CreatedAt)} by {plan.CreatedBy}");
        html.Append("</table>");

        html.Append("<h2 id=\"options\">The four ways back</h2><table class=\"overview\"><tr><th>Way back</th><th>Decision</th><th>Users' outage</th><th>Data lost</th></tr>");
        foreach (var o in decision.Options)
            html.Append("<tr><td>").Append(E(o.Name)).Append("</td><td>").Append(Verdict(o)).Append("</td><td>").Append(E(o.Outage)).Append("</td><td>").Append(E(o.DataLost)).Append("</td></tr>");
        html.Append("</table>");
        foreach (var o in decision.Options)
        {
            html.Append("<section class=\"option").Append(o.Chosen ? " chosen" : "").Append("\" id=\"strategy-").Append(o.Strategy.ToString().ToLowerInvariant()).Append("\"><h3>")
                .Append(E($"{o.Name} ({o.Strategy})")).Append(' ').Append(Verdict(o)).Append("</h3><dl>");
            Term(html, o.Chosen || o.Verdict == "possible" ? "How" : "Why not", o.Why);
            Term(html, "Users' outage", o.Outage);
            Term(html, "Data lost", o.DataLost);
            Term(html, "What users will see", o.UsersSee);
            html.Append("</dl></section>");
        }

        html.Append("<h2 id=\"data-loss\">Data-loss window</h2><p").Append(plan.DataLoss ? " class=\"bad\"" : "").Append('>').Append(E(decision.DataLossSummary)).Append("</p>");
        if (decision.DataLossGrowth.Count > 0)
        {
            html.Append("<table><tr><th>If the rollback starts</th><th>At</th><th>Work lost from the live database</th></tr>");
            foreach (var g in decision.DataLossGrowth)
                html.Append("<tr><td>").Append(E(g.When)).Append("</td><td>").Append(E(RollbackDecision.Time(g.StartsAt))).Append("</td><td>").Append(E(g.Window)).Append("</td></tr>");
            html.Append("</table>");
        }

        html.Append("<h2 id=\"left-behind\">What is left behind</h2>");
        List(html, decision.LeftBehind);
        if (plan.Warnings.Count > 0)
        {
            html.Append("<h2 id=\"warnings\">Also to know</h2>");
            List(html, plan.Warnings);
        }

        html.Append("<h2 id=\"sign-off\">Decision and sign-off</h2><p>Signing approves this plan and no other: Invoke-OsRollback checks its digest and refuses a plan that differs.</p><table class=\"facts\">");
        Row(html, "Plan", plan.ToString());
        Row(html, "Plan id", plan.Id);
        html.Append("<tr><th>Plan digest</th><td><code>").Append(E(decision.DigestText)).Append("</code></td></tr></table>");
        html.Append("<table class=\"signoff\"><tr><th>Role</th><th>Name</th><th>Date</th><th>Decision (approve / reject)</th><th>Signature</th></tr>");
        foreach (var role in RollbackDecision.SignOffRoles)
            html.Append("<tr><td>").Append(E(role)).Append("</td><td></td><td></td><td></td><td></td></tr>");
        html.Append("</table>");

        html.Append("<h2 id=\"steps\">Steps (for the DBA)</h2><table class=\"steps\"><tr><th>#</th><th>Step</th><th>Target</th></tr>");
        foreach (var s in plan.Steps)
            html.Append("<tr><td>").Append(s.Number).Append("</td><td>").Append(E(s.Title)).Append("</td><td>").Append(E(s.Target)).Append("</td></tr>");
        html.Append("</table></body></html>");
        return html.ToString();
    }

    private static string Verdict(DecisionOption option)
    {
        var css = option.Chosen ? "chosen" : option.Verdict == "possible" ? "possible" : option.Verdict == "not possible" ? "impossible" : "";
        return $"<span class=\"verdict {css}\">{E(option.Verdict)}</span>";
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static void Term(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>");

    private static void List(StringBuilder html, IEnumerable<string> lines)
    {
        html.Append("<ul>");
        foreach (var line in lines) html.Append("<li>").Append(E(line)).Append("</li>");
        html.Append("</ul>");
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
