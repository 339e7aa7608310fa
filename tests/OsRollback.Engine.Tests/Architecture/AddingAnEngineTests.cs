using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Tests.Architecture.SkeletonEngine;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Architecture;

/// <summary>
/// Adding a database engine is one folder (<see cref="SkeletonEngine"/>) plus one line in the
/// provider factory: the backup service and the rollback's database ports then serve it, unchanged.
/// </summary>
public class AddingAnEngineTests
{
    // The one factory line: DatabaseProviders.Create lists the shipped engines; a new engine is one more entry.
    private static DatabaseProviders WithMemoryEngine() => new([.. DatabaseProviders.Create().All, new MemoryProvider(TimeProvider.System)]);

    [Fact]
    public async Task The_backup_service_and_the_rollback_ports_serve_a_new_engine_unchanged()
    {
        using var temp = new TempDirectory();
        var target = new MemoryTarget(temp.File("orders.txt"));
        File.WriteAllLines(target.Path, ["order 1", "order 2"]);
        var providers = WithMemoryEngine();
        var database = new DatabaseServiceAdapter(new DatabaseBackupService(providers));

        var backup = await database.BackupAsync(target, temp.File("run"), "pre-rollback", NullReporter.Instance, CancellationToken.None);
        File.WriteAllLines(target.Path, ["order 1", "order 2", "order 3 (written by the bad version)"]);
        var parallel = await database.RestoreAsParallelAsync(target, backup.Path, "OsRollback_1", NullReporter.Instance, CancellationToken.None);
        var marks = await new IdentityReseeder(providers).ReadHighWaterAsync(target, NullReporter.Instance, CancellationToken.None);

        Assert.EndsWith(".memory", backup.Path, StringComparison.Ordinal);
        Assert.NotNull(backup.Evidence);
        Assert.Equal(2, File.ReadAllLines(parallel).Length);
        Assert.Equal(3, Assert.Single(marks).Value);
        Assert.Null(FastRevertAdapter.For(target, providers));
    }

    [Fact]
    public void The_shipped_engines_are_still_chosen_by_the_same_factory()
    {
        var providers = WithMemoryEngine();
        Assert.Equal(DatabaseEngineKind.SqlServer, providers.For(new SqlServerTarget("server", "outsystems")).Kind);
        Assert.Equal(DatabaseEngineKind.Sqlite, providers.For(new SqliteTarget("platform.db")).Kind);
        Assert.Equal(MemoryTarget.Kind, providers.For(new MemoryTarget("x.txt")).Kind);
        Assert.NotNull(providers.For(DatabaseEngineKind.SqlServer).FastRevert);
        Assert.Null(providers.For(DatabaseEngineKind.Sqlite).FastRevert);
    }

    [Fact]
    public void A_target_no_provider_serves_is_refused_with_a_stable_error()
    {
        var ex = Assert.Throws<OsRollbackException>(() => DatabaseProviders.Create().For(new MemoryTarget("x.txt")));
        Assert.Equal("UnsupportedDatabaseTarget", ex.ErrorId);
    }
}
