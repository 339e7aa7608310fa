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

    /// <summary>A point whose backup file <paramref name="backupName"/> is recorded with its size and SHA-256, as the builder records it.</summary>
    private static RollbackPoint PointWithBackup(RollbackCatalog catalog, DatabaseTarget database, string backupName, byte[] content)
    {
        var (id, folder) = catalog.NewFolder("Production", DateTimeOffset.UnixEpoch);
        File.WriteAllBytes(Path.Combine(folder, backupName), content);
        return RollbackCatalog.Save(folder, new RollbackPointManifest
        {
            Id = id, Environment = "Production", CreatedAt = DateTimeOffset.UnixEpoch,
            Database = RollbackDatabaseInfo.From(database),
            Backup = new RollbackBackupInfo { Path = backupName, Verified = true },
            Files = [new RollbackFileInfo { Role = RollbackFileRoles.Backup, Path = backupName, SizeBytes = content.Length, Sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content)) }],
        });
    }

    [Fact]
    public void A_sqlite_point_backup_is_read_in_place_and_a_sql_server_one_must_be_restored_first()
    {
        var catalog = new RollbackCatalog(_dir.File("catalog"));
        var sqlite = PointWithBackup(catalog, new SqliteTarget(_dir.File("production.db")), "backup.db", [1, 2, 3]);
        Assert.Equal(sqlite.FullPath("backup.db"), Assert.IsType<SqliteTarget>(DeltaBaseSource.FromRollbackPoint(sqlite)).Path);

        var sql = PointWithBackup(catalog, new SqlServerTarget("sql01", "outsystems"), "backup.bak", [4, 5, 6]);
        var ex = Assert.Throws<OsRollbackException>(() => DeltaBaseSource.FromRollbackPoint(sql));
        Assert.Equal("DeltaBaseRestoreRequired", ex.ErrorId);
        Assert.Contains("-BaseSqlInstance", ex.RecommendedAction);
    }
}
