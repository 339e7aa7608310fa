using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// A delta is imported only as it was exported: sealed, into application tables, computed against
/// the base production was restored to, into the database it was exported for. Each sequence of
/// the red-team review is reproduced here, including an attacker who seals the edited file again.
/// </summary>
public sealed class DataDeltaSealTests : IDisposable
{
    private readonly DriftScenario _s = new();
    public void Dispose() => _s.Dispose();

    private DataDeltaSources Sources => new()
    {
        Production = _s.ProductionTarget, Base = new SqliteTarget(_s.Backup), Parallel = _s.ParallelTarget, RollbackPointId = "rp-1", Environment = "Production",
    };

    private string Export() => DataDeltaExporter.Export(Sources, _s.File("lost.jsonl"), new DataDeltaExportOptions { IncludeScript = false }, NullReporter.Instance).Path;

    private long Customers => (long)DriftScenario.Scalar(_s.Production, "SELECT COUNT(*) FROM OSUSR_ABC_CUSTOMER")!;

    /// <summary>Rewrites the file with <paramref name="edit"/> applied to (header, rows), sealed again as an attacker would: the seal is no secret.</summary>
    private static void EditAndReseal(string path, Action<JObject, List<JObject>> edit, bool reseal = true)
    {
        var lines = File.ReadAllLines(path);
        var header = JObject.Parse(lines[0]);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(JObject.Parse).ToList();
        edit(header, rows);
        var rowLines = rows.Select(r => r.ToString(Newtonsoft.Json.Formatting.None)).ToList();
        if (reseal)
        {
            using var seal = new DataDeltaSeal(header.ToString(Newtonsoft.Json.Formatting.None));
            foreach (var line in rowLines) seal.AddRow(line);
            header["seal"] = JObject.FromObject(seal.Finish(), Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings { ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver() }));
        }
        File.WriteAllLines(path, rowLines.Prepend(header.ToString(Newtonsoft.Json.Formatting.None)));
    }

    private void AssertNothingImported(long customers)
    {
        Assert.Equal(customers, Customers);
        Assert.Empty(Directory.GetFiles(_s.Directory_, "*before-import*", SearchOption.AllDirectories)); // refused before the safety backup
    }

    [Fact]
    public void The_export_is_sealed_and_an_unchanged_file_imports()
    {
        var path = Export();
        var header = DataDeltaFile.ReadHeader(path);
        Assert.Equal(DataDeltaFile.SealedFormatVersion, header.FormatVersion);
        Assert.Equal(("SHA256", 64), (header.Seal!.Algorithm, header.Seal.Digest.Length));
        Assert.Equal(File.ReadAllLines(path).Length - 1, header.Seal.Rows);
        Assert.Equal("Production", header.Environment);
        DataDeltaImporter.Import(_s.ProductionTarget, path, new DataDeltaImportOptions { Base = new SqliteTarget(_s.Backup) }, NullReporter.Instance);
        Assert.Equal("New 23", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
    }

    [Fact]
    public void A_value_edited_after_the_export_is_DataDeltaTampered()
    {
        var path = Export();
        var customers = Customers;
        EditAndReseal(path, (_, rows) => rows.First(r => (string?)r["op"] == "insert")["after"]!["NAME"] = "Mallory", reseal: false);
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path, null, NullReporter.Instance));
        Assert.Equal("DataDeltaTampered", ex.ErrorId);
        Assert.Contains("Nothing was imported", ex.Message);
        AssertNothingImported(customers);
    }

    [Fact]
    public void A_seal_removed_from_a_sealed_file_is_DataDeltaTampered()
    {
        var path = Export();
        EditAndReseal(path, (header, _) => header.Remove("seal"), reseal: false);
        Assert.Equal("DataDeltaTampered", Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path, null, NullReporter.Instance)).ErrorId);
    }

    [Fact]
    public void An_old_unsealed_delta_is_refused_unless_the_risk_is_accepted_by_name()
    {
        var path = Export();
        var customers = Customers;
        EditAndReseal(path, (header, _) => { header.Remove("seal"); header["formatVersion"] = 2; }, reseal: false);
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path, null, NullReporter.Instance));
        Assert.Equal("DataDeltaUnsealed", ex.ErrorId);
        Assert.Contains("-AllowUnsealedDelta", ex.RecommendedAction);
        AssertNothingImported(customers);

        var reporter = new RecordingReporter();
        DataDeltaImporter.Import(_s.ProductionTarget, path, new DataDeltaImportOptions { AllowUnsealed = true }, reporter);
        Assert.Contains(reporter.Warnings, w => w.Contains("not sealed", StringComparison.Ordinal));
        Assert.Equal("New 23", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void Sequence_3_a_delta_edited_to_write_OSSYS_USER_is_DataDeltaTableNotAllowed(bool resealed, bool unsealedAccepted)
    {
        using (var db = DriftScenario.Open(_s.Production))
            DriftScenario.Exec(db, "CREATE TABLE OSSYS_USER (ID INTEGER PRIMARY KEY, NAME TEXT, USERNAME TEXT, IS_ADMIN INTEGER); INSERT INTO OSSYS_USER VALUES (1, 'Admin', 'admin', 1), (7, 'Eve', 'eve', 0);");
        var path = Export();
        EditAndReseal(path, (header, rows) =>
        {
            if (unsealedAccepted) { header.Remove("seal"); header["formatVersion"] = 2; }
            ((JArray)header["tables"]!).Insert(0, new JObject
            {
                ["table"] = "OSSYS_USER", ["keyColumns"] = new JArray("ID"), ["columns"] = new JArray("ID", "NAME", "USERNAME", "IS_ADMIN"), ["inserted"] = 1, ["changed"] = 1,
            });
            rows.Insert(0, JObject.Parse("""{"table":"OSSYS_USER","op":"update","key":{"ID":7},"before":{"ID":7,"NAME":"Eve","USERNAME":"eve","IS_ADMIN":0},"after":{"ID":7,"NAME":"Eve","USERNAME":"eve","IS_ADMIN":1}}"""));
            rows.Insert(1, JObject.Parse("""{"table":"OSSYS_USER","op":"insert","key":{"ID":99},"after":{"ID":99,"NAME":"Root","USERNAME":"root","IS_ADMIN":1}}"""));
        }, reseal: resealed && !unsealedAccepted);
        var customers = Customers;
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path,
            new DataDeltaImportOptions { AllowUnsealed = unsealedAccepted, Tables = ["OSUSR_*"] }, NullReporter.Instance));
        Assert.Equal("DataDeltaTableNotAllowed", ex.ErrorId);
        Assert.Contains("OSSYS_USER", ex.Message);
        Assert.Equal(0L, DriftScenario.Scalar(_s.Production, "SELECT IS_ADMIN FROM OSSYS_USER WHERE ID = 7"));
        Assert.Equal(2L, DriftScenario.Scalar(_s.Production, "SELECT COUNT(*) FROM OSSYS_USER"));
        AssertNothingImported(customers);
    }

    [Fact]
    public void A_table_the_metamodel_marks_as_a_system_entity_is_DataDeltaTableNotAllowed()
    {
        var path = Export();
        using (var db = DriftScenario.Open(_s.Production))
            DriftScenario.Exec(db, "UPDATE OSSYS_ENTITY SET IS_SYSTEM = 1 WHERE PHYSICAL_TABLE_NAME = 'OSUSR_ABC_ORDER'");
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path, null, NullReporter.Instance));
        Assert.Equal("DataDeltaTableNotAllowed", ex.ErrorId);
        Assert.Contains("system entity", ex.Message);
    }

    [Theory]
    [InlineData("OSUSR_ABC_X", null, true)]
    [InlineData("osusr_abc_x", "dbo", true)]
    [InlineData("OSSYS_USER", null, false)]
    [InlineData("OSLTM_APPLICATION", "dbo", false)]
    [InlineData("OSUSR_ABC_X", "sys", false)]
    [InlineData("X_OSUSR_ABC", null, false)]
    public void Only_OSUSR_tables_in_the_default_schema_are_application_tables(string table, string? schema, bool allowed) =>
        Assert.Equal(allowed, DataDeltaTableRules.IsApplicationTableName(table, schema));

    [Fact]
    public void Sequence_4_a_before_image_copied_from_a_row_written_after_reopening_is_DataDeltaBaseMismatch()
    {
        var path = Export();
        // Users work on the reopened production; the attacker copies the new row into the delta's before image.
        using (var db = DriftScenario.Open(_s.Production))
            DriftScenario.Exec(db, "UPDATE OSUSR_ABC_CUSTOMER SET NAME = 'Edited after reopening' WHERE ID = 5");
        EditAndReseal(path, (_, rows) =>
        {
            var update = rows.Single(r => (string?)r["table"] == DriftScenario.Customer && (string?)r["op"] == "update" && (long)r["key"]!["ID"]! == 5);
            update["before"]!["NAME"] = "Edited after reopening";
        });
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path,
            new DataDeltaImportOptions { Base = new SqliteTarget(_s.Backup) }, NullReporter.Instance));
        Assert.Equal("DataDeltaBaseMismatch", ex.ErrorId);
        Assert.Contains("ID=5", ex.Message);
        Assert.Equal("Edited after reopening", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 5"));
        Assert.Null(DriftScenario.Scalar(_s.Production, "SELECT ID FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
    }

    [Fact]
    public void An_insert_of_a_row_the_base_already_has_is_DataDeltaBaseMismatch()
    {
        var path = Export();
        EditAndReseal(path, (_, rows) =>
        {
            var insert = rows.First(r => (string?)r["table"] == DriftScenario.Customer && (string?)r["op"] == "insert");
            insert["key"]!["ID"] = 1;
            insert["after"]!["ID"] = 1;
        });
        Assert.Equal("DataDeltaBaseMismatch", Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, path,
            new DataDeltaImportOptions { Base = new SqliteTarget(_s.Backup) }, NullReporter.Instance)).ErrorId);
    }

    [Fact]
    public void Sequence_5_a_delta_for_Production_is_refused_for_another_database_and_always_for_another_environment()
    {
        var path = Export();
        var quality = _s.File("quality.db");
        DriftScenario.Copy(_s.Production, quality);
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(new SqliteTarget(quality), path, null, NullReporter.Instance));
        Assert.Equal("DataDeltaWrongDatabase", ex.ErrorId);
        Assert.Contains("-AllowOtherDatabase", ex.RecommendedAction);

        // The switch does not open another environment's platform database.
        ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(new SqliteTarget(quality), path,
            new DataDeltaImportOptions { AllowOtherDatabase = true, TargetEnvironment = "Quality" }, NullReporter.Instance));
        Assert.Equal("DataDeltaWrongDatabase", ex.ErrorId);
        Assert.Contains("Quality", ex.Message);
        Assert.Null(DriftScenario.Scalar(quality, "SELECT ID FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
        Assert.Empty(Directory.GetFiles(_s.Directory_, "*before-import*", SearchOption.AllDirectories));

        // A copy no environment claims, by explicit choice: imported, with a warning.
        var reporter = new RecordingReporter();
        DataDeltaImporter.Import(new SqliteTarget(quality), path, new DataDeltaImportOptions { AllowOtherDatabase = true }, reporter);
        Assert.Equal("New 23", DriftScenario.Scalar(quality, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
        Assert.Contains(reporter.Warnings, w => w.Contains("-AllowOtherDatabase", StringComparison.Ordinal));
    }

    [Fact]
    public void The_database_exported_for_reached_through_a_symbolic_link_is_the_same_database()
    {
        if (OperatingSystem.IsWindows()) return; // creating symbolic links needs a privilege there
        var path = Export();
        var link = _s.File("production-link.db");
        File.CreateSymbolicLink(link, _s.Production);
        DataDeltaImporter.Import(new SqliteTarget(link), path, null, NullReporter.Instance);
        Assert.Equal("New 23", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
    }
}
