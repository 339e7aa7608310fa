using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Drift;

/// <summary>The default base of an export: the rollback point of the newest succeeded Database run into that database.</summary>
public sealed class DeltaBaseLookupTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    public void Dispose() => _dir.Dispose();

    private static RollbackPoint Point(RollbackCatalog catalog, string environment, string database, DateTimeOffset at, params (string Strategy, string Status, DateTimeOffset FinishedAt)[] runs)
    {
        var (id, folder) = catalog.NewFolder(environment, at);
        var point = RollbackCatalog.Save(folder, new RollbackPointManifest
        {
            Id = id, Environment = environment, CreatedAt = at,
            Database = RollbackDatabaseInfo.From(new SqliteTarget(database)),
        });
        var n = 0;
        foreach (var (strategy, status, finishedAt) in runs)
        {
            var run = Path.Combine(folder, "runs", $"plan-{++n}");
            Directory.CreateDirectory(run);
            File.WriteAllText(Path.Combine(run, "report.json"),
                $$"""{"planId":"plan-{{n}}","strategy":"{{strategy}}","status":"{{status}}","finishedAt":"{{finishedAt:O}}"}""");
        }
        return point;
    }

    [Fact]
    public void Finds_the_newest_succeeded_Database_run_of_the_database_and_ignores_the_rest()
    {
        var catalog = new RollbackCatalog(_dir.File("catalog"));
        var production = _dir.File("production.db");
        var t0 = new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
        var older = Point(catalog, "Production", production, t0, ("Database", "Succeeded", t0.AddHours(1)));
        Point(catalog, "Production", production, t0.AddDays(1), ("Database", "Failed", t0.AddDays(1).AddHours(1)), ("LifeTime", "Succeeded", t0.AddDays(1).AddHours(2)));
        Point(catalog, "Quality", _dir.File("quality.db"), t0.AddDays(2), ("Database", "Succeeded", t0.AddDays(2).AddHours(1)));
        Assert.Equal(older.Id, LastDatabaseRunLookup.Find(catalog, new SqliteTarget(production), NullReporter.Instance)?.Id);

        var newer = Point(catalog, "Production", production, t0.AddDays(3), ("Database", "Succeeded", t0.AddDays(3).AddHours(1)));
        Assert.Equal(newer.Id, LastDatabaseRunLookup.Find(catalog, new SqliteTarget(production), NullReporter.Instance)?.Id);
        Assert.Null(LastDatabaseRunLookup.Find(catalog, new SqliteTarget(_dir.File("other.db")), NullReporter.Instance));
    }

    [Fact]
    public void A_rollback_point_without_a_backup_cannot_be_the_base()
    {
        var catalog = new RollbackCatalog(_dir.File("catalog"));
        var point = Point(catalog, "Production", _dir.File("production.db"), DateTimeOffset.UnixEpoch);
        var ex = Assert.Throws<OsRollbackException>(() => DeltaBaseSource.FromRollbackPoint(point));
        Assert.Equal("DeltaBaseHasNoBackup", ex.ErrorId);
    }
}
