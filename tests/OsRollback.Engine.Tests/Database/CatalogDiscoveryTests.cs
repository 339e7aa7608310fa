using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Database;

/// <summary>-DiscoverCatalogsUnverified: the catalogs read from OSSYS_DBCATALOG, warned about, and refused when they are not databases.</summary>
public class CatalogDiscoveryTests
{
    private static readonly SqlServerTarget Platform = new("sql01", "outsystems");

    [Fact]
    public void The_query_parses_as_T_SQL_and_leaves_out_the_main_catalog()
    {
        TSql.AssertParses(UnverifiedCatalogQuery.Query);
        Assert.Contains("<> N'(Main)'", UnverifiedCatalogQuery.Query);
        Assert.False(UnverifiedCatalogQuery.Verified);
    }

    [Fact]
    public void Catalogs_that_are_databases_on_the_instance_are_returned_with_a_warning_that_the_query_is_unverified()
    {
        var fake = new FakeSqlServer();
        fake.Answer("OSSYS_DBCATALOG", () => [FakeSqlServer.Row(("catalog_name", "intranet"), ("database_id", 7)), FakeSqlServer.Row(("catalog_name", "internet"), ("database_id", 8))]);
        var reporter = new RecordingReporter();
        var names = UnverifiedCatalogQuery.Discover(Platform, reporter, t => fake.Open(t, null));
        Assert.Equal(new[] { "intranet", "internet" }, names);
        Assert.Contains(reporter.Warnings, w => w.Contains("no public OutSystems source confirms"));
        Assert.Equal("outsystems", Assert.Single(fake.Statements).Database);
    }

    [Fact]
    public void A_catalog_name_that_is_not_a_database_stops_the_command_and_a_SQLite_platform_cannot_be_asked()
    {
        var fake = new FakeSqlServer();
        fake.Answer("OSSYS_DBCATALOG", () => [FakeSqlServer.Row(("catalog_name", "Intranet Apps"), ("database_id", null))]);
        var ex = Assert.Throws<OsRollbackException>(() => UnverifiedCatalogQuery.Discover(Platform, NullReporter.Instance, t => fake.Open(t, null)));
        Assert.Equal("CatalogDiscoveryUnverified", ex.ErrorId);
        Assert.Contains("'Intranet Apps'", ex.Message);
        Assert.Contains("-CatalogDatabase", ex.RecommendedAction);

        Assert.Equal("CatalogDiscoveryNeedsSqlServer", Assert.Throws<OsRollbackException>(() => UnverifiedCatalogQuery.Discover(new SqliteTarget("p.db"), NullReporter.Instance)).ErrorId);
    }
}
