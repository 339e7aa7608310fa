using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>Every database with application tables is backed up and restored as one set; logging and session databases are left alone.</summary>
public sealed class FactoryDatabasesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly DatabaseBackupService _service = new();

    public void Dispose() => _dir.Dispose();

    private string Db(string name, int rows)
    {
        var path = _dir.File(name + ".db");
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"CREATE TABLE T (ID INTEGER PRIMARY KEY); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO T SELECT i FROM n;";
        cmd.ExecuteNonQuery();
        return path;
    }

    private static long Count(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM T";
        return (long)cmd.ExecuteScalar()!;
    }

    private static void Delete(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM T";
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void The_set_is_backed_up_and_restored_together_and_logs_are_not_touched()
    {
        var platform = Db("outsystems", 10);
        var catalog = Db("intranet", 20);
        var logs = Db("outsystems_log", 30);
        var backups = Directory.CreateDirectory(_dir.File("backups")).FullName;
        var factory = new FactoryDatabases(new SqliteTarget(platform), [new SqliteTarget(catalog)], logging: new SqliteTarget(logs));
        Assert.Equal(2, factory.WithApplicationTables.Count);
        var log = Assert.Single(factory.NotTouched);
        Assert.Equal(FactoryDatabaseRole.Logging, log.Role);
        Assert.Contains("logs", log.Reason);

        var taken = factory.BackupAll(_service, _ => new BackupOptions { Path = [backups] }, NullReporter.Instance);
        Assert.Equal(new[] { "outsystems", "intranet" }, taken.Select(t => t.Database));
        Delete(platform); Delete(catalog); Delete(logs);

        var restores = factory.WithApplicationTables.Zip(taken).ToDictionary(p => p.First, p => new RestoreOptions { FilePath = p.Second.Backup.FilePath, WithReplace = true });
        factory.RestoreAll(_service, restores, NullReporter.Instance);
        Assert.Equal(10, Count(platform));
        Assert.Equal(20, Count(catalog));
        Assert.Equal(0, Count(logs)); // the log database is not rolled back
    }

    [Fact]
    public void A_wrong_or_missing_member_stops_the_set_before_anything_is_replaced()
    {
        var platform = Db("outsystems", 10);
        var catalog = Db("intranet", 20);
        var backups = Directory.CreateDirectory(_dir.File("backups")).FullName;
        var factory = new FactoryDatabases(new SqliteTarget(platform), [new SqliteTarget(catalog)]);
        var taken = factory.BackupAll(_service, _ => new BackupOptions { Path = [backups] }, NullReporter.Instance);
        Delete(platform); Delete(catalog);

        var partial = new Dictionary<FactoryDatabase, RestoreOptions> { [factory.All[0]] = new() { FilePath = taken[0].Backup.FilePath, WithReplace = true } };
        Assert.Equal("FactoryRestoreIncomplete", Assert.Throws<OsRollbackException>(() => factory.RestoreAll(_service, partial, NullReporter.Instance)).ErrorId);

        // The catalog would get the platform's backup: planned first, so the platform is not replaced either.
        var swapped = new Dictionary<FactoryDatabase, RestoreOptions>
        {
            [factory.All[0]] = new() { FilePath = taken[0].Backup.FilePath, WithReplace = true },
            [factory.All[1]] = new() { FilePath = taken[0].Backup.FilePath, WithReplace = true },
        };
        Assert.Equal("BackupOfAnotherDatabase", Assert.Throws<OsRollbackException>(() => factory.RestoreAll(_service, swapped, NullReporter.Instance)).ErrorId);
        Assert.Equal(0, Count(platform));
        Assert.Equal(0, Count(catalog));
    }
}
