using System.Globalization;
using System.Text;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>
/// On OutSystems Cloud customers cannot restore the platform database; OutSystems Support does
/// (success.outsystems.com, "Cloud service delivery requiring direct assistance"). This is the
/// request to send them, in place of the Database strategy: which environment, the point in time
/// just before the deploy (the rollback point's), a full restore or a parallel copy to recover
/// data from, the data-loss window, and what the operator does after it. Plain text (a support
/// ticket) and Markdown (an approval or pipeline summary) say the same.
/// </summary>
public sealed class CloudSupportRequest
{
    public string Environment { get; set; } = "";
    /// <summary>Restore the platform database to this instant: when the rollback point was taken, just before the deploy.</summary>
    public DateTimeOffset RestoreTo { get; set; }
    /// <summary>The data-loss window of a full restore: from <see cref="RestoreTo"/> to the planning time (it grows until the restore).</summary>
    public DateTimeOffset DataLossTo { get; set; }
    public string Reason { get; set; } = "";
    public string RollbackPointId { get; set; } = "";
    /// <summary>What the operator does after OutSystems Support restored the database.</summary>
    public List<string> StepsAfter { get; set; } = [];

    public string Text { get; set; } = "";
    public string Markdown { get; set; } = "";

    public static CloudSupportRequest Build(string environment, DateTimeOffset restoreTo, DateTimeOffset now, string reason, string rollbackPointId)
    {
        var request = new CloudSupportRequest
        {
            Environment = environment, RestoreTo = restoreTo, DataLossTo = now, Reason = reason, RollbackPointId = rollbackPointId,
            StepsAfter =
            [
                $"Keep {environment} in maintenance mode until the restore is confirmed (Set-OsMaintenanceMode).",
                "Check which versions run (Get-OsApplication -Environment) against the rollback point, and redeploy from LifeTime what differs.",
                "Recover the data written since the restore point from the parallel copy (Compare-OsDatabaseData, Export-OsDataDelta on a copy you can reach).",
                "Smoke-test the applications, then take them out of maintenance mode.",
            ],
        };
        request.Text = request.ToText();
        request.Markdown = request.ToMarkdown();
        return request;
    }

    private string Window => RollbackPlanner.Describe(DataLossTo - RestoreTo);

    private string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Subject: Restore the platform database of the OutSystems Cloud environment {Environment}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Environment: {Environment}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Reason: {Reason}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Restore to: {RestoreTo:u} (just before the deploy; our rollback point {RollbackPointId})");
        text.AppendLine("Please choose with us one of:");
        text.AppendLine("  1. a full restore of the platform database to that point in time, or");
        text.AppendLine("  2. a parallel copy of the database as of that point, which we use to recover data (the live database stays as it is).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Data-loss window of a full restore: everything written after {RestoreTo:u} ({Window} at {DataLossTo:u}, growing until the restore).");
        text.AppendLine("After the restore we will:");
        for (var i = 0; i < StepsAfter.Count; i++) text.AppendLine(CultureInfo.InvariantCulture, $"  {i + 1}. {StepsAfter[i]}");
        return text.ToString();
    }

    private string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Request to OutSystems Support: restore the platform database of {Environment}").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Environment | {RollbackPlanFile.Cell(Environment)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Reason | {RollbackPlanFile.Cell(Reason)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Restore to | {RestoreTo:u} (just before the deploy; rollback point {RollbackPlanFile.Cell(RollbackPointId)}) |");
        md.AppendLine("| Kind | a full restore, or a parallel copy as of that point to recover data from |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Data-loss window | everything written after {RestoreTo:u} ({Window} at {DataLossTo:u}, growing until the restore) |").AppendLine();
        md.AppendLine("After the restore:").AppendLine();
        for (var i = 0; i < StepsAfter.Count; i++) md.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. {StepsAfter[i]}");
        return md.ToString();
    }
}
