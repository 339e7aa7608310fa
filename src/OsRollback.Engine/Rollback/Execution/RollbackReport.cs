using System.Globalization;
using System.Text;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>Writes the result of a run as report.json and report.md (the Markdown is fit for ##vso[task.uploadsummary]).</summary>
public static class RollbackReport
{
    public static void Write(RollbackResult result, RollbackPlan plan)
    {
        RollbackJson.WriteAtomic(result.ReportPath, SecretScrubber.Scrub(RollbackJson.Serialize(result)));
        RollbackJson.WriteAtomic(result.MarkdownReportPath, SecretScrubber.Scrub(ToMarkdown(result, plan)));
        RollbackJson.WriteAtomic(Path.ChangeExtension(result.MarkdownReportPath, ".html"), SecretScrubber.Scrub(RollbackHtmlReport.Render(result, plan)));
    }

    public static string ToMarkdown(RollbackResult result, RollbackPlan plan)
    {
        var md = new StringBuilder();
        var mark = result.Status == RollbackRunStatus.Succeeded ? "succeeded" : "FAILED";
        md.AppendLine(CultureInfo.InvariantCulture, $"# Rollback of {result.Environment}: {mark}").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Strategy | {result.Strategy} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Reason | {RollbackPlanFile.Cell(plan.Reason)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Rollback point | {RollbackPlanFile.Cell(result.RollbackPointId)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Started / finished | {result.StartedAt:u} / {result.FinishedAt:u}{(result.Resumed ? " (resumed)" : "")} |");
        if (result.DataLossFrom is { } from) md.AppendLine(CultureInfo.InvariantCulture, $"| Data lost from the live database | written after {from:u} |");
        if (result.ParallelDatabase is not null) md.AppendLine(CultureInfo.InvariantCulture, $"| Parallel database (data recovery) | {RollbackPlanFile.Cell(result.ParallelDatabase)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Plan id | `{result.PlanId}` |").AppendLine();
        if (result.Message is not null) md.AppendLine(CultureInfo.InvariantCulture, $"> {result.Message}").AppendLine();
        md.AppendLine("| # | Step | Target | Status | Detail |").AppendLine("|---|---|---|---|---|");
        foreach (var s in result.Steps)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Number} | {RollbackPlanFile.Cell(s.Title)} | {RollbackPlanFile.Cell(s.Target)} | {s.Status} | {RollbackPlanFile.Cell(s.Detail)} |");
        if (result.Warnings.Count > 0)
        {
            md.AppendLine().AppendLine("## Warnings").AppendLine();
            foreach (var w in result.Warnings) md.AppendLine(CultureInfo.InvariantCulture, $"- {w}");
        }
        if (result.Status == RollbackRunStatus.Failed)
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Fix the cause, then continue from step {result.FailedStep}: `Invoke-OsRollback -Plan '{System.IO.Path.Combine(System.IO.Path.GetDirectoryName(result.JournalPath)!, "plan.json")}' -Resume`");
        return md.ToString();
    }
}
