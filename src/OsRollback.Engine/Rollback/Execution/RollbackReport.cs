using System.Globalization;
using System.Text;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>
/// Writes the result of a run as report.json, report.md (fit for ##vso[task.uploadsummary]) and
/// report.html, with module-graph.svg beside them. Each leads with what users saw (offline from ...
/// to ...), then the rows held in the parallel database and the schema left behind, then the rest.
/// </summary>
public static class RollbackReport
{
    /// <summary>What the report leads with, counted once after the last step: the users' outage and the run's aftermath.</summary>
    public static void Collect(RollbackResult result, RollbackPlan plan, RollbackPoint point, DatabaseTarget? database, RollbackJournal journal,
        IRunAftermathCounter? counter, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        result.UsersOutage = UsersOutage.Of(plan, journal.Entries);
        result.Aftermath = RunAftermath.Collect(counter, plan, point, database, result.PreRollbackBackup, result.ParallelDatabase, reporter, cancellationToken);
    }

    public static void Write(RollbackResult result, RollbackPlan plan, RollbackPoint? point = null)
    {
        var graph = point is null ? null : RunModuleGraph.Svg(result, plan, point);
        if (graph is not null)
        {
            result.ModuleGraphPath = Path.Combine(Path.GetDirectoryName(result.MarkdownReportPath)!, RunModuleGraph.FileName);
            RollbackJson.WriteAtomic(result.ModuleGraphPath, SecretScrubber.Scrub(graph));
        }
        RollbackJson.WriteAtomic(result.ReportPath, SecretScrubber.Scrub(RollbackJson.Serialize(result)));
        RollbackJson.WriteAtomic(result.MarkdownReportPath, SecretScrubber.Scrub(ToMarkdown(result, plan)));
        RollbackJson.WriteAtomic(Path.ChangeExtension(result.MarkdownReportPath, ".html"), SecretScrubber.Scrub(RollbackHtmlReport.Render(result, plan, graph)));
    }

    public static string ToMarkdown(RollbackResult result, RollbackPlan plan)
    {
        var md = new StringBuilder();
        var mark = result.Status == RollbackRunStatus.Succeeded ? "succeeded" : "FAILED";
        md.AppendLine(CultureInfo.InvariantCulture, $"# Rollback of {result.Environment}: {mark}").AppendLine();
        if (result.UsersOutage is { } outage) md.AppendLine(CultureInfo.InvariantCulture, $"**{outage.Summary}**").AppendLine();
        AppendAftermath(md, result);
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
            md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Number} | {RollbackPlanFile.Cell(s.Title)} | {RollbackPlanFile.Cell(ShortTarget.Of(s.Target))} | {s.Status} | {RollbackPlanFile.Cell(s.Detail)} |");
        if (result.ModuleGraphPath is not null)
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Module graph, with the modules the deploy changed and those the rollback republished: {RollbackPlanFile.Cell(Path.GetFileName(result.ModuleGraphPath))} beside this report.");
        if (result.Warnings.Count > 0)
        {
            md.AppendLine().AppendLine("## Warnings").AppendLine();
            foreach (var w in result.Warnings) md.AppendLine(CultureInfo.InvariantCulture, $"- {w}");
        }
        if (result.Status == RollbackRunStatus.Failed)
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Fix the cause, then continue from step {result.FailedStep}: `Invoke-OsRollback -Plan '{System.IO.Path.Combine(System.IO.Path.GetDirectoryName(result.JournalPath)!, "plan.json")}' -Resume`");
        return md.ToString();
    }

    private static void AppendAftermath(StringBuilder md, RollbackResult result)
    {
        var aftermath = result.Aftermath;
        if (result.ParallelDatabase is { } parallel)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## Rows to recover from the parallel database {RollbackPlanFile.Cell(ShortTarget.Of(parallel))}").AppendLine();
            if (aftermath is { RecoveredRows.Count: > 0 })
            {
                md.AppendLine("| Table | Entity | Only in the parallel database | Changed | Only in the live database | Note |").AppendLine("|---|---|---:|---:|---:|---|");
                foreach (var t in aftermath.RecoveredRows)
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {RollbackPlanFile.Cell(t.Table)} | {RollbackPlanFile.Cell(t.Entity)} | {t.Inserted:N0} | {t.Changed:N0} | {t.Deleted:N0} | {RollbackPlanFile.Cell(t.Note)} |");
            }
            else if (aftermath?.RecoveredRowsNote is null && aftermath is not null) md.AppendLine("No row differs: nothing written since the pre-deploy backup is missing from the live database.");
            if (aftermath?.RecoveredRowsNote is { } note) md.AppendLine().AppendLine(note);
            md.AppendLine();
        }
        if (aftermath is null) return;
        md.AppendLine("## Tables and columns left behind").AppendLine();
        if (aftermath.LeftBehind.Count > 0)
        {
            md.AppendLine("| Table | Column | Entity / attribute | Module | Rows with data |").AppendLine("|---|---|---|---|---:|");
            foreach (var l in aftermath.LeftBehind)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {RollbackPlanFile.Cell(l.Table)} | {RollbackPlanFile.Cell(l.Column ?? "(whole table)")} | {RollbackPlanFile.Cell(RollbackHtmlReport.EntityText(l))} | {RollbackPlanFile.Cell(l.Module)} | {(l.Rows is { } rows ? rows.ToString("N0", CultureInfo.InvariantCulture) : "not counted")} |");
        }
        else md.AppendLine(aftermath.LeftBehindNote ?? "None: the database holds no table or column the rollback point's schema lacks.");
        md.AppendLine();
    }
}
