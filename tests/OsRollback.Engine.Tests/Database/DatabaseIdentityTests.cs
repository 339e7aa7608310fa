using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Tests.Rollback;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Rollback.Adapters;

namespace OsRollback.Engine.Tests.Database;

/// <summary>Each database (by path) is the platform database of one environment of the fake world.</summary>
internal sealed class FakeDatabaseIdentities(FakeWorld world, Dictionary<string, string> environmentOf) : IDatabaseIdentitySource
{
    public Task<DatabaseIdentity> ReadIdentityAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(new DatabaseIdentity(DatabaseEngineKind.Sqlite, "", target.DisplayName, null, null, "platform-schema"));

    public Task<IReadOnlyDictionary<string, string>> ReadPublishedModulesAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(world.Running[environmentOf[target.DisplayName]].SelectMany(a => a.Modules).ToDictionary(m => m.Key, m => m.VersionKey));
}

public class DatabaseIdentityTests
{
    private static string PlatformDb(string folder, string name, string ordersVersion)
    {
        var path = Path.Combine(folder, name);
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText =
            "CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL DEFAULT 1, IS_SYSTEM INTEGER NOT NULL DEFAULT 0, VERSION_ID INTEGER);" +
            "CREATE TABLE OSSYS_ESPACE_VERSION (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER NOT NULL, VERSION INTEGER NOT NULL, SS_KEY TEXT);" +
            "CREATE TABLE OSSYS_EXTENSION (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL DEFAULT 1, VERSION_ID INTEGER);" +
            "CREATE TABLE OSSYS_EXTENSION_VERSION (ID INTEGER PRIMARY KEY, EXTENSION_ID INTEGER NOT NULL, VERSION INTEGER NOT NULL, SS_KEY TEXT);" +
            $"INSERT INTO OSSYS_ESPACE_VERSION VALUES (1, 1, 1, 'o-1'), (2, 1, 2, 'o-2'); INSERT INTO OSSYS_ESPACE VALUES (1, 'Orders', 'mod-orders', 1, 0, {(ordersVersion == "o-1" ? 1 : 2)});" +
            "INSERT INTO OSSYS_ESPACE VALUES (2, 'Retired', 'mod-retired', 0, 0, 1);" +
            "INSERT INTO OSSYS_EXTENSION_VERSION VALUES (1, 1, 1, 'x-1'); INSERT INTO OSSYS_EXTENSION VALUES (1, 'PdfExt', 'ext-pdf', 1, 1);";
        cmd.ExecuteNonQuery();
        return path;
    }

    [Fact]
    public void The_published_modules_query_parses_as_T_SQL()
    {
        TSql.AssertParses(PublishedModulesQuery.Text);
        TSql.AssertParses(Engine.Database.SqlServer.SqlServerIdentities.IdentityQuery);
    }

    [Fact]
    public async Task A_SQLite_platform_database_gives_its_published_versions_and_a_fingerprint_that_survives_a_restore()
    {
        using var temp = new TempDirectory();
        var prod = PlatformDb(temp.Path, "prod.db", "o-2");
        var reader = new DatabaseIdentityReader();
        var published = await reader.ReadPublishedModulesAsync(new SqliteTarget(prod), default);
        Assert.Equal("o-2", published["mod-orders"]);
        Assert.Equal("x-1", published["ext-pdf"]);
        Assert.False(published.ContainsKey("mod-retired"));

        var identity = await reader.ReadIdentityAsync(new SqliteTarget(prod), default);
        var copy = Path.Combine(temp.Path, "restored");
        Directory.CreateDirectory(copy);
        var other = PlatformDb(copy, "prod.db", "o-1");
        File.Copy(other, prod, overwrite: true); // a restore of an older backup over the same file
        Assert.True(identity.IsSameDatabaseAs(await reader.ReadIdentityAsync(new SqliteTarget(prod), default)));
        Assert.False(identity.IsSameDatabaseAs(await reader.ReadIdentityAsync(new SqliteTarget(other), default)));

        var notPlatform = Path.Combine(temp.Path, "empty.db");
        using (var c = new SqliteConnection($"Data Source={notPlatform};Pooling=False")) { c.Open(); using var cmd = c.CreateCommand(); cmd.CommandText = "CREATE TABLE T (A INTEGER);"; cmd.ExecuteNonQuery(); }
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => reader.ReadIdentityAsync(new SqliteTarget(notPlatform), default));
        Assert.Equal("RollbackPointDatabaseMismatch", ex.ErrorId);
    }

    [Fact]
    public void SQL_Server_identity_compares_server_name_and_database_guid_not_the_recovery_fork()
    {
        var taken = new DatabaseIdentity(DatabaseEngineKind.SqlServer, "SQL01", "outsystems", "11111111-1111-1111-1111-111111111111", "aaaa", null);
        Assert.True(taken.IsSameDatabaseAs(taken with { RecoveryForkGuid = "bbbb" }));
        Assert.False(taken.IsSameDatabaseAs(taken with { DatabaseGuid = "22222222-2222-2222-2222-222222222222" }));
        Assert.False(taken.IsSameDatabaseAs(taken with { Server = "SQL02" }));
    }

    [Fact]
    public async Task A_point_of_Production_taken_with_Qualitys_database_is_refused_and_nothing_is_written()
    {
        using var temp = new TempDirectory();
        var world = new FakeWorld();
        world.Deploy("Quality", "orders-v2");
        var production = new SqliteTarget(Path.Combine(temp.Path, "production.db"));
        var quality = new SqliteTarget(Path.Combine(temp.Path, "quality.db"));
        var ports = world.Ports();
        ports = new RollbackPorts
        {
            Platform = ports.Platform, Database = ports.Database, Schema = ports.Schema, ModuleGraph = ports.ModuleGraph,
            DatabaseIdentity = new FakeDatabaseIdentities(world, new() { [production.DisplayName] = "Production", [quality.DisplayName] = "Quality" }),
        };
        var catalog = new RollbackCatalog(Path.Combine(temp.Path, "catalog"));
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(catalog, ports).CreateAsync(
            new RollbackPointRequest { Environment = "Production", Database = quality }, NullReporter.Instance, default));
        Assert.Equal("RollbackPointDatabaseMismatch", ex.ErrorId);
        Assert.Contains("Orders (LifeTime o-1, database o-2)", ex.Message);
        Assert.DoesNotContain(world.Calls, c => c.StartsWith("Backup", StringComparison.Ordinal));

        var point = await new RollbackPointBuilder(catalog, ports).CreateAsync(new RollbackPointRequest { Environment = "Production", Database = production }, NullReporter.Instance, default);
        Assert.Equal(production.DisplayName, point.Manifest.DatabaseIdentity!.Database);
    }

    [Fact]
    public void Invoke_refuses_to_restore_into_a_database_that_is_not_the_points()
    {
        var point = new RollbackPoint(Path.GetTempPath(), new RollbackPointManifest
        {
            Id = "rp", Environment = "Production",
            DatabaseIdentity = new DatabaseIdentity(DatabaseEngineKind.SqlServer, "SQL01", "outsystems", "1111", "a", null),
        }, "sha");
        RollbackPointDatabaseCheck.EnsureSameDatabase(point, new DatabaseIdentity(DatabaseEngineKind.SqlServer, "SQL01", "outsystems", "1111", "b", null));
        var ex = Assert.Throws<OsRollbackException>(() => RollbackPointDatabaseCheck.EnsureSameDatabase(point, new DatabaseIdentity(DatabaseEngineKind.SqlServer, "SQL01", "outsystems", "2222", "b", null)));
        Assert.Equal("RollbackPointDatabaseMismatch", ex.ErrorId);
    }
}
