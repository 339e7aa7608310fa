using System.Globalization;
using System.Text;

namespace OsRollback.Engine.RollForward;

/// <summary>The readiness report as Markdown, for the change ticket.</summary>
internal static class RollForwardMarkdown
{
    public static string Write(RollForwardReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Roll-forward readiness: {report.Environment}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Rollback point `{Cell(report.RollbackPointId)}`, database `{Cell(report.Database)}`{(report.Strategy is null ? "" : $", rolled back by {report.Strategy}")}.");
        md.AppendLine().AppendLine("## Base to fix from").AppendLine();
        if (report.Base.Count == 0) md.AppendLine("No rollback run of this point was found: the base is unknown.");
        else
        {
            md.AppendLine("| Application | Deployed and rolled back | Version key | Created | Rolled back to |").AppendLine("| --- | --- | --- | --- | --- |");
            foreach (var b in report.Base)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(b.Application)} | {Cell(b.Version)} | {Cell(b.VersionKey ?? "unknown")} | {b.CreatedOn?.ToString("u", CultureInfo.InvariantCulture) ?? "unknown"} | {Cell(b.RolledBackTo)} |");
        }
        md.AppendLine().AppendLine("## Schema left behind").AppendLine();
        if (report.LeftBehind.Count == 0) md.AppendLine("None.");
        else
        {
            md.AppendLine("| Table | Column | Entity.Attribute | Rows with data |").AppendLine("| --- | --- | --- | ---: |");
            foreach (var l in report.LeftBehind)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(l.Table)} | {Cell(l.Column ?? "(table)")} | {Cell(string.Join('.', new[] { l.Entity, l.Attribute }.Where(x => x is not null)))} | {l.RowsWithData?.ToString(CultureInfo.InvariantCulture) ?? "?"} |");
        }
        md.AppendLine().AppendLine("## Rows changed since the rollback point").AppendLine();
        if (report.ChangesNote is not null) md.AppendLine(Cell(report.ChangesNote)).AppendLine();
        if (report.Changes.Count > 0)
        {
            md.AppendLine("| Period | Table | Inserted | Changed | Deleted |").AppendLine("| --- | --- | ---: | ---: | ---: |");
            foreach (var c in report.Changes)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Period} | {Cell(c.Table)} | {c.Inserted} | {c.Changed} | {c.Deleted} |");
        }
        if (report.Fixes.Count > 0)
        {
            md.AppendLine().AppendLine("## Fix versions").AppendLine();
            md.AppendLine("| Application | Fix | Base | Newer | Created after | Defines the leftovers | Reason |").AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var f in report.Fixes)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(f.Application)} | {Cell(f.Version)} | {Cell(f.BaseVersion)} | {YesNo(f.IsNewer)} | {YesNo(f.CreatedAfter)} | {Cell(f.DefinesLeftovers)} | {Cell(f.Reason)} |");
        }
        foreach (var warning in report.Warnings) md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"> {Cell(warning)}");
        return md.ToString();
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "**no**", null => "unknown" };

    /// <summary>Text in a table cell: no pipe or line break can break the table.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
