using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>A run writes its report leading with the outage from its own journal, the counts of its aftermath port, and the marked module graph.</summary>
public class RunReportScenarioTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private sealed class FixedCounter : IRunAftermathCounter
    {
        public List<string> Calls { get; } = [];

        public IReadOnlyList<LeftoverSchema> LeftBehind(string schemaSnapshotPath, DatabaseTarget database, IOperationReporter reporter)
        {
            Calls.Add($"LeftBehind {database.DisplayName}");
            return [new LeftoverSchema { Table = "OSUSR_ORD_COUPON", Entity = "Coupon", Rows = 12 }];
        }

        public IReadOnlyList<RecoveredTable> Recovered(DatabaseTarget database, string preRollbackBackup, string parallelSuffix, DateTimeOffset? since, IOperationReporter reporter, CancellationToken cancellationToken)
        {
            Calls.Add($"Recovered {database.DisplayName}");
            return [new RecoveredTable { Table = "OSUSR_ORD_ORDER", Entity = "Order", Inserted = 42 }];
        }
    }

    [Fact]
    public async Task A_database_run_reports_the_outage_from_its_journal_its_aftermath_and_the_marked_graph()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var counter = new FixedCounter();
        var world = s.World.Ports();
        var ports = new RollbackPorts
        {
            Procedure = world.Procedure, Platform = world.Platform, Database = world.Database, Schema = world.Schema, Smoke = world.Smoke,
            Firewall = world.Firewall, ModuleGraph = world.ModuleGraph, Identity = world.Identity, Aftermath = counter,
        };
        var time = new FakeTimeProvider(Start) { AutoAdvanceAmount = TimeSpan.FromSeconds(7) };

        var result = await s.ExecuteAsync(plan, executor: new RollbackRun(s.Catalog, ports, time));

        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        var journal = RollbackJournal.ReadEntries(result.JournalPath);
        var offline = plan.Steps.First(st => st.Kind == RollbackStepKind.MaintenanceOn).Number;
        var online = plan.Steps.Last(st => st.Kind == RollbackStepKind.FirewallOnline).Number;
        var outage = result.UsersOutage!;
        Assert.Equal(journal.First(e => e.Step == offline && e.Event == JournalEvent.Started).At, outage.From);
        Assert.Equal(journal.Last(e => e.Step == online && e.Event == JournalEvent.Finished).At, outage.To);
        Assert.StartsWith("Offline from 10:0", outage.Summary);
        Assert.Equal([$"LeftBehind {s.Database.DisplayName}", $"Recovered {s.Database.DisplayName}"], counter.Calls);

        var html = File.ReadAllText(Path.ChangeExtension(result.MarkdownReportPath, ".html"));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(outage.Summary), html);
        Assert.Contains("<td>OSUSR_ORD_ORDER</td><td>Order</td><td class=\"n\">42</td>", html);
        Assert.Contains("<td>OSUSR_ORD_COUPON</td><td>(whole table)</td><td>Coupon</td><td></td><td class=\"n\">12</td>", html);
        var md = File.ReadAllText(result.MarkdownReportPath);
        Assert.Contains($"**{outage.Summary}**", md);

        // The graph beside the report, inline in it too: titled with the environment, every republished module marked.
        Assert.Equal(Path.Combine(Path.GetDirectoryName(result.MarkdownReportPath)!, RunModuleGraph.FileName), result.ModuleGraphPath);
        var svg = XDocument.Load(result.ModuleGraphPath!);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.StartsWith("Modules of Production: Database rollback of 2026-12-02 10:00 UTC", svg.Root!.Attribute("aria-label")!.Value);
        var republished = plan.Steps.OfType<PublishModuleWaveStep>().SelectMany(w => w.Modules).Select(m => m.Name)
            .Concat(plan.Steps.OfType<PublishAllComponentsStep>().SelectMany(a => a.Modules).Select(m => m.Name)).Distinct().ToList();
        Assert.NotEmpty(republished);
        Assert.Equal(republished.Count, svg.Descendants(ns + "circle").Count());
        var changed = s.Point.Manifest.Applications.Where(a => plan.Changes.Any(c => c.Key == a.Key)).SelectMany(a => a.Modules).Select(m => m.Name).ToList();
        Assert.NotEmpty(changed);
        Assert.Equal(changed.Count, svg.Descendants(ns + "rect").Count(r => (string?)r.Attribute("fill") == "#fff1c2" && (string?)r.Attribute("width") == "190"));
        Assert.Contains("<div class=\"graph\"><svg ", html);
        Assert.DoesNotContain(s.Temp.Path, svg.ToString());
    }

    [Fact]
    public async Task Without_a_counter_the_report_says_the_rows_were_not_counted()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var result = await s.ExecuteAsync(plan);
        Assert.Contains("this host counts no rows", result.Aftermath!.LeftBehindNote);
        Assert.Contains("Compare-OsDatabaseData", result.Aftermath.RecoveredRowsNote);
    }
}
