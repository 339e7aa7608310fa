using System.Text;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Database.SqlServer;

namespace OsRollback.Engine.Rollback.Scripting;

/// <summary>The script of one step: its header comment and what its kind contributes.</summary>
public sealed record StepScriptSection(RollbackStep Step, IReadOnlyList<ScriptLine> Lines)
{
    public IEnumerable<string> Statements => Lines.Where(l => l.IsStatement).Select(l => l.Text);
}

/// <summary>
/// Invoke-OsRollback -OutputScriptOnly: the whole runbook of a plan for review, in plan order: the
/// T-SQL of every database step (from the builders its run uses) and every other step as a
/// <c>-- Step n/N (Kind): title</c> comment. Reads the plan and the rollback point's manifest only:
/// no connection, no lock, no journal.
/// </summary>
public static class RollbackScriptWriter
{
    public static IReadOnlyList<StepScriptSection> Sections(RollbackPlan plan, RollbackPoint point, DateTimeOffset now)
    {
        var context = new StepScriptContext { Plan = plan, Point = point, Now = now };
        return plan.Steps.Select(step =>
        {
            var lines = new List<ScriptLine> { ScriptLine.Comment($"Step {step.Number}/{plan.Steps.Count} ({step.Kind}): {step.Title}") };
            if (StepScripts.For(step) is { } script)
            {
                if (context.SqlServer(step) is { } database) lines.AddRange(script.Write(step, database, context));
                else lines.Add(ScriptLine.Comment($"SQLite file operation on {StepDatabase.Of(step, plan, point)?.DisplayName ?? "(no database recorded)"}: no T-SQL."));
            }
            return new StepScriptSection(step, lines);
        }).ToList();
    }

    /// <summary>The script as strings for the pipeline: a header, then one string per step (statements separated by GO).</summary>
    public static IReadOnlyList<string> Write(RollbackPlan plan, RollbackPoint point, DateTimeOffset now)
    {
        var output = new List<string> { Header(plan, point, now) };
        foreach (var section in Sections(plan, point, now))
        {
            var text = new StringBuilder();
            foreach (var line in section.Lines)
            {
                text.Append(line.Text).Append('\n');
                if (line.IsStatement) text.Append("GO\n");
            }
            output.Add(text.ToString().TrimEnd('\n'));
        }
        return output;
    }

    private static string Header(RollbackPlan plan, RollbackPoint point, DateTimeOffset now)
    {
        var lines = new List<string>
        {
            $"OsRollback runbook of plan {plan.Id} ({plan.Strategy} rollback of {plan.Environment} to {point.Id}), written {now:u} for review; nothing was run.",
            $"Plan digest: {(plan.PlanDigest.Length > 0 ? plan.PlanDigest : "(none: a format version 1 plan)")}",
        };
        if (plan.RestorePath is { } path) lines.Add($"Restore path: {path.Path} ({path.Reason}).");
        if (!TSqlDatabase.IsTSql(point.Manifest.Database.Engine))
            lines.Add("SQLite: the database steps are file operations (online backup API and file copies), not T-SQL; they are listed as comments.");
        else if (plan.Steps.Any(s => StepScripts.For(s) is not null))
            lines.Add("Run in master on the server of the platform database. File names carry the time of writing; a run stamps its own.");
        return string.Join("\n", lines.Select(SqlText.Comment));
    }
}
