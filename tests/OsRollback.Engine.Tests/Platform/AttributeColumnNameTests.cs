using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Platform;
using OsRollback.Engine.Schema;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Platform;

/// <summary>An attribute's physical column: PHYSICAL_COLUMN_NAME first (empty = missing), then DATABASE_NAME, then its own name.</summary>
public sealed class AttributeColumnNameTests
{
    [Theory]
    [InlineData("PHYS_COL", "DB_COL", "PHYS_COL")]
    [InlineData("", "DB_COL", "DB_COL")]
    [InlineData("  ", "DB_COL", "DB_COL")]
    [InlineData(null, "DB_COL", "DB_COL")]
    [InlineData(null, null, "Name")]
    [InlineData("", "", "Name")]
    public void The_first_non_empty_candidate_wins(string? physical, string? database, string expected)
    {
        var row = new Dictionary<string, string?> { ["PHYSICAL_COLUMN_NAME"] = physical, ["DATABASE_NAME"] = database };
        Assert.Equal(expected, AttributeColumnName.Resolve(c => row.GetValueOrDefault(c), "Name"));
    }

    [Fact]
    public void A_snapshot_maps_columns_through_PHYSICAL_COLUMN_NAME_and_falls_back_to_DATABASE_NAME()
    {
        using var temp = new TempDirectory();
        var path = temp.File("platform.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT);
                CREATE TABLE OSSYS_ENTITY (ID INTEGER PRIMARY KEY, NAME TEXT, PHYSICAL_TABLE_NAME TEXT, IS_ACTIVE INTEGER, ESPACE_ID INTEGER);
                CREATE TABLE OSSYS_ENTITY_ATTR (ID INTEGER PRIMARY KEY, ENTITY_ID INTEGER, NAME TEXT, PHYSICAL_COLUMN_NAME TEXT, DATABASE_NAME TEXT, IS_ACTIVE INTEGER);
                CREATE TABLE OSUSR_ABC_ORDER (ID INTEGER PRIMARY KEY, TOTAL_V2 NUMERIC, NOTES TEXT);
                INSERT INTO OSSYS_ESPACE VALUES (1, 'Orders_CS');
                INSERT INTO OSSYS_ENTITY VALUES (10, 'Order', 'OSUSR_ABC_ORDER', 1, 1);
                INSERT INTO OSSYS_ENTITY_ATTR VALUES (100, 10, 'Total', 'TOTAL_V2', 'TOTAL', 1), (101, 10, 'Notes', '', 'NOTES', 1);
                """;
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        var snapshot = SchemaSnapshotReader.Capture(new SqliteTarget(path), new SchemaCaptureOptions(), NullReporter.Instance);

        var table = snapshot.Tables.Single(t => t.Name == "OSUSR_ABC_ORDER");
        Assert.Equal("Total", table.FindColumn("TOTAL_V2")!.Attribute);
        Assert.Equal("Notes", table.FindColumn("NOTES")!.Attribute);
    }
}
