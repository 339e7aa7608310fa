using System.Security;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Rollback;

namespace OsRollback.Engine.Tests.Database;

/// <summary>What a rollback point records of a database comes from its provider, holds no secret, and names the database again.</summary>
public class DatabaseAddressesTests
{
    private static SecureString Password()
    {
        var password = new SecureString();
        foreach (var c in "n0t-in-the-point") password.AppendChar(c);
        return password;
    }

    [Fact]
    public void Each_engine_records_a_database_without_its_login_and_finds_it_again()
    {
        var sql = RollbackDatabaseInfo.From(new SqlServerTarget("sql01", "outsystems", "deploy", Password()));
        Assert.Equal((DatabaseEngineKind.SqlServer, "sql01", "outsystems", (string?)null), (sql.Engine, sql.SqlInstance, sql.Database, sql.SqlitePath));
        var again = Assert.IsType<SqlServerTarget>(sql.ToTarget());
        Assert.Equal(@"sql01\outsystems", again.DisplayName);
        Assert.Null(again.UserName);

        var file = Path.GetFullPath("platform.db");
        var lite = RollbackDatabaseInfo.From(new SqliteTarget(file));
        Assert.Equal((DatabaseEngineKind.Sqlite, file, (string?)null), (lite.Engine, lite.SqlitePath, lite.SqlInstance));
        Assert.Equal(file, lite.ToTarget()!.DisplayName);
        Assert.Null(new RollbackDatabaseInfo { DisplayName = "not captured" }.ToTarget());
    }

    [Fact]
    public void A_sql_server_catalog_is_on_the_platform_s_instance_with_its_login_and_a_sqlite_catalog_is_its_file()
    {
        var catalog = new RollbackCatalogDatabaseInfo { Database = RollbackDatabaseInfo.From(new SqlServerTarget("sql01", "intranet")) };
        var onPlatform = Assert.IsType<SqlServerTarget>(catalog.ToTarget(new SqlServerTarget("sql01-listener", "outsystems", "deploy", Password())));
        Assert.Equal((@"sql01-listener\intranet", "deploy"), (onPlatform.DisplayName, onPlatform.UserName));
        Assert.Equal(@"sql01\intranet", catalog.ToTarget(null).DisplayName);

        var file = Path.GetFullPath("catalog.db");
        var liteCatalog = new RollbackCatalogDatabaseInfo { Database = RollbackDatabaseInfo.From(new SqliteTarget(file)) };
        Assert.Equal(file, liteCatalog.ToTarget(new SqliteTarget("platform.db")).DisplayName);
    }

    [Fact]
    public void Names_compare_as_the_engine_compares_them()
    {
        Assert.True(RollbackDatabaseInfo.From(new SqlServerTarget("SQL01", "OutSystems")).Matches(new SqlServerTarget("sql01", "outsystems")));
        var lite = RollbackDatabaseInfo.From(new SqliteTarget("/data/Platform.db"));
        Assert.True(lite.Matches(new SqliteTarget("/data/Platform.db")));
        Assert.Equal(OperatingSystem.IsWindows(), lite.Matches(new SqliteTarget("/data/platform.db")));
    }

    [Fact]
    public void An_identity_recorded_with_parts_missing_matches_one_read_without_them()
    {
        var recorded = new DatabaseIdentity(DatabaseEngineKind.Sqlite, null!, "/data/platform.db", null, null, "abc");
        Assert.True(recorded.IsSameDatabaseAs(new DatabaseIdentity(DatabaseEngineKind.Sqlite, "", "/data/platform.db", null, null, "ABC")));
        Assert.False(recorded.IsSameDatabaseAs(new DatabaseIdentity(DatabaseEngineKind.Sqlite, "", "/data/platform.db", null, null, "other")));
        Assert.Equal(OperatingSystem.IsWindows(), recorded.IsSameDatabaseAs(new DatabaseIdentity(DatabaseEngineKind.Sqlite, "", "/data/PLATFORM.db", null, null, "abc")));
        Assert.True(new DatabaseIdentity(DatabaseEngineKind.SqlServer, "SQL01", "outsystems", "1111", "a", null)
            .IsSameDatabaseAs(new DatabaseIdentity(DatabaseEngineKind.SqlServer, "sql01", "OUTSYSTEMS", "1111", "b", null)));
    }
}
