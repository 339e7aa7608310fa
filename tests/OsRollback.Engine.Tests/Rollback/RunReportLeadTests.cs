using System.Text.RegularExpressions;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>report.html and report.md lead with the users' outage, the rows to recover and the schema left behind; targets are short.</summary>
public class RunReportLeadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private const string LongPoint = "/tmp/osrollback-tests/5f0c2a9e41d84c0f9e3a7b2d1c6e8f40/catalog/Production/rp-20261202-0958";
    private const string Hostile = "OSUSR_<script>alert(1)</script>|x";

    private static (RollbackResult, RollbackPlan) Sample()
    {
        var plan = new RollbackPlan { Environment = "Production", Reason = "INC-7", Strategy = RollbackStrategy.Database };
        var result = new RollbackResult
        {
            Environment = "Production", Strategy = RollbackStrategy.Database, Status = RollbackRunStatus.Succeeded, StartedAt = T0, FinishedAt = T0.AddMinutes(30),
            DataLossFrom = T0.AddHours(-2), ParallelDatabase = "/var/tmp/osrollback/work/9c1e/platform_OsRollback_1a2b3c4d.db",
            UsersOutage = new UsersOutage { Kind = UsersOutageKind.Offline, From = T0.AddMinutes(2), To = T0.AddMinutes(17), Duration = TimeSpan.FromMinutes(15), Summary = "Offline from 10:02 to 10:17 (UTC), 15 minutes on 2026-12-02." },
            Aftermath = new RunAftermath
            {
                RecoveredRows =
                [
                    new RecoveredTable { Table = "OSUSR_ABC_ORDER", Entity = "Order", Inserted = 1234, Changed = 5, Deleted = 1 },
                    new RecoveredTable { Table = Hostile, Entity = "\"><img src=x onerror=alert(2)>", Inserted = 7 },
                ],
                LeftBehind =
                [
                    new LeftoverSchema { Table = "OSUSR_ABC_ORDER", Column = "DISCOUNTCODE", Entity = "Order", Attribute = "DiscountCode", Module = "Orders_CS", Rows = 321 },
                    new LeftoverSchema { Table = "OSUSR_ABC_COUPON", Entity = "Coupon", Module = "Orders_CS", Rows = 40 },
                ],
            },
        };
        result.Steps.Add(new RollbackStepResult { Number = 1, Kind = RollbackStepKind.VerifyRollbackPoint, Title = "Check the rollback point", Target = LongPoint, Status = StepStatus.Finished, StartedAt = T0, FinishedAt = T0.AddSeconds(10) });
        result.Steps.Add(new RollbackStepResult { Number = 2, Kind = RollbackStepKind.RestoreDatabase, Title = "Restore", Target = @"sql01\outsystems", Status = StepStatus.Finished, StartedAt = T0.AddSeconds(10), FinishedAt = T0.AddMinutes(12) });
        return (result, plan);
    }

    [Fact]
    public void The_page_leads_with_the_outage_then_the_rows_to_recover_then_what_is_left_behind_then_the_rest()
    {
        var (result, plan) = Sample();
        var html = RollbackHtmlReport.Render(result, plan);
        var outage = html.IndexOf("Offline from 10:02 to 10:17 (UTC), 15 minutes", StringComparison.Ordinal);
        var rows = html.IndexOf("Rows to recover from the parallel database", StringComparison.Ordinal);
        var left = html.IndexOf("Tables and columns left behind", StringComparison.Ordinal);
        var run = html.IndexOf("<h2>Run</h2>", StringComparison.Ordinal);
        var steps = html.IndexOf("<h2>Steps</h2>", StringComparison.Ordinal);
        Assert.True(html.IndexOf("</h1>", StringComparison.Ordinal) < outage, "the outage comes right after the title");
        Assert.True(outage < rows && rows < left && left < run && run < steps, $"order: outage {outage}, rows {rows}, left behind {left}, run {run}, steps {steps}");
    }

    [Fact]
    public void Rows_to_recover_are_counted_per_table_with_a_total()
    {
        var (result, plan) = Sample();
        var html = RollbackHtmlReport.Render(result, plan);
        Assert.Contains("<td>OSUSR_ABC_ORDER</td><td>Order</td><td class=\"n\">1,234</td><td class=\"n\">5</td><td class=\"n\">1</td>", html);
        Assert.Contains("<th colspan=\"2\">Total</th><th class=\"n\">1,241</th><th class=\"n\">5</th><th class=\"n\">1</th>", html);
        Assert.Contains("<td>DISCOUNTCODE</td><td>Order.DiscountCode</td><td>Orders_CS</td><td class=\"n\">321</td>", html);
        Assert.Contains("<td>OSUSR_ABC_COUPON</td><td>(whole table)</td><td>Coupon</td><td>Orders_CS</td><td class=\"n\">40</td>", html);
    }

    [Fact]
    public void Hostile_table_and_entity_names_are_escaped_in_the_page_and_the_markdown()
    {
        var (result, plan) = Sample();
        var html = RollbackHtmlReport.Render(result, plan);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("OSUSR_&lt;script&gt;alert(1)&lt;/script&gt;|x", html);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", html);
        var md = RollbackReport.ToMarkdown(result, plan);
        // A pipe in a name does not open a new Markdown cell: the row keeps its 6 cells (7 separators).
        var hostileRow = md.Split('\n').Single(l => l.Contains("alert(1)", StringComparison.Ordinal));
        Assert.Equal(7, Regex.Count(hostileRow, @"(?<!\\)\|"));
    }

    [Fact]
    public void Targets_are_short_with_the_full_value_in_a_title()
    {
        var (result, plan) = Sample();
        var html = RollbackHtmlReport.Render(result, plan);
        Assert.Contains($"<td title=\"{LongPoint}\">rp-20261202-0958</td>", html);
        Assert.Contains(@"<td>sql01\outsystems</td>", html);
        Assert.Contains("<code title=\"/var/tmp/osrollback/work/9c1e/platform_OsRollback_1a2b3c4d.db\">platform_OsRollback_1a2b3c4d.db</code>", html);
        var md = RollbackReport.ToMarkdown(result, plan);
        Assert.Contains("| 1 | Check the rollback point | rp-20261202-0958 | Finished |", md);
    }

    [Theory]
    [InlineData("/tmp/a/b/c/rollback-point/", "rollback-point")]
    [InlineData(@"C:\Users\dba\AppData\Local\Temp\osr\pre-rollback.bak", "pre-rollback.bak")]
    [InlineData(@"\\share\backups\prod\full.bak", "full.bak")]
    [InlineData(@"sql01\outsystems", @"sql01\outsystems")]
    [InlineData("Production", "Production")]
    [InlineData("", "")]
    public void Short_targets_keep_names_and_drop_folders(string target, string expected) => Assert.Equal(expected, ShortTarget.Of(target));

    [Fact]
    public void A_long_name_that_is_not_a_path_is_cut_in_the_middle()
    {
        var text = new string('a', 40) + "-" + new string('z', 40);
        var shortened = ShortTarget.Of(text);
        Assert.Equal(ShortTarget.MaxLength, shortened.Length);
        Assert.StartsWith("aaaa", shortened);
        Assert.EndsWith("zzzz", shortened);
        Assert.Contains("…", shortened);
    }

    [Fact]
    public void The_markdown_leads_with_the_outage_and_the_aftermath()
    {
        var (result, plan) = Sample();
        var md = RollbackReport.ToMarkdown(result, plan);
        var lines = md.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        Assert.StartsWith("# Rollback of Production: succeeded", lines[0]);
        Assert.Equal("**Offline from 10:02 to 10:17 (UTC), 15 minutes on 2026-12-02.**", lines[1].Trim());
        Assert.StartsWith("## Rows to recover from the parallel database platform_OsRollback_1a2b3c4d.db", lines[2]);
        Assert.Contains("| OSUSR_ABC_ORDER | Order | 1,234 | 5 | 1 |  |", md);
        Assert.Contains("| OSUSR_ABC_ORDER | DISCOUNTCODE | Order.DiscountCode | Orders_CS | 321 |", md);
        Assert.True(md.IndexOf("## Tables and columns left behind", StringComparison.Ordinal) < md.IndexOf("| Strategy |", StringComparison.Ordinal));
    }

    private sealed class ThrowingCounter : IRunAftermathCounter
    {
        public IReadOnlyList<LeftoverSchema> LeftBehind(string schemaSnapshotPath, DatabaseTarget database, IOperationReporter reporter) =>
            throw new OsRollbackException("SchemaSnapshotMissing", OsErrorCategory.ObjectNotFound, "no snapshot", null, null);

        public IReadOnlyList<RecoveredTable> Recovered(DatabaseTarget database, string preRollbackBackup, string parallelSuffix, DateTimeOffset? since, IOperationReporter reporter, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Server=sql01;Password=hunter2 refused");
    }

    [Fact]
    public void Counting_that_fails_becomes_a_note_without_secrets_and_never_fails_the_run()
    {
        var point = new RollbackPoint("/tmp/rp", new RollbackPointManifest { Id = "rp" }, "");
        var plan = new RollbackPlan { Id = "0123456789abcdef", Environment = "Production" };
        var aftermath = RunAftermath.Collect(new ThrowingCounter(), plan, point, new SqliteTarget("/tmp/p.db"), "/tmp/pre.db", "/tmp/p_OsRollback_01234567.db", NullReporter.Instance, CancellationToken.None);
        Assert.Empty(aftermath.LeftBehind);
        // The point holds no schema snapshot: that is the note, before the counter is asked.
        Assert.Equal("Not counted (SchemaSnapshotMissing: the rollback point holds no schema snapshot); run Get-OsSchemaDrift.", aftermath.LeftBehindNote);
        Assert.StartsWith("Not counted (InvalidOperationException:", aftermath.RecoveredRowsNote);
        Assert.DoesNotContain("hunter2", aftermath.RecoveredRowsNote);

        var none = RunAftermath.Collect(new ThrowingCounter(), plan, point, null, null, "/tmp/p_OsRollback_01234567.db", NullReporter.Instance, CancellationToken.None);
        Assert.Contains("no database was given to Invoke-OsRollback", none.LeftBehindNote);
        Assert.Contains("Compare-OsDatabaseData", none.RecoveredRowsNote);
    }

    [Fact]
    public void Notes_stand_in_the_page_where_a_count_is_missing()
    {
        var (result, plan) = Sample();
        result.Aftermath = new RunAftermath { RecoveredRowsNote = "Not counted (X: y); run Compare-OsDatabaseData.", LeftBehindNote = "Not counted: no database was given" };
        var html = RollbackHtmlReport.Render(result, plan);
        Assert.Contains("<p class=\"note\">Not counted (X: y); run Compare-OsDatabaseData.</p>", html);
        Assert.Contains("<p class=\"note\">Not counted: no database was given</p>", html);
        result.Aftermath = new RunAftermath();
        html = RollbackHtmlReport.Render(result, plan);
        Assert.Contains("No row differs", html);
        Assert.Contains("None: the database holds no table or column the rollback point&#39;s schema lacks.", html);
    }
}
