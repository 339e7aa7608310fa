using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Sqlite;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Schema;
using OsRollback.Engine.Tests.Drift;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Schema;

public sealed class SchemaSnapshotTests : IDisposable
{
    private readonly DriftScenario _s = new();
    public void Dispose() => _s.Dispose();

    [Fact]
    public void Captures_tables_columns_keys_indexes_counts_identity_and_entity_mapping()
    {
        var snapshot = SchemaSnapshotReader.Capture(_s.ParallelTarget, null, NullReporter.Instance);
        Assert.Equal(DatabaseEngineKind.Sqlite, snapshot.Engine);
        Assert.Equal(_s.Parallel, snapshot.Source);
        Assert.DoesNotContain(snapshot.Tables, t => t.Name.StartsWith("OSSYS", StringComparison.Ordinal));

        var customer = snapshot.FindTable(DriftScenario.Customer)!;
        Assert.Equal(["ID"], customer.PrimaryKey);
        Assert.Equal("ID", customer.IdentityColumn);
        Assert.Equal(23, customer.HighestIdentity);
        Assert.Equal(23, customer.RowCount);
        Assert.Equal(("Customer", "Sales_CS", true), (customer.Entity, customer.Module, customer.EntityIsActive));
        var name = customer.FindColumn("NAME")!;
        Assert.Equal(("NVARCHAR", 50, false, "Name"), (name.DataType, name.MaxLength, name.IsNullable, name.Attribute));
        Assert.Equal("LoyaltyTier", customer.FindColumn("LOYALTYTIER")!.Attribute);

        var order = snapshot.FindTable(DriftScenario.Order)!;
        var amount = order.FindColumn("AMOUNT")!;
        Assert.Equal((37, 8), (amount.Precision, amount.Scale));
        Assert.Contains(order.Indexes, i => i.Name == "IX_ORDER_STATUS" && i.Columns.SequenceEqual(["STATUS"]));
        Assert.Equal(DriftScenario.Customer, Assert.Single(order.ForeignKeys).ReferencedTable);

        Assert.Empty(snapshot.FindTable(DriftScenario.AuditLog)!.PrimaryKey);
        var odd = snapshot.FindTable(DriftScenario.Odd)!;
        Assert.Equal(["Key \"K\""], odd.PrimaryKey);
        Assert.Null(odd.IdentityColumn);
        Assert.Equal("Quantity", odd.FindColumn(DriftScenario.OddColumn)!.Attribute);
    }

    [Fact]
    public void Writes_and_reads_a_versioned_file()
    {
        var path = _s.File("snap/schema-snapshot.json");
        SchemaSnapshotFile.Write(path, _s.Snapshot);
        Assert.Contains("\"formatVersion\": 1", File.ReadAllText(path));
        var read = SchemaSnapshotFile.Read(path);
        Assert.Equal(_s.Snapshot.CapturedAt, read.CapturedAt);
        Assert.Equal(_s.Snapshot.Tables.Select(t => t.Name), read.Tables.Select(t => t.Name));
        Assert.Equal(_s.Snapshot.FindTable(DriftScenario.Order)!.FindColumn("AMOUNT")!.Definition, read.FindTable(DriftScenario.Order)!.FindColumn("AMOUNT")!.Definition);
        Assert.Equal("Customer", read.FindTable(DriftScenario.Customer)!.Entity);
    }

    [Fact]
    public void Refuses_a_newer_format_and_malformed_json_with_stable_ids()
    {
        var path = _s.File("future.json");
        File.WriteAllText(path, "{\"formatVersion\": 99, \"tables\": []}");
        Assert.Equal("SchemaSnapshotVersionUnsupported", Assert.Throws<OsRollbackException>(() => SchemaSnapshotFile.Read(path)).ErrorId);
        File.WriteAllText(path, "{\"formatVersion\": ");
        Assert.Equal("SchemaSnapshotMalformed", Assert.Throws<OsRollbackException>(() => SchemaSnapshotFile.Read(path)).ErrorId);
        Assert.Equal("SchemaSnapshotNotFound", Assert.Throws<OsRollbackException>(() => SchemaSnapshotFile.Read(_s.File("none.json"))).ErrorId);
    }

    [Fact]
    public void Resolves_a_rollback_point_folder_or_its_manifest()
    {
        var expected = Path.Combine(_s.RollbackPoint, "schema-snapshot.json");
        Assert.Equal(expected, SchemaSnapshotFile.ResolveRollbackPointPath(_s.RollbackPoint));
        Assert.Equal(expected, SchemaSnapshotFile.ResolveRollbackPointPath(Path.Combine(_s.RollbackPoint, "rollback-point.json")));
        Assert.Equal(expected, SchemaSnapshotFile.ResolveRollbackPointPath(expected));
    }

    [Theory]
    [InlineData("NVARCHAR(50)", "NVARCHAR", 50, null, null)]
    [InlineData("DECIMAL(37, 8)", "DECIMAL", null, 37, 8)]
    [InlineData("INTEGER", "INTEGER", null, null, null)]
    [InlineData("", "", null, null, null)]
    public void Parses_sqlite_declared_types(string declared, string type, int? length, int? precision, int? scale)
    {
        var c = SqliteSchemaReader.ParseSqliteType("C", declared);
        Assert.Equal((type, length, precision, scale), (c.DataType, c.MaxLength, c.Precision, c.Scale));
    }

    [Fact]
    public void A_database_without_the_metamodel_is_captured_with_a_warning()
    {
        using var dir = new TempDirectory();
        var path = dir.File("plain.db");
        using (var db = DriftScenario.Open(path)) DriftScenario.Exec(db, "CREATE TABLE OSUSR_X_T (ID INTEGER PRIMARY KEY)");
        var reporter = new RecordingReporter();
        var snapshot = SchemaSnapshotReader.Capture(new SqliteTarget(path), null, reporter);
        Assert.Null(Assert.Single(snapshot.Tables).Entity);
        Assert.Contains(reporter.Warnings, w => w.Contains("OSSYS_ENTITY"));
    }

    [Fact]
    public void Sql_server_catalog_queries_parse()
    {
        foreach (var sql in new[]
        {
            SqlServerSchemaReader.TablesQuery, SqlServerSchemaReader.ColumnsQuery, SqlServerSchemaReader.IndexesQuery,
            SqlServerSchemaReader.ForeignKeysQuery, SqlServerSchemaReader.RowCountsQuery, SqlServerSchemaReader.IdentityQuery,
            SchemaSnapshotReader.EntitiesQuery, SchemaSnapshotReader.AttributesQuery,
        })
            TSql.AssertParses(sql);
    }

    [Fact]
    public void Quotes_identifiers_per_engine()
    {
        var sqlServer = DatabaseProviders.Default.For(DatabaseEngineKind.SqlServer).TableData;
        var sqlite = DatabaseProviders.Default.For(DatabaseEngineKind.Sqlite).TableData;
        Assert.Equal("[a]]b]", sqlServer.Quote("a]b"));
        Assert.Equal("\"a\"\"b\"", sqlite.Quote("a\"b"));
        Assert.Equal("[dbo].[T x]", sqlServer.QuoteTable(null, "T x"));
        Assert.Equal("N'it''s'", sqlServer.Literal("it's"));
    }
}
