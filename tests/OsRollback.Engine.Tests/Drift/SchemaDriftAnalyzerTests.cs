using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Schema;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

public sealed class SchemaDriftAnalyzerTests : IDisposable
{
    private readonly DriftScenario _s = new();
    public void Dispose() => _s.Dispose();

    // The parallel database is what production looked like with the bad version in place
    // (and what it still looks like after a module-level rollback: OutSystems drops nothing).
    private IReadOnlyList<SchemaDriftItem> Drift() =>
        SchemaDriftAnalyzer.Compare(SchemaSnapshotFile.Read(Path.Combine(_s.RollbackPoint, "schema-snapshot.json")), _s.ParallelTarget, null, NullReporter.Instance);

    [Fact]
    public void Finds_the_table_column_and_index_the_bad_version_added_with_entity_module_and_rows()
    {
        var items = Drift();
        Assert.Equal(3, items.Count);

        var table = items.Single(i => i.Kind == SchemaDriftKind.TableAdded);
        Assert.Equal((DriftScenario.Voucher, "Voucher", "Sales_CS", 3L), (table.Table, table.Entity, table.Module, table.RowsWithData));
        Assert.Contains("Keep it", table.Recommendation);

        var column = items.Single(i => i.Kind == SchemaDriftKind.ColumnAdded);
        Assert.Equal((DriftScenario.Customer, "LOYALTYTIER", "Customer", "LoyaltyTier", "Sales_CS", 1L),
            (column.Table, column.Column, column.Entity, column.Attribute, column.Module, column.RowsWithData));
        Assert.Equal("NVARCHAR(20) NULL", column.CurrentDefinition);

        var index = items.Single(i => i.Kind == SchemaDriftKind.IndexAdded);
        Assert.Equal((DriftScenario.Order, "IX_ORDER_STATUS"), (index.Table, index.Index));
    }

    [Fact]
    public void After_a_restore_the_database_matches_its_snapshot()
    {
        var items = SchemaDriftAnalyzer.Compare(_s.Snapshot, _s.ProductionTarget, null, NullReporter.Instance);
        Assert.Empty(items);
    }

    [Fact]
    public void Compares_with_a_second_database_and_reports_what_is_missing()
    {
        // Reference = the parallel database, now = production after the restore.
        var reference = SchemaSnapshotReader.Capture(_s.ParallelTarget, null, NullReporter.Instance);
        var items = SchemaDriftAnalyzer.Compare(reference, _s.ProductionTarget, null, NullReporter.Instance);
        Assert.Contains(items, i => i.Kind == SchemaDriftKind.TableMissing && i.Table == DriftScenario.Voucher);
        Assert.Contains(items, i => i.Kind == SchemaDriftKind.ColumnMissing && i.Column == "LOYALTYTIER");
        Assert.Contains(items, i => i.Kind == SchemaDriftKind.IndexMissing && i.Index == "IX_ORDER_STATUS");
    }

    [Fact]
    public void Type_and_length_changes_are_reported()
    {
        var before = SchemaSnapshotReader.Capture(_s.ProductionTarget, null, NullReporter.Instance);
        var after = SchemaSnapshotFile.Read(Path.Combine(_s.RollbackPoint, "schema-snapshot.json"));
        after.FindTable(DriftScenario.Customer)!.FindColumn("EMAIL")!.MaxLength = 500;
        after.FindTable(DriftScenario.Order)!.FindColumn("AMOUNT")!.DataType = "FLOAT";
        var items = SchemaDriftAnalyzer.Compare(before, after);
        var email = items.Single(i => i.Column == "EMAIL");
        Assert.Equal((SchemaDriftKind.ColumnChanged, "NVARCHAR(250) NULL", "NVARCHAR(500) NULL"), (email.Kind, email.ReferenceDefinition, email.CurrentDefinition));
        Assert.Contains(items, i => i.Column == "AMOUNT" && i.Kind == SchemaDriftKind.ColumnChanged);
    }

    [Fact]
    public void The_sqlite_cleanup_script_drops_only_empty_objects_and_runs()
    {
        // Empty the column so that its drop is active; the voucher table keeps its rows.
        using (var db = DriftScenario.Open(_s.Parallel)) DriftScenario.Exec(db, "UPDATE OSUSR_ABC_CUSTOMER SET LOYALTYTIER = NULL");
        var items = Drift();
        var script = SchemaDriftAnalyzer.WriteCleanupScript(items, DatabaseEngineKind.Sqlite, _s.Parallel);
        Assert.Contains("-- DROP TABLE \"OSUSR_ABC_VOUCHER\";", script);
        Assert.Contains("\nALTER TABLE \"OSUSR_ABC_CUSTOMER\" DROP COLUMN \"LOYALTYTIER\";", script);

        using (var db = DriftScenario.Open(_s.Parallel)) DriftScenario.Exec(db, script);
        var after = SchemaDriftAnalyzer.Compare(_s.Snapshot, _s.ParallelTarget, null, NullReporter.Instance);
        Assert.Equal(SchemaDriftKind.TableAdded, Assert.Single(after).Kind);
    }

    [Fact]
    public void The_sql_server_cleanup_script_parses_with_awkward_names()
    {
        var items = new List<SchemaDriftItem>
        {
            new() { Kind = SchemaDriftKind.TableAdded, Table = "OSUSR_X_T ]'\"", Schema = "dbo", RowsWithData = 0 },
            new() { Kind = SchemaDriftKind.TableAdded, Table = "OSUSR_X_Full\nDROP TABLE x", Schema = "dbo", RowsWithData = 5 },
            new() { Kind = SchemaDriftKind.ColumnAdded, Table = "OSUSR_X [A]", Schema = "dbo", Column = "C ]'x", RowsWithData = 0 },
            new() { Kind = SchemaDriftKind.ColumnAdded, Table = "OSUSR_X_B", Schema = "dbo", Column = "D", RowsWithData = 2 },
            new() { Kind = SchemaDriftKind.IndexAdded, Table = "OSUSR_X_B", Schema = "dbo", Index = "IX ]x" },
            new() { Kind = SchemaDriftKind.ColumnChanged, Table = "OSUSR_X_B", Schema = "dbo", Column = "E", ReferenceDefinition = "nvarchar(50) NOT NULL", CurrentDefinition = "nvarchar(100) NOT NULL" },
        };
        var script = SchemaDriftAnalyzer.WriteCleanupScript(items, DatabaseEngineKind.SqlServer, "sql01\\outsystems");
        var fragment = TSql.AssertParses(script);
        Assert.Contains("DROP TABLE [dbo].[OSUSR_X_T ]]'\"];", script);
        Assert.Contains("-- DROP TABLE [dbo].[OSUSR_X_Full\n-- DROP TABLE x];", script.Replace("\r\n", "\n"));
        Assert.Contains("ALTER TABLE [dbo].[OSUSR_X [A]]] DROP COLUMN [C ]]'x];", script);
        Assert.Contains("-- ALTER TABLE [dbo].[OSUSR_X_B] DROP COLUMN [D];", script);
        Assert.Contains("DROP INDEX [IX ]]x] ON [dbo].[OSUSR_X_B];", script);
        // Only the empty objects become statements: the batch holds no drop of the full table.
        Assert.DoesNotContain("\nDROP TABLE x", script.Replace("\r\n", "\n"));
        Assert.NotNull(fragment);
    }
}
