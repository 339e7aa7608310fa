// Usage: dotnet run -c Release --project bench/drift -- <rows> [workDir]
// Builds two SQLite databases with one OSUSR table of <rows> rows (1% of the rows changed in
// the second), then times, in the same run and on the same files:
//   except   : DataComparer, SqlExcept method (SQLite computes both EXCEPTs ordered by key, .NET merges
//              the differing rows; the default for two SQLite files);
//   merge    : DataComparer, StreamingMerge method (both sides streamed in key order, merged in .NET;
//              the method used on SQL Server); both with a callback receiving every differing row;
//   export   : the three-way export, DataDeltaExporter with base = the first file and parallel = the
//              second (SqlExcept compare + both row versions written as a delta file, no script);
//   baseline : SQLite itself, ATTACH + EXCEPT both ways (counts only, no row detail).
// Each is run twice and the faster run kept. The peak working set is sampled during our compare
// (and the process peak is printed too). Prints one JSON line.
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Drift;

if (args.Length > 0 && args[0] is "prepare" or "import" or "phases") { ImportBench.Run(args); return; }

var rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
var dir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "osrollback-bench-drift");
Directory.CreateDirectory(dir);
var a = Path.Combine(dir, $"current-{rows}.db");
var b = Path.Combine(dir, $"reference-{rows}.db");

double tableSeconds = 0;
var build = Stopwatch.StartNew();
if (!File.Exists(a) || !File.Exists(b)) Build(a, b, rows);
build.Stop();

(double Seconds, long Differences, long PeakBytes) Ours(DataCompareMethod method)
{
    GC.Collect();
    long peak = 0;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        var p = Process.GetCurrentProcess();
        while (!stop.IsCancellationRequested)
        {
            p.Refresh();
            peak = Math.Max(peak, p.WorkingSet64);
            await Task.Delay(20);
        }
    });
    var sw = Stopwatch.StartNew();
    long differences = 0;
    tableSeconds = 0;
    var comparer = new DataComparer(new SqliteTarget(a), new SqliteTarget(b), new DataCompareOptions { Method = method }, null);
    foreach (var t in comparer.Compare(row => { if (row.ChangedColumns.Count > 0) differences++; })) tableSeconds += t.Duration.TotalSeconds;
    sw.Stop();
    stop.Cancel();
    sampler.Wait();
    Console.Error.WriteLine($"{method}: {sw.Elapsed.TotalSeconds:0.000} s in all, {tableSeconds:0.000} s comparing the table");
    return (sw.Elapsed.TotalSeconds, differences, peak);
}

(double Seconds, long Differences, long PeakBytes) Export()
{
    GC.Collect();
    long peak = 0;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        var p = Process.GetCurrentProcess();
        while (!stop.IsCancellationRequested)
        {
            p.Refresh();
            peak = Math.Max(peak, p.WorkingSet64);
            await Task.Delay(20);
        }
    });
    var path = Path.Combine(dir, $"delta-{rows}.jsonl");
    var sw = Stopwatch.StartNew();
    var result = DataDeltaExporter.Export(new DataDeltaSources { Production = new SqliteTarget(a), Base = new SqliteTarget(a), Parallel = new SqliteTarget(b) },
        path, new DataDeltaExportOptions { IncludeScript = false, Compare = new DataCompareOptions { Method = DataCompareMethod.SqlExcept } }, OsRollback.Engine.Diagnostics.NullReporter.Instance);
    sw.Stop();
    stop.Cancel();
    sampler.Wait();
    Console.Error.WriteLine($"export: {sw.Elapsed.TotalSeconds:0.000} s, {new FileInfo(path).Length / 1048576.0:0.0} MiB written");
    File.Delete(path);
    return (sw.Elapsed.TotalSeconds, result.Inserted + result.Changed + result.Deleted, peak);
}

(double Seconds, long Differences) Baseline()
{
    var sw = Stopwatch.StartNew();
    using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = a, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
    c.Open();
    using var cmd = c.CreateCommand();
    cmd.CommandText = "ATTACH DATABASE $b AS ref";
    cmd.Parameters.AddWithValue("$b", b);
    cmd.ExecuteNonQuery();
    cmd.Parameters.Clear();
    cmd.CommandText = """
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM main.OSUSR_B_ROW EXCEPT SELECT * FROM ref.OSUSR_B_ROW))
             + (SELECT COUNT(*) FROM (SELECT * FROM ref.OSUSR_B_ROW EXCEPT SELECT * FROM main.OSUSR_B_ROW))
        """;
    var n = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    sw.Stop();
    return (sw.Elapsed.TotalSeconds, n);
}

var baseline = new[] { Baseline(), Baseline() }.MinBy(r => r.Seconds);
var ours = new[] { Ours(DataCompareMethod.SqlExcept), Ours(DataCompareMethod.SqlExcept) }.MinBy(r => r.Seconds);
var merge = new[] { Ours(DataCompareMethod.StreamingMerge), Ours(DataCompareMethod.StreamingMerge) }.MinBy(r => r.Seconds);
var export = new[] { Export(), Export() }.MinBy(r => r.Seconds);
Console.WriteLine(JsonSerializer.Serialize(new
{
    rows,
    changed = ours.Differences,
    exceptRows = baseline.Differences,
    mergeChanged = merge.Differences,
    baselineSeconds = Math.Round(baseline.Seconds, 3),
    exceptSeconds = Math.Round(ours.Seconds, 3),
    exceptSpeedVsBaseline = Math.Round(baseline.Seconds / ours.Seconds, 2),
    exceptPeakWorkingSetMiB = Math.Round(ours.PeakBytes / 1048576.0, 1),
    exportRows = export.Differences,
    exportSeconds = Math.Round(export.Seconds, 3),
    exportSpeedVsBaseline = Math.Round(baseline.Seconds / export.Seconds, 2),
    exportPeakWorkingSetMiB = Math.Round(export.PeakBytes / 1048576.0, 1),
    mergeSeconds = Math.Round(merge.Seconds, 3),
    mergeSpeedVsBaseline = Math.Round(baseline.Seconds / merge.Seconds, 2),
    mergeRowsPerSecond = Math.Round(2.0 * rows / merge.Seconds),
    mergePeakWorkingSetMiB = Math.Round(merge.PeakBytes / 1048576.0, 1),
    processPeakWorkingSetMiB = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
    buildSeconds = Math.Round(build.Elapsed.TotalSeconds, 1),
}));

static void Build(string a, string b, int rows)
{
    foreach (var f in new[] { a, b }) if (File.Exists(f)) File.Delete(f);
    using (var c = new SqliteConnection($"Data Source={a};Pooling=False"))
    {
        c.Open();
        using var create = c.CreateCommand();
        create.CommandText = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; CREATE TABLE OSUSR_B_ROW (ID INTEGER PRIMARY KEY, NAME NVARCHAR(50), AMOUNT DECIMAL(37,8), STATUS NVARCHAR(20), CREATEDON DATETIME)";
        create.ExecuteNonQuery();
        using var tx = c.BeginTransaction();
        using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO OSUSR_B_ROW VALUES ($id, $name, $amount, $status, $created)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var amount = insert.Parameters.Add("$amount", SqliteType.Real);
        var status = insert.Parameters.Add("$status", SqliteType.Text);
        var created = insert.Parameters.Add("$created", SqliteType.Text);
        var start = new DateTime(2026, 1, 1);
        for (var i = 1; i <= rows; i++)
        {
            id.Value = i;
            name.Value = "Customer " + i;
            amount.Value = i * 0.25;
            status.Value = (i % 3) switch { 0 => "Open", 1 => "Paid", _ => "Shipped" };
            created.Value = start.AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }
    File.Copy(a, b);
    using (var c = new SqliteConnection($"Data Source={b};Pooling=False"))
    {
        c.Open();
        using var update = c.CreateCommand();
        update.CommandText = "UPDATE OSUSR_B_ROW SET AMOUNT = AMOUNT + 1, STATUS = 'Changed' WHERE ID % 100 = 0";
        update.ExecuteNonQuery();
    }
}
