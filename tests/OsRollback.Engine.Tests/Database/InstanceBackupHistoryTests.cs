using Microsoft.SqlServer.TransactSql.ScriptDom;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// '<c>sql01' | Get-OsDatabaseBackup</c> without -Database: the history of every user database on the
/// instance, read from msdb as dbatools' Get-DbaDbBackupHistory reads it.
/// </summary>
public class InstanceBackupHistoryTests
{
    private static readonly SqlServerTarget Instance = new("sql01", "master");

    private static SqlRow Row(long id, string database, int day, string file, int family = 1, string description = "nightly") =>
        FakeSqlServer.Row(("backup_set_id", id), ("database_name", database), ("server_name", "SQL01"),
            ("backup_start_date", new DateTime(2026, 11, day, 1, 0, 0)), ("backup_finish_date", new DateTime(2026, 11, day, 1, 5, 0)),
            ("backup_size", 1000L * id), ("is_copy_only", false), ("has_backup_checksums", true), ("description", description),
            ("physical_device_name", file), ("family_sequence_number", family));

    private static IInstanceBackupHistory HistoryOf(FakeSqlServer fake) =>
        new DatabaseProviders([new SqlServerProvider(TimeProvider.System, fake.Open)]).For(Instance).InstanceHistory!;

    [Fact]
    public void The_query_parses_and_reads_msdb_history_of_existing_user_databases()
    {
        var fragment = TSql.AssertParses(SqlServerInstanceHistory.Query);
        var tables = new TableNames();
        fragment.Accept(tables);

        Assert.Equal(["msdb.dbo.backupmediafamily", "msdb.dbo.backupset", "sys.databases"], tables.Names.Order(StringComparer.Ordinal));
        // Full backups only; the four system databases (database_id 1-4) are left out; a mirrored media set is read once.
        Assert.Contains("bs.type = 'D'", SqlServerInstanceHistory.Query, StringComparison.Ordinal);
        Assert.Contains("d.database_id > 4", SqlServerInstanceHistory.Query, StringComparison.Ordinal);
        Assert.Contains("bmf.mirror = 0", SqlServerInstanceHistory.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("@database", SqlServerInstanceHistory.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_database_is_listed_once_per_backup_set_newest_first_in_one_msdb_query()
    {
        var fake = new FakeSqlServer();
        fake.Answer("INNER JOIN sys.databases", () =>
        [
            Row(7, "intranet", 7, @"D:\b\intranet_7.bak"),
            Row(3, "intranet", 3, @"D:\b\intranet_3.bak"),
            Row(9, "outsystems", 9, @"D:\b\os_9_1.bak", 1, "OsRollback"),
            Row(9, "outsystems", 9, @"E:\b\os_9_2.bak", 2, "OsRollback"),
            Row(5, "outsystems", 5, @"D:\b\os_5.bak"),
        ]);

        var history = HistoryOf(fake).GetInstanceHistory(Instance, new BackupHistoryQuery());

        Assert.Equal(["intranet/7", "intranet/3", "outsystems/9", "outsystems/5"], history.Select(b => $"{b.Database}/{b.BackupId}"));
        Assert.Equal([@"D:\b\os_9_1.bak", @"E:\b\os_9_2.bak"], history[2].FilePath);
        Assert.True(history[2].WrittenByOsRollback);
        Assert.All(history, b => Assert.Equal("sql01", b.SqlInstance));
        var statement = Assert.Single(fake.Statements);
        Assert.Equal("msdb", statement.Database);
        Assert.Equal(SqlServerInstanceHistory.Query, statement.Sql);
    }

    [Fact]
    public void Newest_N_counts_per_database_and_a_folder_narrows_the_files()
    {
        var fake = new FakeSqlServer();
        fake.Answer("INNER JOIN sys.databases", () =>
        [
            Row(7, "intranet", 7, @"D:\b\intranet_7.bak"),
            Row(3, "intranet", 3, @"D:\old\intranet_3.bak"),
            Row(9, "outsystems", 9, @"D:\old\os_9.bak"),
            Row(5, "outsystems", 5, @"D:\b\os_5.bak"),
        ]);
        var history = HistoryOf(fake);

        Assert.Equal(["7", "9"], history.GetInstanceHistory(Instance, new BackupHistoryQuery { Last = 1 }).Select(b => b.BackupId));
        Assert.Equal(["7", "5"], history.GetInstanceHistory(Instance, new BackupHistoryQuery { Path = [@"D:\b"] }).Select(b => b.BackupId));
    }

    [Fact]
    public void A_SQLite_file_is_one_database_so_its_provider_has_no_instance_history()
    {
        var providers = DatabaseProviders.Create();
        Assert.Null(providers.For(new SqliteTarget("/tmp/platform.db")).InstanceHistory);
        Assert.NotNull(providers.For(Instance).InstanceHistory);
    }

    private sealed class TableNames : TSqlFragmentVisitor
    {
        public List<string> Names { get; } = [];

        public override void Visit(NamedTableReference node) =>
            Names.Add(string.Join(".", node.SchemaObject.Identifiers.Select(i => i.Value)));
    }
}

/// <summary>What a backup would do, as the engine states it: -WhatIf of Backup-OsDatabase asks, it does not switch on the engine.</summary>
public class BackupTraitsTests
{
    [Fact]
    public void SQL_Server_says_copy_only_and_verifies_when_asked_SQLite_always_verifies()
    {
        var providers = DatabaseProviders.Create();
        var sql = providers.For(new SqlServerTarget("sql01", "outsystems")).BackupTraits;
        var sqlite = providers.For(new SqliteTarget("/tmp/platform.db")).BackupTraits;

        Assert.Equal(@"Full copy-only backup to D:\b", sql.Describe(new BackupOptions(), @"D:\b"));
        Assert.Equal(@"Full backup to D:\b, then verify it", sql.Describe(new BackupOptions { CopyOnly = false, Verify = true }, @"D:\b"));
        Assert.Equal("Full backup to /b, then verify it", sqlite.Describe(new BackupOptions(), "/b"));
        Assert.Equal("Full backup to /b", BackupTraits.Plain.Describe(new BackupOptions(), "/b"));
    }
}
