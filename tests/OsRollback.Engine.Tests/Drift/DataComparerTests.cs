using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;

namespace OsRollback.Engine.Tests.Drift;

public sealed class DataComparerTests : IDisposable
{
    private readonly DriftScenario _s = new();
    public void Dispose() => _s.Dispose();

    private (List<TableDataDifference> Tables, List<DataRowDifference> Rows, RecordingReporter Reporter) Compare(DataCompareOptions? options = null)
    {
        var rows = new List<DataRowDifference>();
        var reporter = new RecordingReporter();
        var tables = new DataComparer(_s.ProductionTarget, _s.ParallelTarget, options, reporter).Compare(rows.Add).ToList();
        return (tables, rows, reporter);
    }

    private static string[] Keys(IEnumerable<DataRowDifference> rows, string table, RowDifferenceKind kind) =>
        rows.Where(r => r.Table == table && r.Kind == kind).Select(r => r.Key).ToArray();

    [Theory]
    [InlineData(DataCompareMethod.StreamingMerge)]
    [InlineData(DataCompareMethod.SqlExcept)]
    public void Finds_exactly_the_rows_written_changed_and_gone_since_the_deploy(DataCompareMethod method)
    {
        var (tables, rows, _) = Compare(new DataCompareOptions { Method = method });

        var customer = tables.Single(t => t.Table == DriftScenario.Customer);
        Assert.Equal(TableCompareStatus.Compared, customer.Status);
        Assert.Equal((3, 1, 0, 19), (customer.Inserted, customer.Changed, customer.Deleted, customer.Unchanged));
        Assert.Equal(["ID=21", "ID=22", "ID=23"], Keys(rows, DriftScenario.Customer, RowDifferenceKind.Inserted));
        var changed = rows.Single(r => r.Table == DriftScenario.Customer && r.Kind == RowDifferenceKind.Changed);
        Assert.Equal("ID=5", changed.Key);
        Assert.Equal(["NAME", "UPDATEDON"], changed.ChangedColumns);
        Assert.Equal("Customer 5", changed.CurrentValues!["NAME"]);
        Assert.Equal("Renamed 5", changed.ReferenceValues!["NAME"]);
        Assert.Equal(["LOYALTYTIER"], customer.ColumnsOnlyInReference);
        Assert.Equal("Customer", customer.Entity);
        Assert.Equal("Sales_CS", customer.Module);

        var order = tables.Single(t => t.Table == DriftScenario.Order);
        Assert.Equal((2, 0, 1), (order.Inserted, order.Changed, order.Deleted));
        Assert.Equal(["ID=31", "ID=32"], Keys(rows, DriftScenario.Order, RowDifferenceKind.Inserted));
        Assert.Equal(["ID=7"], Keys(rows, DriftScenario.Order, RowDifferenceKind.Deleted));
        Assert.Null(rows.Single(r => r.Key == "ID=7").ReferenceValues);
    }

    [Theory]
    [InlineData(DataCompareMethod.StreamingMerge)]
    [InlineData(DataCompareMethod.SqlExcept)]
    public void Names_with_spaces_quotes_and_brackets_are_compared(DataCompareMethod method)
    {
        var (tables, rows, _) = Compare(new DataCompareOptions { Method = method });
        var odd = tables.Single(t => t.Table == DriftScenario.Odd);
        Assert.Equal((1, 1, 0), (odd.Inserted, odd.Changed, odd.Deleted));
        Assert.Equal("Key \"K\"='e\"f [g]'", Keys(rows, DriftScenario.Odd, RowDifferenceKind.Inserted).Single());
        var changed = rows.Single(r => r.Table == DriftScenario.Odd && r.Kind == RowDifferenceKind.Changed);
        Assert.Equal("Key \"K\"='a''b'", changed.Key);
        Assert.Equal([DriftScenario.OddColumn], changed.ChangedColumns);
    }

    [Fact]
    public void A_table_without_primary_key_is_reported_not_guessed()
    {
        var (tables, rows, reporter) = Compare();
        var audit = tables.Single(t => t.Table == DriftScenario.AuditLog);
        Assert.Equal(TableCompareStatus.NoPrimaryKey, audit.Status);
        Assert.Equal((0, 0, 0), (audit.Inserted, audit.Changed, audit.Deleted));
        Assert.DoesNotContain(rows, r => r.Table == DriftScenario.AuditLog);
        Assert.Contains(reporter.Warnings, w => w.Contains(DriftScenario.AuditLog) && w.Contains("no primary key"));
    }

    [Fact]
    public void A_table_only_in_the_parallel_database_is_reported_with_its_rows()
    {
        var (tables, _, _) = Compare();
        var voucher = tables.Single(t => t.Table == DriftScenario.Voucher);
        Assert.Equal(TableCompareStatus.OnlyInReference, voucher.Status);
        Assert.Equal(3, voucher.Inserted);
        Assert.Equal("Voucher", voucher.Entity);
    }

    [Fact]
    public void Filters_by_table_entity_and_module()
    {
        Assert.Equal([DriftScenario.Order], Compare(new DataCompareOptions { Tables = ["*ORDER"] }).Tables.Select(t => t.Table));
        Assert.Equal([DriftScenario.Customer], Compare(new DataCompareOptions { Entities = ["customer"] }).Tables.Select(t => t.Table));
        Assert.Equal([DriftScenario.AuditLog], Compare(new DataCompareOptions { Modules = ["Audit_*"] }).Tables.Select(t => t.Table));
    }

    [Theory]
    [InlineData(DataCompareMethod.StreamingMerge)]
    [InlineData(DataCompareMethod.SqlExcept)]
    public void The_time_filter_keeps_rows_created_or_updated_since(DataCompareMethod method)
    {
        var (tables, rows, _) = Compare(new DataCompareOptions { Method = method, Tables = [DriftScenario.Customer, DriftScenario.Order], Since = new DateTime(2026, 2, 1, 12, 4, 0) });
        var customer = tables.Single(t => t.Table == DriftScenario.Customer);
        Assert.Equal(["CREATEDON", "UPDATEDON"], customer.TimeColumns);
        Assert.Equal(["ID=22", "ID=23"], Keys(rows, DriftScenario.Customer, RowDifferenceKind.Inserted));
        Assert.Equal(1, customer.Changed); // updated at 13:00
        Assert.Equal(1, customer.OutsideTimeFilter); // 21 was created at 12:00
        var order = tables.Single(t => t.Table == DriftScenario.Order);
        Assert.Equal(["ID=32"], Keys(rows, DriftScenario.Order, RowDifferenceKind.Inserted));
        Assert.Equal(0, order.Deleted); // order 7 dates from January
    }

    [Fact]
    public void Reports_progress_per_table()
    {
        var (tables, _, reporter) = Compare();
        Assert.Contains(reporter.ProgressUpdates, p => p.Status.Contains(DriftScenario.Customer));
        Assert.Contains(reporter.ProgressUpdates, p => p.Completed && p.ActivityId == 1);
    }

    [Theory]
    [InlineData(DataCompareMethod.StreamingMerge)]
    [InlineData(DataCompareMethod.SqlExcept)]
    public void Identical_databases_have_no_differences(DataCompareMethod method)
    {
        var tables = new DataComparer(_s.ParallelTarget, _s.ParallelTarget, new DataCompareOptions { Method = method }, null).Compare().ToList();
        Assert.All(tables.Where(t => t.Status == TableCompareStatus.Compared), t => Assert.False(t.HasDifferences));
        Assert.Equal(23, tables.Single(t => t.Table == DriftScenario.Customer).Unchanged);
    }

    [Theory]
    [InlineData(DataCompareMethod.StreamingMerge)]
    [InlineData(DataCompareMethod.SqlExcept)]
    public void Text_keys_declared_case_insensitive_are_merged_in_binary_order(DataCompareMethod method)
    {
        // NOCASE orders a, B, c; the merge reads them in binary order (B, a, c) and still matches every row.
        using (var db = DriftScenario.Open(_s.Parallel))
            DriftScenario.Exec(db, "CREATE TABLE OSUSR_ABC_CI (CODE TEXT COLLATE NOCASE PRIMARY KEY, V INTEGER); INSERT INTO OSUSR_ABC_CI VALUES ('a', 1), ('B', 2), ('c', 3), ('d', 4)");
        using (var db = DriftScenario.Open(_s.Production))
            DriftScenario.Exec(db, "CREATE TABLE OSUSR_ABC_CI (CODE TEXT COLLATE NOCASE PRIMARY KEY, V INTEGER); INSERT INTO OSUSR_ABC_CI VALUES ('a', 1), ('B', 20), ('c', 3)");
        var rows = new List<DataRowDifference>();
        var table = new DataComparer(_s.ProductionTarget, _s.ParallelTarget, new DataCompareOptions { Method = method, Tables = ["OSUSR_ABC_CI"] }, null).Compare(rows.Add).Single();
        Assert.Equal((1, 1, 0, 2), (table.Inserted, table.Changed, table.Deleted, table.Unchanged));
        Assert.Equal(["CODE='B'", "CODE='d'"], rows.Select(r => r.Key));
    }

    [Fact]
    public void The_sql_server_ordered_select_parses_and_orders_text_keys_by_code_point()
    {
        var table = new OsRollback.Engine.Data.TableSnapshot
        {
            Schema = "dbo", Name = "OSUSR_X_T ]x",
            Columns = [new() { Name = "CODE ]", DataType = "nvarchar" }, new() { Name = "V", DataType = "int" }],
        };
        var sql = DataComparer.SelectOrdered(OsRollback.Engine.Data.DatabaseEngineKind.SqlServer, table, ["CODE ]", "V"], ["CODE ]"]);
        Assert.Equal("SELECT [CODE ]]], [V] FROM [dbo].[OSUSR_X_T ]]x] ORDER BY [CODE ]]] COLLATE Latin1_General_BIN2", sql);
        OsRollback.Engine.Tests.Support.TSql.AssertParses(sql);
    }

    [Fact]
    public void Key_order_is_code_point_order()
    {
        Assert.True(DbValues.CompareCodePoints("a", "b") < 0);
        Assert.True(DbValues.CompareCodePoints("B", "a") < 0); // binary, not case-insensitive
        Assert.True(DbValues.CompareCodePoints("\uFFFD", "\U0001F600") < 0); // BMP private use before astral, as UTF-8 bytes order
        Assert.True(DbValues.CompareKey(5L, "5") < 0); // SQLite: numbers before text
        Assert.True(DbValues.CompareKey(null, 0L) < 0);
    }
}
