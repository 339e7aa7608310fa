using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>report.html: self-contained, escaped, with the timeline and data recovery.</summary>
public class RollbackHtmlReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static (RollbackResult, RollbackPlan) Sample()
    {
        var plan = new RollbackPlan { Environment = "Production", Reason = "INC <b>1</b>", Strategy = RollbackStrategy.Database };
        plan.Warnings.Add("Data loss: everything written after x");
        var result = new RollbackResult
        {
            Environment = "Production", Strategy = RollbackStrategy.Database, Status = RollbackRunStatus.Failed, StartedAt = T0, FinishedAt = T0.AddSeconds(90),
            DataLossFrom = T0.AddHours(-1), ParallelDatabase = "/backups/parallel.db", FailedStep = 2, Message = "Restore failed: <disk full>",
        };
        result.Steps.Add(new RollbackStepResult { Number = 1, Kind = RollbackStepKind.VerifyRollbackPoint, Title = "Check the rollback point", Status = StepStatus.Finished, StartedAt = T0, FinishedAt = T0.AddSeconds(10) });
        result.Steps.Add(new RollbackStepResult { Number = 2, Kind = RollbackStepKind.RestoreDatabase, Title = "Restore", Status = StepStatus.Failed, StartedAt = T0.AddSeconds(10), FinishedAt = T0.AddSeconds(90) });
        result.Steps.Add(new RollbackStepResult { Number = 3, Kind = RollbackStepKind.SmokeTest, Title = "Smoke test", Status = StepStatus.NotRun });
        return (result, plan);
    }

    [Fact]
    public void Text_is_escaped_and_nothing_is_loaded_from_outside()
    {
        var (result, plan) = Sample();
        var html = RollbackHtmlReport.Render(result, plan);
        Assert.Contains("INC &lt;b&gt;1&lt;/b&gt;", html);
        Assert.Contains("&lt;disk full&gt;", html);
        Assert.DoesNotContain("<b>1</b>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("href=", html);
        Assert.DoesNotContain("src=", html);
    }

    [Fact]
    public void The_timeline_draws_one_bar_per_step_that_ran_scaled_to_its_duration()
    {
        var (result, _) = Sample();
        var svg = RollbackHtmlReport.Timeline(result);
        var widths = System.Text.RegularExpressions.Regex.Matches(svg, "<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\"").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, widths.Count);
        Assert.Equal(8.0, widths[1] / widths[0], 1);
        Assert.Contains("#cf222e", svg);
        Assert.Contains("1 min 30 s", svg);
    }

    [Fact]
    public void Data_recovery_names_the_loss_window_and_the_parallel_database()
    {
        var (result, plan) = Sample();
        var html = RollbackHtmlReport.Render(result, plan);
        Assert.Contains("FAILED", html);
        Assert.Contains("Data written after 2026-12-02 09:00:00Z was removed", html);
        Assert.Contains("/backups/parallel.db", html);
        Assert.Contains("Data loss: everything written after x", html);
    }
}
