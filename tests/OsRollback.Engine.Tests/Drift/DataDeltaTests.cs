using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

public sealed class DataDeltaTests : IDisposable
{
    private readonly DriftScenario _s = new();
    public void Dispose() => _s.Dispose();

    private DataDeltaExportResult Export(DataCompareOptions? compare = null) =>
        DataDeltaExporter.Export(_s.ProductionTarget, _s.ParallelTarget, _s.File("delta/lost-rows.jsonl"),
            new DataDeltaExportOptions { Compare = compare ?? new DataCompareOptions() }, NullReporter.Instance);

    private List<TableDataDifference> CompareAgain() =>
        new DataComparer(_s.ProductionTarget, _s.ParallelTarget, null, null).Compare().Where(t => t.Status == TableCompareStatus.Compared).ToList();

    [Fact]
    public void Export_writes_a_header_with_counts_and_tables_parents_first()
    {
        var result = Export();
        Assert.Equal((3, 6L, 2L, 1L), (result.Tables, result.Inserted, result.Changed, result.Deleted));
        Assert.Contains(result.Skipped, s => s.StartsWith(DriftScenario.AuditLog, StringComparison.Ordinal));
        var header = DataDeltaFile.ReadHeader(result.Path);
        Assert.Equal(_s.Production, header.Database);
        Assert.Equal(_s.Parallel, header.Source);
        var names = header.Tables.Select(t => t.Table).ToList();
        Assert.True(names.IndexOf(DriftScenario.Customer) < names.IndexOf(DriftScenario.Order), "parents before children");
        Assert.Equal("ID", header.Tables.Single(t => t.Table == DriftScenario.Customer).IdentityColumn);
        var rows = DataDeltaFile.ReadRows(result.Path).ToList();
        Assert.Equal(9, rows.Count);
        Assert.Equal(rows.Select(r => r.Table).Distinct().ToList(), names); // grouped, in header order
        var blob = rows.Single(r => r.Table == DriftScenario.Odd && r.Operation == RowDifferenceKind.Inserted);
        Assert.Equal(new byte[] { 1, 2 }, (byte[])DeltaValueCodec.FromToken(blob.After!["DATA"])!);
        Assert.True(File.Exists(result.ScriptPath));
    }

    [Fact]
    public void Import_reproduces_the_lost_rows_with_their_identity_values()
    {
        var delta = Export();
        var results = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, new DataDeltaImportOptions { IncludeDeletes = true }, NullReporter.Instance);

        Assert.All(CompareAgain(), t => Assert.False(t.HasDifferences, $"{t.Table}: {t.Inserted}/{t.Changed}/{t.Deleted}"));
        Assert.Equal("New 21", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 21"));
        Assert.Equal(21L, DriftScenario.Scalar(_s.Production, "SELECT CUSTOMERID FROM OSUSR_ABC_ORDER WHERE ID = 31"));
        var customer = results.Single(r => r.Table == DriftScenario.Customer);
        Assert.Equal((3L, 1L, 0), (customer.Inserted, customer.Updated, customer.ConflictCount));
        Assert.Equal(1, results.Single(r => r.Table == DriftScenario.Order).Deleted);

        // A verified safety backup was taken first, and holds production as it was.
        var backup = customer.SafetyBackupPath!;
        Assert.True(File.Exists(backup));
        Assert.Equal(20L, DriftScenario.Scalar(backup, "SELECT COUNT(*) FROM OSUSR_ABC_CUSTOMER"));

        // Running it again changes nothing and reports the rows as already applied.
        var again = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, new DataDeltaImportOptions { SafetyBackupPath = backup }, NullReporter.Instance);
        Assert.Equal(4, again.Single(r => r.Table == DriftScenario.Customer).AlreadyApplied);
        Assert.All(again, r => Assert.Equal(0, r.Inserted + r.Updated + r.Deleted));
    }

    [Fact]
    public void Deletes_are_not_applied_unless_asked()
    {
        var delta = Export();
        var results = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, null, NullReporter.Instance);
        Assert.Equal(1, results.Single(r => r.Table == DriftScenario.Order).DeletesSkipped);
        Assert.Equal(1L, DriftScenario.Scalar(_s.Production, "SELECT COUNT(*) FROM OSUSR_ABC_ORDER WHERE ID = 7"));
    }

    [Fact]
    public void Rows_changed_in_production_since_the_restore_are_conflicts_and_left_alone()
    {
        var delta = Export();
        using (var db = DriftScenario.Open(_s.Production))
        {
            DriftScenario.Exec(db, "UPDATE OSUSR_ABC_CUSTOMER SET NAME = 'Edited after restore' WHERE ID = 5");
            DriftScenario.Exec(db, "INSERT INTO OSUSR_ABC_CUSTOMER (ID, NAME) VALUES (23, 'Written after restore')");
        }
        var reporter = new RecordingReporter();
        var results = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, null, reporter);
        var customer = results.Single(r => r.Table == DriftScenario.Customer);
        Assert.Equal(["ID=23", "ID=5"], customer.Conflicts.Select(c => c.Key).Order());
        Assert.All(customer.Conflicts, c => Assert.False(c.Applied));
        Assert.Equal(2, customer.Inserted);
        Assert.Equal("Edited after restore", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 5"));
        Assert.Equal("Written after restore", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
        Assert.Contains(reporter.Warnings, w => w.Contains("2 conflicting rows"));

        var forced = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, new DataDeltaImportOptions { OverwriteConflicts = true }, NullReporter.Instance);
        Assert.All(forced.Single(r => r.Table == DriftScenario.Customer).Conflicts, c => Assert.True(c.Applied));
        Assert.Equal("Renamed 5", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 5"));
        Assert.Equal("New 23", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
    }

    [Fact]
    public void A_failing_table_rolls_the_whole_import_back_and_names_the_safety_backup()
    {
        var delta = Export();
        // A unique index in production that the lost rows violate.
        using (var db = DriftScenario.Open(_s.Production))
            DriftScenario.Exec(db, "PRAGMA foreign_keys = OFF; DELETE FROM OSUSR_ABC_ORDER WHERE ID > 20; CREATE UNIQUE INDEX UX_STATUS ON OSUSR_ABC_ORDER (CUSTOMERID, STATUS); INSERT INTO OSUSR_ABC_ORDER (ID, CUSTOMERID, STATUS) VALUES (100, 22, 'Paid')");
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, null, NullReporter.Instance));
        Assert.Equal("DataDeltaImportFailed", ex.ErrorId);
        Assert.Equal(DriftScenario.Order, ex.Target);
        Assert.Contains("nothing was committed", ex.Message);
        Assert.Contains("before-import", ex.RecommendedAction);
        Assert.Null(DriftScenario.Scalar(_s.Production, "SELECT ID FROM OSUSR_ABC_ORDER WHERE ID = 31"));
        Assert.Null(DriftScenario.Scalar(_s.Production, "SELECT ID FROM OSUSR_ABC_CUSTOMER WHERE ID = 21")); // the parent table written first is rolled back too
    }

    [Fact]
    public void Sql_server_imports_start_with_the_safety_backup_and_stop_when_it_cannot_be_taken()
    {
        var delta = Export();
        var before = File.ReadAllText(delta.Path);
        var target = new SqlServerTarget("127.0.0.1,1", "outsystems") { ConnectTimeoutSeconds = 1 };
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(target, delta.Path, new DataDeltaImportOptions { AllowOtherDatabase = true }, NullReporter.Instance));
        Assert.Equal("DatabaseUnreachable", ex.ErrorId); // the backup service's connection, before any row is written
        Assert.Equal(before, File.ReadAllText(delta.Path));
        // The SQLite-only implementation still refuses a SQL Server target outright.
        ex = Assert.Throws<OsRollbackException>(() => new SqliteSafetyBackup().Take(target, _s.Directory_, NullReporter.Instance));
        Assert.Equal("SafetyBackupRequired", ex.ErrorId);
    }

    [Fact]
    public void A_corrupt_safety_backup_is_refused_before_anything_is_written()
    {
        var delta = Export();
        var bad = _s.File("bad-backup.db");
        File.WriteAllText(bad, "not a database");
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, new DataDeltaImportOptions { SafetyBackupPath = bad }, NullReporter.Instance));
        Assert.Equal("SafetyBackupNotVerified", ex.ErrorId);
        Assert.Equal(20L, DriftScenario.Scalar(_s.Production, "SELECT COUNT(*) FROM OSUSR_ABC_CUSTOMER"));
    }

    [Fact]
    public void Import_into_a_database_without_the_tables_is_refused()
    {
        var delta = Export();
        using var dir = new TempDirectory();
        var other = dir.File("other.db");
        using (var db = DriftScenario.Open(other)) DriftScenario.Exec(db, "CREATE TABLE OSUSR_ABC_CUSTOMER (ID INTEGER PRIMARY KEY)");
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(new SqliteTarget(other), delta.Path, new DataDeltaImportOptions { AllowOtherDatabase = true }, NullReporter.Instance));
        Assert.Equal("DeltaTargetSchemaMismatch", ex.ErrorId);
    }

    [Fact]
    public void The_sqlite_script_reproduces_the_rows_too()
    {
        var delta = Export();
        var script = File.ReadAllText(delta.ScriptPath!);
        Assert.Contains("-- DELETE FROM \"OSUSR_ABC_ORDER\" WHERE \"ID\" = 7;", script);
        using (var db = DriftScenario.Open(_s.Production)) DriftScenario.Exec(db, script);
        var tables = CompareAgain();
        Assert.All(tables, t => Assert.Equal(0, t.Inserted + t.Changed));
        Assert.Equal(1, tables.Single(t => t.Table == DriftScenario.Order).Deleted);
    }

    [Fact]
    public void The_sql_server_script_and_import_statements_parse()
    {
        var delta = Export();
        var writer = new StringWriter();
        DataDeltaScript.Write(delta.Path, DatabaseEngineKind.SqlServer, writer);
        var script = writer.ToString();
        TSql.AssertParses(script);
        Assert.Contains("SET IDENTITY_INSERT [dbo].[OSUSR_ABC_CUSTOMER] ON;", script);
        Assert.Contains("INSERT INTO [dbo].[OSUSR_ABC_Odd \"Name\" [x]]] ([Key \"K\"], [Qty ]]\"' x], [DATA]) VALUES (N'e\"f [g]', 3, 0x0102);", script);
        foreach (var table in DataDeltaFile.ReadHeader(delta.Path).Tables)
            foreach (var statement in DataDeltaImporter.DescribeStatements(DatabaseEngineKind.SqlServer, table))
                TSql.AssertParses(statement);
    }

    [Fact]
    public void Values_round_trip_exactly()
    {
        object?[] values = [null, "x'y", 42L, 1.1, 12.50000000m, true, new DateTime(2026, 2, 1, 12, 0, 0, 123), Guid.NewGuid(), new byte[] { 0, 255 },
            new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.FromHours(2)), TimeSpan.FromMinutes(90)];
        foreach (var v in values)
        {
            var token = DeltaValueCodec.ToToken(v);
            var line = Newtonsoft.Json.JsonConvert.SerializeObject(new Newtonsoft.Json.Linq.JObject { ["v"] = token });
            var back = DeltaValueCodec.FromToken(DataDeltaFile.Parse(line)["v"]);
            Assert.True(DbValues.AreEqual(v, back), $"{v} came back as {back}");
            TSql.AssertParses("SELECT " + DeltaValueCodec.ToLiteral(DatabaseEngineKind.SqlServer, back) + " AS v");
        }
    }
}
