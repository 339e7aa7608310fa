// Usage: dotnet run -c Release --project bench/rollback/RollbackStepBench -- [sizeMB=258] [rounds=7] [--phases]
// Times the database work of the Database strategy's two outage steps exactly as their handlers
// call it (DatabaseServiceAdapter, the IRollbackDatabase of the cmdlets):
//   BackupCurrent   = BackupAsync(live, run folder, "pre-rollback")   vs sqlite3 <live> ".backup <file>"
//   RestoreDatabase = RestoreApprovedAsync(live, point backup, its approved SHA-256, pre-rollback)
//                     vs sqlite3 <copy of live> ".restore <point backup>"; beside them the same restore
//                     without the hash (RestoreAsync, what the step did before the approved hash was checked)
// Built for a loaded machine: step and baseline alternate within each round (which goes first
// alternates from round to round), and the median and minimum of every case are printed with
// the ratio of medians and of minimums, and the load average before and after.
// --phases prints the engine's own phase timings (copy, checks, flush) of the last round.
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Ports;

var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var sizeMb = numbers.Length > 0 ? int.Parse(numbers[0], System.Globalization.CultureInfo.InvariantCulture) : 258;
var rounds = numbers.Length > 1 ? int.Parse(numbers[1], System.Globalization.CultureInfo.InvariantCulture) : 7;
var phases = args.Contains("--phases");
var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "osrollback-step-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
try
{
    var loadBefore = BenchTools.LoadAverage();
    var live = Path.Combine(work, "platform.db");
    using (var c = new SqliteConnection($"Data Source={live};Pooling=False"))
    {
        c.Open();
        using var cmd = c.CreateCommand();
        var rows = sizeMb * 1024L * 1024 / 1200;
        cmd.CommandText = "PRAGMA journal_mode=OFF; CREATE TABLE OSUSR_ORDER (ID INTEGER PRIMARY KEY, CUSTOMER TEXT, PAYLOAD BLOB); CREATE INDEX IX_CUSTOMER ON OSUSR_ORDER(CUSTOMER);" +
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO OSUSR_ORDER SELECT i, 'Customer_' || (i % 9973), randomblob(1000) FROM n; PRAGMA journal_mode=DELETE;";
        cmd.ExecuteNonQuery();
    }
    var size = new FileInfo(live).Length;
    var adapter = new DatabaseServiceAdapter();
    // The rollback point's pre-deploy backup, taken once as New-OsRollbackPoint does.
    var point = adapter.BackupAsync(new SqliteTarget(live), Path.Combine(work, "point"), "pre-deploy", NullReporter.Instance, CancellationToken.None).GetAwaiter().GetResult();
    // The content hash the manifest records and the plan pins (computed when the point is taken, outside the outage).
    string approved;
    using (var file = File.OpenRead(point.Path)) approved = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(file)).ToLowerInvariant();
    var results = new Dictionary<string, List<double>>();
    var recorder = new RecordingReporter();
    for (var round = 0; round < rounds; round++)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, "r" + round)).FullName;
        // Same file name as the live database: a restore refuses a backup of another database.
        var target = Path.Combine(dir, "platform.db");
        var baselineTarget = Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "baseline")).FullName, "platform.db");
        var unhashedTarget = Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "unhashed")).FullName, "platform.db");
        File.Copy(live, target);
        File.Copy(live, baselineTarget);
        File.Copy(live, unhashedTarget);
        IOperationReporter reporter = phases && round == rounds - 1 ? recorder : NullReporter.Instance;
        BackupRecord? preRollback = null;
        var stepFirst = round % 2 == 1;
        Pair(stepFirst,
            () => BenchTools.Time(results, "BackupCurrent: sqlite3 .backup", () => BenchTools.Sqlite3(baselineTarget, $".backup '{Path.Combine(dir, "baseline.bak")}'")),
            () => BenchTools.Time(results, "BackupCurrent step", () => preRollback = adapter.BackupAsync(new SqliteTarget(target), Path.Combine(dir, "run", "database"), "pre-rollback", reporter, CancellationToken.None).GetAwaiter().GetResult()));
        Pair(stepFirst,
            () => BenchTools.Time(results, "RestoreDatabase: sqlite3 .restore", () => BenchTools.Sqlite3(baselineTarget, $".restore '{point.Path}'")),
            () => BenchTools.Time(results, "RestoreDatabase step", () => adapter.RestoreApprovedAsync(new SqliteTarget(target), point.Path, approved, preRollback!.Path, reporter, CancellationToken.None).GetAwaiter().GetResult()));
        // The same restore without the approved hash, over its own copy with its own verified pre-rollback backup (not timed).
        var unhashedSafety = adapter.BackupAsync(new SqliteTarget(unhashedTarget), Path.Combine(dir, "unhashed-run"), "pre-rollback", NullReporter.Instance, CancellationToken.None).GetAwaiter().GetResult();
        BenchTools.Time(results, "RestoreDatabase step without the hash", () => adapter.RestoreAsync(new SqliteTarget(unhashedTarget), point.Path, unhashedSafety.Path, NullReporter.Instance, CancellationToken.None).GetAwaiter().GetResult());
        Directory.Delete(dir, true);
    }
    Console.WriteLine($"Database {size / 1024.0 / 1024:0} MB, {rounds} interleaved rounds, {Environment.ProcessorCount} cores, load average {loadBefore} before, {BenchTools.LoadAverage()} after.");
    Console.WriteLine("| operation | median s | min s | MB/s (median) | vs sqlite3 (medians) | vs sqlite3 (mins) |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
    foreach (var (name, baseline) in new[]
    {
        ("BackupCurrent: sqlite3 .backup", "BackupCurrent: sqlite3 .backup"), ("BackupCurrent step", "BackupCurrent: sqlite3 .backup"),
        ("RestoreDatabase: sqlite3 .restore", "RestoreDatabase: sqlite3 .restore"), ("RestoreDatabase step", "RestoreDatabase: sqlite3 .restore"),
        ("RestoreDatabase step without the hash", "RestoreDatabase: sqlite3 .restore"),
    })
    {
        var (median, min) = (BenchTools.Median(results[name]), results[name].Min());
        Console.WriteLine($"| {name} | {median:0.00} | {min:0.00} | {size / 1024.0 / 1024 / median:0} | {median / BenchTools.Median(results[baseline]):0.00}x | {min / results[baseline].Min():0.00}x |");
    }
    foreach (var line in recorder.Verboses.Where(v => v.Contains(" s)", StringComparison.Ordinal) || v.Contains("Checking", StringComparison.Ordinal))) Console.WriteLine("phase: " + line);
}
finally
{
    Directory.Delete(work, true);
}

// Runs both contenders of one pair, the step first or the baseline first.
static void Pair(bool stepFirst, Action baseline, Action step)
{
    if (stepFirst) { step(); baseline(); }
    else { baseline(); step(); }
}
