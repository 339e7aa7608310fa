using static OsRollback.Engine.Tests.Support.SqliteFile;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>The Database strategy end to end on real SQLite files: a platform database and a second catalog.</summary>
public class RollbackFactorySqliteTests
{
    private static string[] Names(string path, string table) => Column(path, $"SELECT NAME FROM {table} ORDER BY ID");

    private static RollbackPorts WithRealDatabase(FakeWorld world, IRollbackDatabase database)
    {
        var fake = world.Ports();
        return new RollbackPorts
        {
            Platform = fake.Platform, Database = database, Schema = fake.Schema, Smoke = fake.Smoke, Firewall = fake.Firewall,
            ModuleGraph = fake.ModuleGraph, Identity = fake.Identity, Procedure = fake.Procedure,
        };
    }

    [Fact]
    public async Task Both_databases_go_back_to_the_rollback_point_and_every_row_written_since_is_kept_in_a_pre_rollback_backup()
    {
        using var s = new RollbackScenario();
        var catalog = new SqliteTarget(s.Temp.File("intranet.db"));
        Execute(s.Database.Path, "CREATE TABLE OSUSR_ORD_ORDER (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT); INSERT INTO OSUSR_ORD_ORDER (NAME) VALUES ('order before deploy');");
        Execute(catalog.Path, "CREATE TABLE OSUSR_INT_TICKET (ID INTEGER PRIMARY KEY AUTOINCREMENT, NAME TEXT); INSERT INTO OSUSR_INT_TICKET (NAME) VALUES ('ticket before deploy');");
        var ports = WithRealDatabase(s.World, new DatabaseServiceAdapter());
        s.Point = await new RollbackPointBuilder(s.Catalog, ports).CreateAsync(new RollbackPointRequest
        {
            Environment = "Production", Database = s.Database, Catalogs = [catalog],
        }, s.Reporter, CancellationToken.None);
        s.World.Deploy("Production", "orders-v2");
        Execute(s.Database.Path, "INSERT INTO OSUSR_ORD_ORDER (NAME) VALUES ('order after deploy');");
        Execute(catalog.Path, "INSERT INTO OSUSR_INT_TICKET (NAME) VALUES ('ticket after deploy');");

        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var result = await s.ExecuteAsync(plan, executor: s.Executor(ports));

        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(["order before deploy"], Names(s.Database.Path, "OSUSR_ORD_ORDER"));
        Assert.Equal(["ticket before deploy"], Names(catalog.Path, "OSUSR_INT_TICKET"));
        // No user write lost: the platform's rows are in the parallel database, the catalog's in its pre-rollback backup.
        Assert.Equal(["order before deploy", "order after deploy"], Names(result.ParallelDatabase!, "OSUSR_ORD_ORDER"));
        var catalogBackup = Directory.GetFiles(Path.GetDirectoryName(result.PreRollbackBackup)!, "pre-rollback-catalog-1*").Single(f => !f.EndsWith(".json", StringComparison.Ordinal));
        Assert.Equal(["ticket before deploy", "ticket after deploy"], Names(catalogBackup, "OSUSR_INT_TICKET"));
        // Nothing twice in the outage: each restore used its database's pre-rollback backup as the safety backup.
        Assert.Empty(Directory.GetFiles(s.Temp.Path, "*_safety*", SearchOption.AllDirectories));
    }
}
