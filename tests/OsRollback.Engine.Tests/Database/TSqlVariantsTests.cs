using Microsoft.SqlServer.TransactSql.ScriptDom;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>Every statement variant the SQL Server engine can emit parses with TSql160Parser, and user input cannot inject T-SQL.</summary>
public class TSqlVariantsTests
{
    public static readonly string[] HostileNames =
    [
        "outsystems",
        "a]; DROP DATABASE x;--",
        "o'brien",
        "we[ird] name",
        "x'); DROP TABLE t; --",
        "名前 ü",
    ];

    public static readonly string[] HostilePaths =
    [
        @"D:\Backup",
        @"D:\it's\here",
        "/var/opt/mssql/data/a'; DROP DATABASE x;--",
        @"\\nas\share\O'Neil]",
    ];

    private static readonly BackupDevice[][] DeviceSets =
    [
        [new BackupDevice(@"D:\b\x.bak")],
        [new BackupDevice(@"D:\b\x_1of2.bak"), new BackupDevice(@"E:\b\x_2of2.bak")],
        [new BackupDevice("https://acct.blob.core.windows.net/backups/x.bak", IsUrl: true)],
        [BackupDevice.InDefaultFolder("x_SQL01_20261126_100000.bak")],
    ];

    /// <summary>Every variant: each builder with every combination of its options and hostile names and paths.</summary>
    public static IEnumerable<string> AllVariants()
    {
        yield return SqlServerScripts.ProbeServer;
        yield return SqlServerScripts.DatabaseInfo;
        yield return SqlServerScripts.DatabaseExists;
        yield return SqlServerScripts.DatabaseFiles;
        yield return SqlServerScripts.BackupSetByName;
        yield return SqlServerScripts.History;
        yield return SqlServerScripts.CopyState;
        foreach (var name in HostileNames)
        {
            foreach (var devices in DeviceSets)
                foreach (var copyOnly in new[] { true, false })
                    foreach (var compress in new[] { true, false })
                        foreach (var initialize in new[] { true, false })
                            yield return SqlServerScripts.Backup(name, devices, copyOnly, compress, 5, "OsRollback " + name, ["header " + name, "line\nbreak; DROP DATABASE x"], initialize);
            foreach (var devices in DeviceSets)
            {
                yield return SqlServerScripts.VerifyOnly(devices);
                yield return SqlServerScripts.HeaderOnly(devices);
                yield return SqlServerScripts.FileListOnly(devices);
                foreach (var replace in new[] { true, false })
                    foreach (var singleUser in new[] { true, false })
                        yield return SqlServerScripts.Restore(name, devices, [new FileMove(name, @"D:\Data\" + name + ".mdf"), new FileMove(name + "_log", "/var/log/" + name + ".ldf")], replace, 5, singleUser);
            }
            yield return SqlServerScripts.SetMultiUser(name);
            yield return SqlServerScripts.CheckDb(name);
            yield return SqlServerScripts.DropScratch(name);
            yield return SqlServerScripts.CreateCopy(name + "_copy", name);
            yield return SqlServerScripts.Rename(name, name + "_old");
            yield return SqlServerScripts.DropDatabase(name);
        }
        foreach (var path in HostilePaths)
        {
            var devices = new[] { new BackupDevice(path + @"\x.bak") };
            yield return SqlServerScripts.Backup("db", devices, true, true, 10, "n");
            yield return SqlServerScripts.Restore("db", devices, [new FileMove("db", path + @"\db.mdf")], true, 5, true);
        }
    }

    public static IEnumerable<object[]> VariantCases() => AllVariants().Select((sql, i) => new object[] { i, sql });

    [Theory]
    [MemberData(nameof(VariantCases))]
    public void Every_statement_variant_parses(int index, string sql)
    {
        Assert.True(index >= 0);
        TSql.AssertParses(sql);
    }

    [Fact]
    public void There_are_many_variants()
    {
        Assert.True(AllVariants().Count() > 200);
    }

    [Theory]
    [MemberData(nameof(HostileNameCases))]
    public void A_hostile_name_stays_one_identifier(string name)
    {
        var backup = TSql.AssertParses(SqlServerScripts.Backup(name, DeviceSets[0], true, true, 5, "n"));
        var statement = Assert.IsType<BackupDatabaseStatement>(Assert.Single(Assert.Single(((TSqlScript)backup).Batches).Statements));
        Assert.Equal(name, statement.DatabaseName.Identifier.Value);

        var restore = (TSqlScript)TSql.AssertParses(SqlServerScripts.Restore(name, DeviceSets[0], [new FileMove(name, "/d/" + name)], true, 5, true));
        var statements = Assert.Single(restore.Batches).Statements;
        Assert.Equal(2, statements.Count);
        Assert.IsType<IfStatement>(statements[0]);
        var restoreStatement = Assert.IsType<RestoreStatement>(statements[1]);
        Assert.Equal(name, restoreStatement.DatabaseName.Identifier.Value);
        var move = restoreStatement.Options.OfType<MoveRestoreOption>().Single();
        Assert.Equal(name, ((StringLiteral)move.LogicalFileName).Value);
        Assert.Equal("/d/" + name, ((StringLiteral)move.OSFileName).Value);
    }

    [Theory]
    [MemberData(nameof(HostileNameCases))]
    public void MULTI_USER_rolls_back_a_session_that_holds_the_single_slot(string name)
    {
        var script = (TSqlScript)TSql.AssertParses(SqlServerScripts.SetMultiUser(name));
        var statement = Assert.IsType<IfStatement>(Assert.Single(Assert.Single(script.Batches).Statements));
        var alter = Assert.IsType<AlterDatabaseSetStatement>(statement.ThenStatement);
        Assert.Equal(name, alter.DatabaseName.Value);
        Assert.Equal(DatabaseOptionKind.MultiUser, Assert.Single(alter.Options).OptionKind);
        Assert.True(alter.Termination?.ImmediateRollback);
    }

    public static IEnumerable<object[]> HostileNameCases() => HostileNames.Select(n => new object[] { n });

    [Fact]
    public void A_hostile_path_stays_one_literal()
    {
        var path = "/var/opt/mssql/data/a'; DROP DATABASE x;--/x.bak";
        var script = (TSqlScript)TSql.AssertParses(SqlServerScripts.Backup("db", [new BackupDevice(path)], true, true, 5, "n"));
        var statement = Assert.IsType<BackupDatabaseStatement>(Assert.Single(Assert.Single(script.Batches).Statements));
        Assert.Equal(path, ((StringLiteral)statement.Devices.Single().PhysicalDevice).Value);
    }

    [Fact]
    public void Header_comments_cannot_break_out()
    {
        var script = (TSqlScript)TSql.AssertParses(SqlServerScripts.Backup("db", DeviceSets[0], true, true, 5, "n", ["x\nDROP DATABASE y"]));
        Assert.Single(Assert.Single(script.Batches).Statements);
    }

    [Fact]
    public void Invalid_names_are_refused()
    {
        Assert.Equal("InvalidDatabaseName", Assert.Throws<OsRollbackException>(() => SqlText.QuoteName(new string('a', 129))).ErrorId);
        Assert.Equal("InvalidDatabaseName", Assert.Throws<OsRollbackException>(() => SqlText.QuoteName("")).ErrorId);
        Assert.Equal("InvalidSqlText", Assert.Throws<OsRollbackException>(() => SqlText.Literal("a\0b")).ErrorId);
    }

    [Fact]
    public void Script_only_backup_states_its_assumptions_and_parses_without_a_server()
    {
        var service = new DatabaseBackupService(openSqlSession: (_, _) => throw new InvalidOperationException("must not connect"));
        var script = service.ScriptBackup(new SqlServerTarget("sql01", "a]; DROP DATABASE x;--"), new BackupOptions { Path = [@"D:\it's"], Verify = true });
        Assert.StartsWith("-- Backup of", script);
        Assert.Contains("Assumed: engine edition 3", script);
        Assert.Contains("COMPRESSION", script);
        Assert.Contains("RESTORE VERIFYONLY", script);
        var parsed = (TSqlScript)TSql.AssertParses(script);
        Assert.Equal(2, parsed.Batches.Single().Statements.Count);

        var express = service.ScriptBackup(new SqlServerTarget("sql01", "db"), new BackupOptions { Path = [@"D:\b"], AssumedServer = new SqlServerFacts { EngineEdition = 4, Edition = "Express" } });
        Assert.Contains("NO_COMPRESSION", express);
        TSql.AssertParses(express);

        var azure = service.ScriptBackup(new SqlServerTarget("x.database.windows.net", "db"), new BackupOptions { AssumedServer = new SqlServerFacts { EngineEdition = 5 } });
        Assert.Contains("AS COPY OF [db]", azure);
        TSql.AssertParses(azure);
    }

    [Fact]
    public void Script_only_backup_without_a_path_lets_the_server_name_its_default_folder()
    {
        var service = new DatabaseBackupService(openSqlSession: (_, _) => throw new InvalidOperationException("must not connect"));
        var script = service.ScriptBackup(new SqlServerTarget("sql01", "o'brien"), new BackupOptions { Verify = true, Timestamp = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero) });
        Assert.Contains("SERVERPROPERTY('InstanceDefaultBackupPath')", script);
        Assert.Contains("N'o_brien_sql01_20261126_100000.bak'", script);
        Assert.Contains("TO DISK = @backupFile", script);
        Assert.Contains("RESTORE VERIFYONLY FROM DISK = @backupFile", script);
        var parsed = (TSqlScript)TSql.AssertParses(script);
        Assert.Equal(3, parsed.Batches.Single().Statements.Count);
    }

    [Fact]
    public void Script_only_restore_reads_the_file_list_and_changes_nothing()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        var script = fake.Service().ScriptRestore(new SqlServerTarget("sql01", "outsystems"), new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance);
        TSql.AssertParses(script);
        Assert.Contains("SET SINGLE_USER WITH ROLLBACK IMMEDIATE", script);
        Assert.Contains("SET MULTI_USER", script);
        Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE") || s.StartsWith("BACKUP", StringComparison.Ordinal) || s.Contains("ALTER"));
    }

    [Fact]
    public void Script_only_restore_over_a_database_left_RESTORING_has_no_SINGLE_USER()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.databases AS d\nWHERE d.name = @database", () => [FakeSqlServer.Row(("name", "outsystems"), ("state_desc", "RESTORING"))]);
        var script = fake.Service().ScriptRestore(new SqlServerTarget("sql01", "outsystems"), new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance);
        TSql.AssertParses(script);
        Assert.Contains("RESTORING, not ONLINE", script);
        Assert.DoesNotContain("SET SINGLE_USER", script);
        Assert.Contains("REPLACE", script);
    }

    [Fact]
    public void File_names_follow_the_documented_pattern()
    {
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 5, TimeSpan.FromHours(2));
        Assert.Equal("outsystems_SQL01_inst_20261126_080005.bak", BackupFileNaming.FileName(BackupFileNaming.DefaultPattern, "outsystems", @"SQL01\inst", at, 1, 1, ".bak"));
        Assert.Equal("a__ DROP DATABASE x_--_srv_20261126_080005_2of3.bak", BackupFileNaming.FileName(BackupFileNaming.DefaultPattern, "a]; DROP DATABASE x;--", "srv", at, 2, 3, ".bak"));
    }
}
