using System.Globalization;
using System.Text;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>The decision document's sections in the plan's Markdown (the same content as <see cref="RollbackDecisionHtml"/>).</summary>
internal static class RollbackDecisionMarkdown
{
    public static void AppendProposal(StringBuilder md, RollbackDecision decision) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"> **Proposal:** {Cell(decision.Proposal)}").AppendLine();

    public static void AppendOptions(StringBuilder md, RollbackDecision decision)
    {
        md.AppendLine("## Strategies considered").AppendLine()
            .AppendLine("| Way back | Decision | Users' outage | Data lost | Why |").AppendLine("|---|---|---|---|---|");
        foreach (var o in decision.Options)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(o.Name)} ({o.Strategy}) | {(o.Chosen ? "**chosen**" : o.Verdict)} | {Cell(o.Outage)} | {Cell(o.DataLost)} | {Cell(o.Why)} |");
        md.AppendLine().AppendLine("## What users will see").AppendLine();
        foreach (var o in decision.Options)
            md.AppendLine(CultureInfo.InvariantCulture, $"- **{o.Strategy}** ({o.Verdict}): {o.UsersSee}");
        md.AppendLine().AppendLine("## Data-loss window").AppendLine().AppendLine(decision.DataLossSummary).AppendLine();
        if (decision.DataLossGrowth.Count > 0)
        {
            md.AppendLine("| If the rollback starts | At | Work lost from the live database |").AppendLine("|---|---|---|");
            foreach (var g in decision.DataLossGrowth) md.AppendLine(CultureInfo.InvariantCulture, $"| {g.When} | {RollbackDecision.Time(g.StartsAt)} | {g.Window} |");
            md.AppendLine();
        }
        md.AppendLine("## What is left behind").AppendLine();
        foreach (var line in decision.LeftBehind) md.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        md.AppendLine();
    }

    public static void AppendSignOff(StringBuilder md, RollbackDecision decision)
    {
        md.AppendLine("## Decision and sign-off").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Signing approves the plan `{decision.Plan.Id}` with the digest `{decision.DigestText}` and no other: Invoke-OsRollback checks the digest and refuses a plan that differs.").AppendLine()
            .AppendLine("| Role | Name | Date | Decision (approve / reject) |").AppendLine("|---|---|---|---|");
        foreach (var role in RollbackDecision.SignOffRoles) md.AppendLine(CultureInfo.InvariantCulture, $"| {role} | | | |");
        md.AppendLine();
    }

    private static string Cell(string text) => RollbackPlanFile.Cell(text);
}
