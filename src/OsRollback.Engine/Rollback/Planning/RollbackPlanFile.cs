using System.Globalization;
using System.Text;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Planning;

public enum PlanFormat { Json, Markdown, Html }

/// <summary>
/// Plans as JSON (input to Invoke-OsRollback), and as the decision document in Markdown (approval
/// gates, pipeline summaries) or HTML (a page for the customer); see docs/rollback.md.
/// </summary>
public static class RollbackPlanFile
{
    public static string ToJson(RollbackPlan plan) => RollbackJson.Serialize(plan);

    public static RollbackPlan FromJson(string text, string sourceName)
    {
        var plan = RollbackJson.Deserialize<RollbackPlan>(text, sourceName, "RollbackPlanInvalid", "rollback plan");
        if (plan.FormatVersion is < 1 or > RollbackPlan.CurrentFormatVersion)
            throw Invalid(sourceName, $"its format version is {plan.FormatVersion}; this version of OsRollback reads version {RollbackPlan.CurrentFormatVersion}");
        if (string.IsNullOrWhiteSpace(plan.Id) || string.IsNullOrWhiteSpace(plan.Environment) || string.IsNullOrWhiteSpace(plan.RollbackPointId))
            throw Invalid(sourceName, "it names no Id, environment or rollback point");
        if (plan.Steps.Count == 0) throw Invalid(sourceName, "it has no steps");
        for (var i = 0; i < plan.Steps.Count; i++)
            if (plan.Steps[i] is null || plan.Steps[i].Number != i + 1) throw Invalid(sourceName, $"its steps are not numbered 1 to {plan.Steps.Count}");
        return plan;
    }

    public static RollbackPlan Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new OsRollbackException("RollbackPlanNotFound", OsErrorCategory.ObjectNotFound, $"The plan file '{path}' does not exist.", path,
                "Check -Plan, or export a plan with New-OsRollbackPlan | Export-OsRollbackPlan -Path plan.json.");
        }
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Writes the plan with its digest (computed here when the plan has none yet, e.g. a version 1 plan exported again).</summary>
    public static void Write(RollbackPlan plan, string path, PlanFormat format)
    {
        if (string.IsNullOrEmpty(plan.PlanDigest)) Seal(plan);
        RollbackJson.WriteAtomic(path, format switch
        {
            PlanFormat.Markdown => ToMarkdown(plan),
            PlanFormat.Html => RollbackDecisionHtml.Render(plan),
            _ => ToJson(plan),
        });
    }

    /// <summary>Makes the plan a version 2 plan and records its digest.</summary>
    public static void Seal(RollbackPlan plan)
    {
        plan.FormatVersion = RollbackPlan.CurrentFormatVersion;
        plan.PlanDigest = RollbackPlanDigest.Compute(plan);
    }

    public static string ToMarkdown(RollbackPlan plan)
    {
        var decision = RollbackDecision.Of(plan);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Rollback plan: {plan.Environment} ({plan.Strategy})").AppendLine();
        RollbackDecisionMarkdown.AppendProposal(md, decision);
        md.AppendLine("| | |").AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Environment | {Cell(plan.Environment)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Strategy | **{plan.Strategy}** |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Reason | {Cell(plan.Reason)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Rollback point | {Cell(plan.RollbackPointId)} |");
        if (plan.SourceEnvironment is not null) md.AppendLine(CultureInfo.InvariantCulture, $"| Deployed from | {Cell(plan.SourceEnvironment)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Data loss | {(plan.DataLoss ? $"**yes**: everything written after {plan.DataLossFrom:u} (window at planning time: {RollbackPlanner.Describe((plan.DataLossTo ?? plan.CreatedAt) - (plan.DataLossFrom ?? plan.CreatedAt))}, growing until the restore)" : "none")} |");
        if (plan.Assessments.FirstOrDefault(a => a.Chosen)?.ExpectedOutageText is { } outage) md.AppendLine(CultureInfo.InvariantCulture, $"| Users' expected outage | {Cell(outage)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Planned | {plan.CreatedAt:u} by {Cell(plan.CreatedBy)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Plan id | `{plan.Id}` |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Plan digest | `sha256:{plan.PlanDigest}` |").AppendLine();
        if (plan.DataLoss)
            md.AppendLine("> **Data recovery:** the last step restores the pre-rollback backup as a parallel database; data entered since the pre-deploy backup is recovered from it.").AppendLine();
        RollbackDecisionMarkdown.AppendOptions(md, decision);
        if (plan.Changes.Count > 0)
        {
            md.AppendLine("## Applications").AppendLine().AppendLine("| Application | Running | Back to |").AppendLine("|---|---|---|");
            foreach (var c in plan.Changes) md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(c.Name)} | {Cell(c.RunningVersion)} | {Cell(c.RollbackVersion)} |");
            md.AppendLine();
        }
        if (plan.Republish is { } republish)
            md.AppendLine(CultureInfo.InvariantCulture, $"> **Republish after the restore:** {republish.Method}: {Cell(republish.Reason)}.").AppendLine();
        md.AppendLine("## Steps").AppendLine().AppendLine("| # | Step | Target |").AppendLine("|---|---|---|");
        foreach (var s in plan.Steps) md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Number} | {Cell(s.Title)} | {Cell(s.Target)} |");
        md.AppendLine();
        if (plan.SupportRequest is { } support) md.AppendLine(support.Markdown);
        if (plan.Warnings.Count > 0)
        {
            md.AppendLine("## Warnings and side effects").AppendLine();
            foreach (var w in plan.Warnings) md.AppendLine(CultureInfo.InvariantCulture, $"- {w}");
            md.AppendLine();
        }
        RollbackDecisionMarkdown.AppendSignOff(md, decision);
        md.AppendLine(CultureInfo.InvariantCulture, $"Execute after approval: `Invoke-OsRollback -Plan <this plan's JSON file> -ExpectedPlanDigest sha256:{plan.PlanDigest}`");
        return md.ToString();
    }

    internal static string Cell(string? text) => (text ?? "").Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

    private static OsRollbackException Invalid(string source, string problem) =>
        new("RollbackPlanInvalid", OsErrorCategory.InvalidData, $"'{source}' is not a usable rollback plan: {problem}.", source,
            "Export the plan again with New-OsRollbackPlan | Export-OsRollbackPlan -Format Json; do not edit it by hand.");
}
