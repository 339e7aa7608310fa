using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>
/// Before a Database rollback restores a catalog, the run checks that the name still holds the
/// database the rollback point backed up, by the database_guid the point recorded (SQL Server); a
/// catalog recorded by its path (SQLite) is the file the step restores, and is not read again.
/// </summary>
public class CatalogIdentityRunTests
{
    /// <summary>Identities by database name (SQL Server: a guid each; SQLite: the path and the platform fingerprint); every read is recorded.</summary>
    private sealed class Identities(FakeWorld world, Dictionary<string, string> guids) : IDatabaseIdentitySource
    {
        public List<string> Asked { get; } = [];

        public Task<DatabaseIdentity> ReadIdentityAsync(DatabaseTarget target, CancellationToken cancellationToken)
        {
            Asked.Add(target.DisplayName);
            return Task.FromResult(target is SqlServerTarget sql
                ? new DatabaseIdentity(DatabaseEngineKind.SqlServer, "SQL01", sql.Database, guids[sql.Database], "fork", null)
                : new DatabaseIdentity(DatabaseEngineKind.Sqlite, "", target.DisplayName, null, null, "platform-schema"));
        }

        public Task<IReadOnlyDictionary<string, string>> ReadPublishedModulesAsync(DatabaseTarget target, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(world.Running["Production"].SelectMany(a => a.Modules).ToDictionary(m => m.Key, m => m.VersionKey));
    }

    private static RollbackPorts With(FakeWorld world, IDatabaseIdentitySource identities)
    {
        var fake = world.Ports();
        return new RollbackPorts
        {
            Platform = fake.Platform, Database = fake.Database, Schema = fake.Schema, Smoke = fake.Smoke, Firewall = fake.Firewall,
            ModuleGraph = fake.ModuleGraph, Identity = fake.Identity, Procedure = fake.Procedure, DatabaseIdentity = identities,
        };
    }

    private static async Task<RollbackPlan> PointAndPlanAsync(RollbackScenario s, DatabaseTarget platform, DatabaseTarget catalog, IDatabaseIdentitySource identities)
    {
        s.World.DatabaseContent[platform.DisplayName] = "DB:pre-deploy";
        s.World.DatabaseContent[catalog.DisplayName] = "DB:intranet";
        s.Point = await new RollbackPointBuilder(s.Catalog, With(s.World, identities)).CreateAsync(new RollbackPointRequest
        {
            Environment = "Production", Database = platform, Catalogs = [catalog],
        }, s.Reporter, CancellationToken.None);
        s.World.Deploy("Production", "orders-v2");
        return await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
    }

    [Fact]
    public async Task A_SQL_Server_catalog_dropped_and_created_again_since_the_point_is_refused_before_anything_runs()
    {
        using var s = new RollbackScenario();
        var platform = new SqlServerTarget("sql01", "outsystems");
        var guids = new Dictionary<string, string> { ["outsystems"] = "1111", ["intranet"] = "2222" };
        var identities = new Identities(s.World, guids);
        var plan = await PointAndPlanAsync(s, platform, platform.WithDatabase("intranet"), identities);
        guids["intranet"] = "3333";
        s.World.Calls.Clear();

        var ex = await Assert.ThrowsAsync<OsRollbackException>(() =>
            new RollbackRun(s.Catalog, With(s.World, identities)).ExecuteAsync(plan, s.Point, platform, new RollbackExecutionOptions(), s.Reporter, CancellationToken.None));

        Assert.Equal("RollbackPointDatabaseMismatch", ex.ErrorId);
        Assert.Contains("catalog", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3333", ex.Message, StringComparison.Ordinal);
        Assert.Empty(s.World.Calls);
    }

    [Fact]
    public async Task A_SQLite_catalog_recorded_by_its_path_is_not_read_again_and_the_rollback_runs()
    {
        using var s = new RollbackScenario();
        var identities = new Identities(s.World, []);
        var catalog = new SqliteTarget(s.Temp.File("intranet.db"));
        File.WriteAllBytes(catalog.Path, []);
        var plan = await PointAndPlanAsync(s, s.Database, catalog, identities);
        identities.Asked.Clear();

        var result = await s.ExecuteAsync(plan, executor: s.Executor(With(s.World, identities)));

        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal([s.Database.DisplayName], identities.Asked);
    }
}
