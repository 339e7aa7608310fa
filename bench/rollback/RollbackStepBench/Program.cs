// Usage: dotnet run -c Release --project bench/rollback/RollbackStepBench -- [sizeMB=300] [rounds=5]
// Times the database work of the Database strategy's two outage steps exactly as their handlers
// call it (DatabaseServiceAdapter, the IRollbackDatabase of the cmdlets):
//   BackupCurrent   = BackupAsync(live, run folder, "pre-rollback")   vs sqlite3 <live> ".backup <file>"
//   RestoreDatabase = RestoreAsync(live, point backup, pre-rollback)  vs sqlite3 <copy of live> ".restore <point backup>"
// Interleaved round by round on the same files; prints the median of each and the ratio.
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;

var sizeMb = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 300;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "osrollback-step-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
try
{
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
    var results = new Dictionary<string, List<double>>();
    void Time(string name, Action action) => BenchTools.Time(results, name, action);
    void Sqlite3(params string[] a) => BenchTools.Sqlite3(a);
    for (var round = 0; round < rounds; round++)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, "r" + round)).FullName;
        // Same file name as the live database: a restore refuses a backup of another database.
        var target = Path.Combine(dir, "platform.db");
        var baselineTarget = Path.Combine(Directory.CreateDirectory(Path.Combine(dir, "baseline")).FullName, "platform.db");
        File.Copy(live, target);
        File.Copy(live, baselineTarget);
        Time("BackupCurrent: sqlite3 .backup", () => Sqlite3(baselineTarget, $".backup '{Path.Combine(dir, "baseline.bak")}'"));
        var preRollback = default(OsRollback.Engine.Rollback.Ports.BackupRecord);
        Time("BackupCurrent step", () => preRollback = adapter.BackupAsync(new SqliteTarget(target), Path.Combine(dir, "run", "database"), "pre-rollback", NullReporter.Instance, CancellationToken.None).GetAwaiter().GetResult());
        Time("RestoreDatabase: sqlite3 .restore", () => Sqlite3(baselineTarget, $".restore '{point.Path}'"));
        Time("RestoreDatabase step", () => adapter.RestoreAsync(new SqliteTarget(target), point.Path, preRollback!.Path, NullReporter.Instance, CancellationToken.None).GetAwaiter().GetResult());
        Directory.Delete(dir, true);
    }
    double Median(string k) { var s = results[k].OrderBy(x => x).ToList(); return s[(s.Count - 1) / 2]; }
    Console.WriteLine($"Database {size / 1024.0 / 1024:0} MB, median of {rounds} interleaved rounds, {Environment.ProcessorCount} cores.");
    Console.WriteLine("| operation | seconds | MB/s | vs sqlite3 |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var (name, baseline) in new[]
    {
        ("BackupCurrent: sqlite3 .backup", "BackupCurrent: sqlite3 .backup"), ("BackupCurrent step", "BackupCurrent: sqlite3 .backup"),
        ("RestoreDatabase: sqlite3 .restore", "RestoreDatabase: sqlite3 .restore"), ("RestoreDatabase step", "RestoreDatabase: sqlite3 .restore"),
    })
        Console.WriteLine($"| {name} | {Median(name):0.00} | {size / 1024.0 / 1024 / Median(name):0} | {Median(name) / Median(baseline):0.00}x |");
}
finally
{
    Directory.Delete(work, true);
}
