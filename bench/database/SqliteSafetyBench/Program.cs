// Usage: dotnet run -c Release --project bench/database/SqliteSafetyBench -- [sizeMB=300] [rounds=5]
// Interleaves, round by round: sqlite3 .backup vs BackupAndVerify, and sqlite3 .restore vs
// Restore over an existing database whose safety backup this run took and verified (the
// cheap re-check). Prints the median of each and the ratio.
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database.Providers;

var sizeMb = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 300;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "osrollback-safety-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
try
{
    var db = Path.Combine(work, "platform.db");
    using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
    {
        c.Open();
        using var cmd = c.CreateCommand();
        var rows = sizeMb * 1024L * 1024 / 1200;
        cmd.CommandText = $"PRAGMA journal_mode=OFF; CREATE TABLE OSSYS_DATA (ID INTEGER PRIMARY KEY, NAME TEXT, PAYLOAD BLOB); CREATE INDEX IX_NAME ON OSSYS_DATA(NAME);" +
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO OSSYS_DATA SELECT i, 'Name_' || i, randomblob(1000) FROM n;";
        cmd.ExecuteNonQuery();
    }
    var size = new FileInfo(db).Length;
    var service = new DatabaseBackupService();
    var results = new Dictionary<string, List<double>>();
    void Time(string name, Action action) => BenchTools.Time(results, name, action);
    void Sqlite3(params string[] a) => BenchTools.Sqlite3(a);
    for (var round = 0; round < rounds; round++)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, "r" + round)).FullName;
        var baseline = Path.Combine(dir, "baseline.db");
        Time("Backup: sqlite3 .backup", () => Sqlite3(db, $".backup '{baseline}'"));
        VerifiedBackup? source = null;
        Time("Backup: BackupAndVerify", () => source = service.BackupAndVerify(new SqliteTarget(db), new BackupOptions { Path = [dir] }, NullReporter.Instance));

        // Two existing targets (copies of the database, changed after the deploy), one per contender.
        var targetA = Path.Combine(dir, "target_a.db");
        var targetB = Path.Combine(dir, "target_b.db");
        File.Copy(db, targetA);
        File.Copy(db, targetB);
        // The safety backup of the target: taken and verified at rollback time, before the timed replace.
        var safetyDir = Directory.CreateDirectory(Path.Combine(dir, "safety")).FullName;
        var safety = service.BackupAndVerify(new SqliteTarget(targetB), new BackupOptions { Path = [safetyDir] }, NullReporter.Instance);
        Time("Restore: sqlite3 .restore (over existing)", () => Sqlite3(targetA, $".restore '{source!.Backup.FilePath[0]}'"));
        Time("Restore: Restore over existing, same-run safety backup", () => service.Restore(new SqliteTarget(targetB), new RestoreOptions
        {
            FilePath = source!.Backup.FilePath, WithReplace = true, AllowOtherDatabase = true,
            SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyEvidence = safety,
        }, NullReporter.Instance));
        Directory.Delete(dir, true);
    }
    double Median(string k) { var s = results[k].OrderBy(x => x).ToList(); return s[(s.Count - 1) / 2]; }
    Console.WriteLine($"Database {size / 1024.0 / 1024:0} MB, median of {rounds} interleaved rounds, {Environment.ProcessorCount} cores.");
    Console.WriteLine("| operation | seconds | MB/s | vs sqlite3 |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var (name, baseline) in new[]
    {
        ("Backup: sqlite3 .backup", "Backup: sqlite3 .backup"), ("Backup: BackupAndVerify", "Backup: sqlite3 .backup"),
        ("Restore: sqlite3 .restore (over existing)", "Restore: sqlite3 .restore (over existing)"), ("Restore: Restore over existing, same-run safety backup", "Restore: sqlite3 .restore (over existing)"),
    })
        Console.WriteLine($"| {name} | {Median(name):0.00} | {size / 1024.0 / 1024 / Median(name):0} | {Median(name) / Median(baseline):0.00}x |");
}
finally
{
    Directory.Delete(work, true);
}
