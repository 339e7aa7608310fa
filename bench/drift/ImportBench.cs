// Import benchmark (Import-OsDataDelta's engine, DataDeltaImporter), driven by Invoke-ImportBenchmark.ps1:
//   prepare <rows> <dir> : base.db (the table, empty), production.db (base + 1% of the keys written
//                          after reopening: every one a conflict), delta.jsonl (one sealed insert per
//                          row, as Export-OsDataDelta writes it) and delta.sql (its script, for sqlite3).
//   import <dir>         : copies production.db to import.db and imports delta.jsonl into it, as the
//                          cmdlet does (seal, validation, base check against base.db, verified safety
//                          backup, one transaction); prints seconds, rows, conflicts and the process's
//                          PeakWorkingSet64 as one JSON line.
//   phases <dir>         : where the import's time goes: the rows read (parse and seal), the validation
//                          without and with the base check, then the whole import; seconds per phase.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Drift;

internal static class ImportBench
{
    private const string Table = "OSUSR_B_ROW";
    private const string Create = "CREATE TABLE OSUSR_B_ROW (ID INTEGER PRIMARY KEY, NAME NVARCHAR(50), AMOUNT DECIMAL(37,8), STATUS NVARCHAR(20), CREATEDON DATETIME)";

    public static void Run(string[] args)
    {
        if (args[0] == "prepare") Prepare(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
        else if (args[0] == "phases") Phases(args[1]);
        else Import(args[1]);
    }

    private static void Prepare(int rows, string dir)
    {
        Directory.CreateDirectory(dir);
        var basePath = Path.Combine(dir, "base.db");
        var production = Path.Combine(dir, "production.db");
        foreach (var f in new[] { basePath, production }) if (File.Exists(f)) File.Delete(f);
        Exec(basePath, Create);
        File.Copy(basePath, production);
        using (var c = Open(production))
        {
            using var tx = c.BeginTransaction();
            using var insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO OSUSR_B_ROW VALUES ($id, 'Written after reopening', 1, 'New', '2026-03-01 10:00:00')";
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            for (var i = 100; i <= rows; i += 100) { id.Value = i; insert.ExecuteNonQuery(); }
            tx.Commit();
        }
        var delta = Path.Combine(dir, "delta.jsonl");
        var header = new DataDeltaHeader
        {
            CreatedAt = DateTimeOffset.UtcNow, Database = Path.GetFullPath(Path.Combine(dir, "import.db")), Source = "parallel.db", Base = basePath, Engine = DatabaseEngineKind.Sqlite,
            Tables = [new DataDeltaTable { Table = Table, KeyColumns = ["ID"], Columns = ["ID", "NAME", "AMOUNT", "STATUS", "CREATEDON"], Inserted = rows }],
        };
        var start = new DateTime(2026, 1, 1);
        string Line(int i) => DataDeltaFile.RowLine(new DataDeltaRow
        {
            Table = Table, Operation = RowDifferenceKind.Inserted, Key = new JObject { ["ID"] = i },
            After = new JObject
            {
                ["ID"] = i, ["NAME"] = "Customer " + i, ["AMOUNT"] = DeltaValueCodec.ToToken(i * 0.25m), ["STATUS"] = (i % 3) switch { 0 => "Open", 1 => "Paid", _ => "Shipped" },
                ["CREATEDON"] = start.AddSeconds(i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            },
        });
        using (var seal = new DataDeltaSeal(DataDeltaFile.HeaderLine(header)))
        {
            for (var i = 1; i <= rows; i++) seal.AddRow(Line(i));
            header.Seal = seal.Finish();
        }
        using (var output = new StreamWriter(delta, false, new UTF8Encoding(false)) { NewLine = "\n" })
        {
            output.WriteLine(DataDeltaFile.HeaderLine(header));
            for (var i = 1; i <= rows; i++) output.WriteLine(Line(i));
        }
        DataDeltaScript.WriteFile(delta, DatabaseEngineKind.Sqlite, Path.Combine(dir, "delta.sql"));
    }

    private static void Import(string dir)
    {
        var target = Path.Combine(dir, "import.db");
        File.Copy(Path.Combine(dir, "production.db"), target, overwrite: true);
        var backups = Path.Combine(dir, "safety");
        if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        Directory.CreateDirectory(backups);
        var sw = Stopwatch.StartNew();
        var results = DataDeltaImporter.Import(new SqliteTarget(target), Path.Combine(dir, "delta.jsonl"), new DataDeltaImportOptions
        {
            Base = new SqliteTarget(Path.Combine(dir, "base.db")), SafetyBackupDirectory = backups,
        }, OsRollback.Engine.Diagnostics.NullReporter.Instance);
        sw.Stop();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            seconds = Math.Round(sw.Elapsed.TotalSeconds, 3),
            inserted = results.Sum(r => r.Inserted),
            conflicts = results.Sum(r => r.ConflictCount),
            peakWorkingSetMiB = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1),
        }));
    }

    private static void Phases(string dir)
    {
        var delta = Path.Combine(dir, "delta.jsonl");
        var header = DataDeltaFile.ReadHeader(delta);
        double Time(Action action)
        {
            var sw = Stopwatch.StartNew();
            action();
            return Math.Round(sw.Elapsed.TotalSeconds, 3);
        }
        var read = Time(() => { foreach (var _ in DataDeltaFile.ReadRows(delta, header.Seal, checkSeal: true)) { } });
        var validate = Time(() => DataDeltaValidator.Validate(delta, header));
        var withBase = Time(() =>
        {
            using var check = new DataDeltaBaseCheck(delta, header.Tables, new SqliteTarget(Path.Combine(dir, "base.db")), OsRollback.Engine.Diagnostics.NullReporter.Instance);
            DataDeltaValidator.Validate(delta, header, check.Check, CancellationToken.None);
            check.Flush();
        });
        var import = Time(() => Import(dir));
        Console.WriteLine(JsonSerializer.Serialize(new { read, validate, validateWithBase = withBase, import }));
    }

    private static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        c.Open();
        return c;
    }

    private static void Exec(string path, string sql)
    {
        using var c = Open(path);
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
