using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>
/// Recovery after users worked again on the restored production: base = the rollback point's
/// backup, theirs = the parallel database, ours = production now.
/// </summary>
public sealed class ThreeWayRecoveryTests : IDisposable
{
    private readonly DriftScenario _s = new();
    public void Dispose() => _s.Dispose();

    private DataDeltaSources Sources => new() { Production = _s.ProductionTarget, Base = new SqliteTarget(_s.Backup), Parallel = _s.ParallelTarget, RollbackPointId = "rp-1" };

    /// <summary>Writes after reopening, without an identity reseed: the new customer takes the lost customer's id 21.</summary>
    private void UsersWorkAgain()
    {
        using var db = DriftScenario.Open(_s.Production);
        DriftScenario.Exec(db, """
            INSERT INTO OSUSR_ABC_CUSTOMER (ID, NAME, EMAIL) VALUES (21, 'Written after reopening', 'after@example.com');
            INSERT INTO OSUSR_ABC_ORDER (ID, CUSTOMERID, AMOUNT, STATUS) VALUES (33, 21, 7, 'New after reopening');
            UPDATE OSUSR_ABC_CUSTOMER SET NAME = 'Edited after reopening' WHERE ID = 5;
            UPDATE OSUSR_ABC_CUSTOMER SET EMAIL = 'edited3@example.com' WHERE ID = 3;
            """);
    }

    [Fact]
    public void Rows_written_after_reopening_survive_and_lost_rows_come_back_or_are_conflicts()
    {
        UsersWorkAgain();
        var delta = DataDeltaExporter.Export(Sources, _s.File("lost.jsonl"), null, NullReporter.Instance);
        var results = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, new DataDeltaImportOptions { IncludeDeletes = true }, NullReporter.Instance);

        // Every write after reopening is unchanged.
        Assert.Equal("Written after reopening", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 21"));
        Assert.Equal("Edited after reopening", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 5"));
        Assert.Equal("edited3@example.com", DriftScenario.Scalar(_s.Production, "SELECT EMAIL FROM OSUSR_ABC_CUSTOMER WHERE ID = 3"));
        Assert.Equal("New after reopening", DriftScenario.Scalar(_s.Production, "SELECT STATUS FROM OSUSR_ABC_ORDER WHERE ID = 33"));
        // Lost inserts without a collision are back; the lost delete of an untouched row is applied.
        Assert.Equal("New 23", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 23"));
        Assert.Equal(22L, DriftScenario.Scalar(_s.Production, "SELECT CUSTOMERID FROM OSUSR_ABC_ORDER WHERE ID = 32"));
        Assert.Null(DriftScenario.Scalar(_s.Production, "SELECT ID FROM OSUSR_ABC_ORDER WHERE ID = 7"));

        var customer = results.Single(r => r.Table == DriftScenario.Customer);
        Assert.Equal(["ID=21", "ID=5"], customer.Conflicts.Select(c => c.Key).Order());
        var collision = customer.Conflicts.Single(c => c.Key == "ID=21");
        Assert.Null(collision.Base);
        Assert.Equal("New 21", collision.Theirs!["NAME"]);
        Assert.Equal("Written after reopening", collision.Ours!["NAME"]);
        var edit = customer.Conflicts.Single(c => c.Key == "ID=5");
        Assert.Equal(("Customer 5", "Renamed 5", "Edited after reopening"), (edit.Base!["NAME"], edit.Theirs!["NAME"], edit.Ours!["NAME"]));
        // The lost order of the lost customer 21 must not attach to the new customer 21.
        var order = results.Single(r => r.Table == DriftScenario.Order);
        var child = Assert.Single(order.Conflicts);
        Assert.Equal("ID=31", child.Key);
        Assert.Contains("parent OSUSR_ABC_CUSTOMER ID=21", child.Reason);
        Assert.Null(DriftScenario.Scalar(_s.Production, "SELECT ID FROM OSUSR_ABC_ORDER WHERE ID = 31"));
        Assert.All(results.SelectMany(r => r.Conflicts), c => Assert.False(c.Applied));
    }

    [Fact]
    public void Conflicts_are_applied_only_with_OverwriteConflicts()
    {
        UsersWorkAgain();
        var delta = DataDeltaExporter.Export(Sources, _s.File("lost.jsonl"), null, NullReporter.Instance);
        var results = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, new DataDeltaImportOptions { OverwriteConflicts = true }, NullReporter.Instance);
        Assert.All(results.SelectMany(r => r.Conflicts), c => Assert.True(c.Applied));
        Assert.Equal("Renamed 5", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 5"));
        Assert.Equal("New 21", DriftScenario.Scalar(_s.Production, "SELECT NAME FROM OSUSR_ABC_CUSTOMER WHERE ID = 21"));
        // A row with no lost change is never touched, even with the switch.
        Assert.Equal("edited3@example.com", DriftScenario.Scalar(_s.Production, "SELECT EMAIL FROM OSUSR_ABC_CUSTOMER WHERE ID = 3"));
    }

    [Fact]
    public void The_delta_records_the_base_and_parallel_version_of_each_lost_change()
    {
        UsersWorkAgain();
        var delta = DataDeltaExporter.Export(Sources, _s.File("lost.jsonl"), null, NullReporter.Instance);
        var header = DataDeltaFile.ReadHeader(delta.Path);
        Assert.Equal((3, _s.Backup, _s.Production, _s.Parallel, "rp-1"), (header.FormatVersion, header.Base, header.Database, header.Source, header.RollbackPointId));
        var update = DataDeltaFile.ReadRows(delta.Path).Single(r => r.Table == DriftScenario.Customer && r.Operation == RowDifferenceKind.Changed);
        Assert.Equal(("Customer 5", "Renamed 5"), ((string?)update.Before!["NAME"], (string?)update.After!["NAME"])); // base, not production's edit
        // Lost changes do not depend on what production did after reopening: 6 inserted, 2 changed, 1 deleted as before.
        Assert.Equal((6L, 2L, 1L), (delta.Inserted, delta.Changed, delta.Deleted));
    }

    [Fact]
    public void A_lost_child_of_a_parent_production_deleted_is_a_conflict_never_applied()
    {
        using (var db = DriftScenario.Open(_s.Parallel))
            DriftScenario.Exec(db, "INSERT INTO OSUSR_ABC_ORDER (ID, CUSTOMERID, AMOUNT, STATUS) VALUES (40, 4, 1, 'Lost')");
        using (var db = DriftScenario.Open(_s.Production))
            DriftScenario.Exec(db, "DELETE FROM OSUSR_ABC_ORDER WHERE CUSTOMERID = 4; DELETE FROM OSUSR_ABC_CUSTOMER WHERE ID = 4");
        var delta = DataDeltaExporter.Export(Sources, _s.File("lost.jsonl"), null, NullReporter.Instance);
        var results = DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, new DataDeltaImportOptions { OverwriteConflicts = true }, NullReporter.Instance);
        var conflict = results.Single(r => r.Table == DriftScenario.Order).Conflicts.Single(c => c.Key == "ID=40");
        Assert.Contains("OSUSR_ABC_CUSTOMER ID=4 does not exist", conflict.Reason);
        Assert.False(conflict.Applied);
        Assert.Null(DriftScenario.Scalar(_s.Production, "SELECT ID FROM OSUSR_ABC_ORDER WHERE ID = 40"));
        Assert.Equal(32L, DriftScenario.Scalar(_s.Production, "SELECT ID FROM OSUSR_ABC_ORDER WHERE ID = 32")); // the rest is applied
    }

    [Fact]
    public void A_version_1_delta_is_refused_for_import_before_anything_is_written()
    {
        var delta = DataDeltaExporter.Export(Sources, _s.File("lost.jsonl"), new DataDeltaExportOptions { IncludeScript = false }, NullReporter.Instance);
        var lines = File.ReadAllLines(delta.Path);
        lines[0] = lines[0].Replace("\"formatVersion\":3", "\"formatVersion\":1");
        File.WriteAllLines(delta.Path, lines);
        var ex = Assert.Throws<OsRollbackException>(() => DataDeltaImporter.Import(_s.ProductionTarget, delta.Path, null, NullReporter.Instance));
        Assert.Equal("DataDeltaNotThreeWay", ex.ErrorId);
        Assert.Contains("Nothing was imported", ex.Message);
        Assert.Equal(20L, DriftScenario.Scalar(_s.Production, "SELECT COUNT(*) FROM OSUSR_ABC_CUSTOMER"));
        Assert.Empty(Directory.GetFiles(_s.Directory_, "*before-import*", SearchOption.AllDirectories)); // refused before the safety backup
    }
}
