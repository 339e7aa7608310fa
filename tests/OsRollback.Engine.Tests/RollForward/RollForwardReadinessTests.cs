using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.RollForward;
using OsRollback.Engine.Schema;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.RollForward;

/// <summary>
/// A LifeTime rollback of Orders 1.2.0: the point's backup (the base) has no DISCOUNT_CODE; 1.2.0
/// added it and wrote DISC-ERR; the run's plan names 1.2.0 as the version rolled back to 1.1.0.
/// </summary>
public sealed class RollForwardReadinessTests : IDisposable
{
    private static readonly DateTimeOffset Tag120 = new(2026, 10, 13, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly RollbackPoint _point;
    private readonly string _production;
    private readonly string _base;

    public RollForwardReadinessTests()
    {
        _production = _temp.File("production.db");
        _base = _temp.File("base.db");
        SqliteFile.Execute(_production, """
            CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT, IS_ACTIVE INTEGER NOT NULL, VERSION_ID INTEGER);
            CREATE TABLE OSUSR_ORD_ORDER (ID INTEGER PRIMARY KEY, CUSTOMER TEXT NOT NULL);
            INSERT INTO OSUSR_ORD_ORDER VALUES (1, 'ana'), (2, 'bo'), (3, 'cy');
            """);
        File.Copy(_production, _base);
        var folder = Directory.CreateDirectory(_temp.File("point")).FullName;
        SchemaSnapshotFile.Write(Path.Combine(folder, SchemaSnapshotFile.DefaultFileName), SchemaSnapshotReader.Capture(new SqliteTarget(_base), new SchemaCaptureOptions(), NullReporter.Instance));
        _point = RollbackCatalog.Save(folder, new RollbackPointManifest { Id = "Production-20261013-0900", Environment = "Production" });
        var run = Directory.CreateDirectory(Path.Combine(folder, "runs", "plan-1")).FullName;
        var plan = new RollbackPlan { Id = "plan-1", Strategy = RollbackStrategy.LifeTime, Changes = [new ApplicationChange { Name = "Orders", Key = "app-orders", RunningVersion = "1.2.0", RollbackVersion = "1.1.0" }] };
        File.WriteAllText(Path.Combine(run, "plan.json"), RollbackJson.Serialize(plan));
        File.WriteAllText(Path.Combine(run, "report.json"), """{"status":"Succeeded","strategy":"LifeTime","finishedAt":"2026-10-14T10:00:00+00:00"}""");
        // What 1.2.0 did, then what users did after the rollback.
        SqliteFile.Execute(_production, """
            ALTER TABLE OSUSR_ORD_ORDER ADD COLUMN DISCOUNT_CODE TEXT;
            INSERT INTO OSUSR_ORD_ORDER VALUES (4, 'di', 'DISC-ERR'), (5, 'ed', 'DISC-ERR');
            UPDATE OSUSR_ORD_ORDER SET CUSTOMER = 'Ana' WHERE ID = 1;
            DELETE FROM OSUSR_ORD_ORDER WHERE ID = 3;
            """);
    }

    public void Dispose() => _temp.Dispose();

    private Task<RollForwardReport> AssessAsync(params LifeTimeApplicationVersion[] fixes) => RollForwardReadiness.AssessAsync(new RollForwardInputs
    {
        Point = _point,
        Production = new SqliteTarget(_production),
        Base = new SqliteTarget(_base),
        FixVersions = fixes,
        VersionsOf = (key, _) => Task.FromResult<IReadOnlyList<LifeTimeApplicationVersion>>(key == "app-orders"
            ? [new() { Key = "v-110", ApplicationKey = key, Version = "1.1.0", CreatedOn = Tag120.AddDays(-21) }, new() { Key = "v-120", ApplicationKey = key, Version = "1.2.0", CreatedOn = Tag120 }]
            : []),
    }, NullReporter.Instance, CancellationToken.None);

    [Fact]
    public async Task Names_the_rolled_back_version_as_the_base_with_its_LifeTime_key()
    {
        var report = await AssessAsync();

        var b = Assert.Single(report.Base);
        Assert.Equal(("Orders", "1.2.0", "v-120", "1.1.0", "LifeTime"), (b.Application, b.Version, b.VersionKey, b.RolledBackTo, b.Strategy));
        Assert.Equal(Tag120, b.CreatedOn);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task Names_the_column_left_behind_with_its_rows_and_the_rows_changed_since_the_point()
    {
        var report = await AssessAsync();

        var column = Assert.Single(report.LeftBehind);
        Assert.Equal(("OSUSR_ORD_ORDER", "DISCOUNT_CODE", 2L), (column.Table, column.Column, column.RowsWithData));
        var orders = Assert.Single(report.Changes);
        Assert.Equal(("SinceRollbackPoint", 2L, 1L, 1L), (orders.Period, orders.Inserted, orders.Changed, orders.Deleted));
    }

    [Fact]
    public async Task Checks_each_fix_version_against_the_base()
    {
        var report = await AssessAsync(
            new LifeTimeApplicationVersion { Key = "v-121", ApplicationKey = "app-orders", ApplicationName = "Orders", Version = "1.2.1", CreatedOn = Tag120.AddDays(3) },
            new LifeTimeApplicationVersion { Key = "v-115", ApplicationKey = "app-orders", ApplicationName = "Orders", Version = "1.1.5", CreatedOn = Tag120.AddDays(-3) },
            new LifeTimeApplicationVersion { Key = "v-x", ApplicationKey = "app-other", ApplicationName = "Billing", Version = "2.0.0" });

        var (good, old, other) = (report.Fixes[0], report.Fixes[1], report.Fixes[2]);
        Assert.Equal((true, true, "Unknown"), (good.IsNewer, good.CreatedAfter, good.DefinesLeftovers));
        Assert.Contains("Service Studio", good.Reason, StringComparison.Ordinal);
        Assert.Equal((false, false), (old.IsNewer, old.CreatedAfter));
        Assert.Contains("not newer", old.Reason, StringComparison.Ordinal);
        Assert.Null(other.IsNewer);
        Assert.Contains("not rolled back", other.Reason, StringComparison.Ordinal);
        Assert.False(report.Ready);
    }

    [Fact]
    public async Task Without_LifeTime_or_a_readable_base_it_says_what_is_unknown()
    {
        var report = await RollForwardReadiness.AssessAsync(new RollForwardInputs { Point = _point, Production = new SqliteTarget(_production) }, NullReporter.Instance, CancellationToken.None);

        Assert.Null(Assert.Single(report.Base).VersionKey);
        Assert.Contains(report.Warnings, w => w.Contains("No LifeTime connection", StringComparison.Ordinal));
        Assert.Empty(report.Changes);
        Assert.Contains("DeltaBaseHasNoBackup", report.ChangesNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Markdown_for_the_change_ticket_keeps_its_tables_whole()
    {
        var report = await AssessAsync(new LifeTimeApplicationVersion { ApplicationKey = "app-orders", ApplicationName = "Orders", Version = "1.2.1|x\nnext" });

        var markdown = report.ToMarkdown();

        Assert.Contains("| Orders | 1.2.0 | v-120 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| OSUSR_ORD_ORDER | DISCOUNT_CODE |", markdown, StringComparison.Ordinal);
        Assert.Contains("1.2.1\\|x next", markdown, StringComparison.Ordinal);
        var row = Assert.Single(markdown.Split('\n'), l => l.StartsWith("| Orders | 1.2.1", StringComparison.Ordinal));
        Assert.Equal(8, System.Text.RegularExpressions.Regex.Count(row, @"(?<!\\)\|")); // seven cells, the escaped pipe is text
    }
}
