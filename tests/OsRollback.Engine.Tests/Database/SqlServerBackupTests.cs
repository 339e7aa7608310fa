using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>Statement order and failure handling of the SQL Server engine, against a recording fake.</summary>
public class SqlServerBackupTests
{
    private static readonly SqlServerTarget Target = new("sql01", "outsystems");

    [Fact]
    public void Backup_probes_then_backs_up_copy_only_with_checksum_and_compression_and_reads_msdb()
    {
        var fake = new FakeSqlServer();
        var reporter = new RecordingReporter();
        var result = fake.Service().Backup(Target, new BackupOptions { Path = [@"\\nas\backups"], Timestamp = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero) }, reporter);

        var sql = fake.Sql.ToList();
        Assert.Contains("SERVERPROPERTY('EngineEdition')", sql[0]);
        var backup = sql.Single(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        Assert.Contains(@"TO DISK = N'\\nas\backups\outsystems_SQL01_20261126_100000.bak'", backup);
        Assert.Contains("COPY_ONLY, CHECKSUM, COMPRESSION", backup);
        Assert.Contains("STATS = 5", backup);
        Assert.True(fake.Statements.Single(s => s.Sql == backup).LongRunning);
        Assert.Contains("msdb.dbo.backupset", sql.Last());
        Assert.All(fake.Statements, s => Assert.Equal("master", s.Database));
        TSql.AssertParses(backup);

        Assert.Equal("42", result.BackupId);
        Assert.Equal(new[] { @"D:\Backup\outsystems_SQL01_20261126_100000.bak" }, result.FilePath);
        Assert.True(result.IsCopyOnly);
        Assert.True(result.HasChecksum);
        Assert.Equal(500_000L, result.CompressedSize);
        Assert.Equal(100m, result.FirstLsn);
        Assert.False(result.Verified);
    }

    [Theory]
    [InlineData(4, "Express Edition", "NO_COMPRESSION")]
    [InlineData(2, "Web Edition (64-bit)", "NO_COMPRESSION")]
    [InlineData(2, "Standard Edition (64-bit)", "COMPRESSION")]
    [InlineData(8, "SQL Azure", "COMPRESSION")]
    public void Compression_follows_the_probed_edition(int engineEdition, string edition, string expected)
    {
        var fake = new FakeSqlServer { EngineEdition = engineEdition, Edition = edition };
        fake.Service().Backup(Target, new BackupOptions { Path = [@"D:\b"] }, NullReporter.Instance);
        var backup = fake.Sql.Single(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        Assert.Contains("CHECKSUM, " + expected + ",", backup);
    }

    [Fact]
    public void Striped_backup_writes_one_file_per_folder_and_a_full_backup_when_asked()
    {
        var fake = new FakeSqlServer();
        fake.Service().Backup(Target, new BackupOptions { Path = [@"D:\a", @"E:\b\"], CopyOnly = false, Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) }, NullReporter.Instance);
        var backup = fake.Sql.Single(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        Assert.Contains(@"DISK = N'D:\a\outsystems_SQL01_20260102_030405_1of2.bak'", backup);
        Assert.Contains(@"DISK = N'E:\b\outsystems_SQL01_20260102_030405_2of2.bak'", backup);
        Assert.DoesNotContain("COPY_ONLY", backup);
        TSql.AssertParses(backup);
    }

    [Fact]
    public void Initialize_overwrites_the_file_with_FORMAT_INIT_and_keeps_the_other_options()
    {
        var fake = new FakeSqlServer();
        fake.Service().Backup(Target, new BackupOptions { FilePath = [@"D:
eused.bak"], Initialize = true, Verify = true }, NullReporter.Instance);
        var backup = fake.Sql.Single(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        Assert.Contains("WITH FORMAT, INIT, COPY_ONLY, CHECKSUM, COMPRESSION", backup);
        TSql.AssertParses(backup);
        Assert.Contains(fake.Sql, s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal));

        var appending = new FakeSqlServer();
        appending.Service().Backup(Target, new BackupOptions { FilePath = [@"D:
eused.bak"] }, NullReporter.Instance);
        var plain = appending.Sql.Single(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        Assert.DoesNotContain("FORMAT", plain);
        Assert.DoesNotContain("INIT", plain);
    }

    [Fact]
    public void Script_only_backup_carries_Initialize()
    {
        var service = new DatabaseBackupService(openSqlSession: (_, _) => throw new InvalidOperationException("must not connect"));
        var script = service.ScriptBackup(Target, new BackupOptions { FilePath = [@"D:
eused.bak"], Initialize = true });
        Assert.Contains("WITH FORMAT, INIT, COPY_ONLY", script);
        TSql.AssertParses(script);
    }

    [Fact]
    public async Task The_rollback_adapter_overwrites_the_file_it_names()
    {
        using var folder = new TempDirectory();
        var fake = new FakeSqlServer();
        var adapter = new OsRollback.Engine.Rollback.Adapters.DatabaseServiceAdapter(fake.Service());
        await adapter.BackupAsync(Target, folder.Path, "outsystems_point", NullReporter.Instance, CancellationToken.None);
        var backup = fake.Sql.Single(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        Assert.Contains("TO DISK = " + SqlText.Literal(folder.File("outsystems_point.bak")), backup);
        Assert.Contains("WITH FORMAT, INIT, COPY_ONLY, CHECKSUM", backup);
        Assert.Contains(fake.Sql, s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal));
    }

    [Fact]
    public void Stats_messages_become_progress_percent()
    {
        var fake = new FakeSqlServer();
        fake.InfoMessages["BACKUP DATABASE"] = ["10 percent processed.", "55 percent processed.", "Processed 100 pages for database 'outsystems'.", "100 percent processed."];
        var reporter = new RecordingReporter();
        fake.Service().Backup(Target, new BackupOptions { Path = [@"D:\b"] }, reporter);
        var percents = reporter.ProgressUpdates.Where(p => p.Status.Contains("percent processed")).Select(p => p.PercentComplete).ToList();
        Assert.Equal(new[] { 10, 55, 100 }, percents);
        Assert.Contains(reporter.Verboses, v => v.Contains("Processed 100 pages"));
        Assert.True(reporter.ProgressUpdates[^1].Completed);
    }

    [Fact]
    public void Verify_runs_verifyonly_with_checksum_and_marks_the_result()
    {
        var fake = new FakeSqlServer();
        var result = fake.Service().Backup(Target, new BackupOptions { Path = [@"D:\b"], Verify = true }, NullReporter.Instance);
        var sql = fake.Sql.ToList();
        var verify = sql.FindIndex(s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal));
        Assert.True(verify > sql.FindIndex(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal)));
        Assert.Contains("WITH CHECKSUM", sql[verify]);
        Assert.True(result.Verified);
    }

    [Fact]
    public void Azure_sql_database_gets_a_database_copy_waited_for_until_online()
    {
        var fake = new FakeSqlServer { EngineEdition = 5, Edition = "SQL Azure" };
        var polls = 0;
        fake.Answer("sys.dm_database_copies", () => [FakeSqlServer.Row(("state_desc", ++polls < 3 ? "COPYING" : "ONLINE"), ("percent_complete", polls * 30m), ("error_desc", null))]);
        var reporter = new RecordingReporter();
        var result = fake.Service().Backup(Target, new BackupOptions { CopyPollInterval = TimeSpan.Zero, Timestamp = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero) }, reporter);
        Assert.DoesNotContain(fake.Sql, s => s.StartsWith("BACKUP", StringComparison.Ordinal));
        var create = fake.Sql.Single(s => s.StartsWith("CREATE DATABASE", StringComparison.Ordinal));
        Assert.Equal("CREATE DATABASE [outsystems_osrollback_20261126_100000] AS COPY OF [outsystems];", create);
        Assert.Equal(3, polls);
        Assert.Equal(BackupKind.DatabaseCopy, result.Kind);
        Assert.Equal("outsystems_osrollback_20261126_100000", result.CopyDatabaseName);
        Assert.Contains(reporter.ProgressUpdates, p => p.PercentComplete == 30);
    }

    [Fact]
    public void A_failed_database_copy_is_a_clear_error()
    {
        var fake = new FakeSqlServer { EngineEdition = 5 };
        fake.Answer("sys.dm_database_copies", () => [FakeSqlServer.Row(("state_desc", "SUSPECT"), ("percent_complete", 0m), ("error_desc", "quota exceeded"))]);
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Backup(Target, new BackupOptions { CopyPollInterval = TimeSpan.Zero }, NullReporter.Instance));
        Assert.Equal("DatabaseCopyFailed", ex.ErrorId);
        Assert.Contains("quota exceeded", ex.Message);
    }

    [Fact]
    public void Azure_restore_swaps_names_and_keeps_the_replaced_database()
    {
        var fake = new FakeSqlServer { EngineEdition = 5 };
        fake.ExistingDatabases.Add("outsystems");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var result = fake.Service(time).RestoreCopy(Target, "outsystems_osrollback_20261126_100000", new RestoreOptions { WithReplace = true }, NullReporter.Instance);
        var renames = fake.Sql.Where(s => s.StartsWith("ALTER DATABASE", StringComparison.Ordinal)).ToList();
        Assert.Equal("ALTER DATABASE [outsystems] MODIFY NAME = [outsystems_replaced_20261126_120000];", renames[0]);
        Assert.Equal("ALTER DATABASE [outsystems_osrollback_20261126_100000] MODIFY NAME = [outsystems];", renames[1]);
        Assert.Equal("outsystems_replaced_20261126_120000", result.SafetyBackup!.CopyDatabaseName);
    }

    [Fact]
    public void Backup_of_a_database_that_does_not_exist_is_DatabaseNotFound()
    {
        var fake = new FakeSqlServer();
        fake.Answer("FROM sys.databases AS d\nWHERE d.name = @database", () => []);
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Backup(Target, new BackupOptions { Path = [@"D:\b"] }, NullReporter.Instance));
        Assert.Equal("DatabaseNotFound", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.StartsWith("BACKUP", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(3201, "Cannot open backup device 'X:\\nope\\a.bak'. Operating system error 3(The system cannot find the path specified.).", "BackupPathNotFound")]
    [InlineData(3202, "Write on \"D:\\b\\a.bak\" failed: 112(There is not enough space on the disk.)", "DiskFull")]
    [InlineData(3183, "RESTORE detected an error on page (1:123) in database \"x\" as read from the backup set. checksum", "BackupCorrupt")]
    [InlineData(3101, "Exclusive access could not be obtained because the database is in use.", "DatabaseBusy")]
    [InlineData(3154, "The backup set holds a backup of a database other than the existing 'x' database.", "BackupOfAnotherDatabase")]
    [InlineData(50000, "something else", "SqlServerError")]
    public void Server_errors_map_to_stable_error_ids(int number, string message, string errorId)
    {
        Assert.Equal(errorId, SqlErrors.Map(number, 16, message, "sql01\\x", connectionLost: false).ErrorId);
    }

    [Fact]
    public void A_lost_connection_is_ConnectionLost()
    {
        Assert.Equal("ConnectionLost", SqlErrors.Map(10054, 20, "A transport-level error has occurred", "sql01", connectionLost: true).ErrorId);
    }

    [Fact]
    public void Backup_failure_surfaces_as_the_mapped_error()
    {
        var fake = new FakeSqlServer();
        fake.FailOn("BACKUP DATABASE", () => SqlErrors.Map(3202, 16, "Write on \"D:\\b\\a.bak\" failed: 112(There is not enough space on the disk.)", "sql01", false));
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Backup(Target, new BackupOptions { Path = [@"D:\b"], Verify = true }, NullReporter.Instance));
        Assert.Equal("DiskFull", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal));
    }

    // ------------------------------------------------------------ restore

    [Fact]
    public void Restore_under_another_name_reads_headers_then_moves_and_renames_every_file()
    {
        var fake = new FakeSqlServer();
        var result = fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\outsystems.bak"], DatabaseName = "outsystems_parallel" }, NullReporter.Instance);
        var sql = fake.Sql.ToList();
        var header = sql.FindIndex(s => s.StartsWith("RESTORE HEADERONLY", StringComparison.Ordinal));
        var files = sql.FindIndex(s => s.StartsWith("RESTORE FILELISTONLY", StringComparison.Ordinal));
        var restore = sql.FindIndex(s => s.Contains("RESTORE DATABASE"));
        Assert.True(header < files && files < restore);
        Assert.DoesNotContain(sql, s => s.StartsWith("BACKUP", StringComparison.Ordinal));
        Assert.DoesNotContain("SINGLE_USER", sql[restore]);
        Assert.DoesNotContain("REPLACE", sql[restore]);
        Assert.Contains(@"MOVE N'outsystems' TO N'D:\Data\outsystems_parallel.mdf'", sql[restore]);
        Assert.Contains(@"MOVE N'outsystems_2' TO N'D:\Data\outsystems_parallel_outsystems_2.ndf'", sql[restore]);
        Assert.Contains(@"MOVE N'outsystems_log' TO N'L:\Log\outsystems_parallel_log.ldf'", sql[restore]);
        Assert.DoesNotContain(sql, s => s.Contains("sys.master_files"));
        TSql.AssertParses(sql[restore]);
        Assert.Contains("SET MULTI_USER", sql.Last());
        Assert.Equal("outsystems_parallel", result.Database);
        Assert.Equal("outsystems", result.SourceDatabase);
        Assert.Equal(3, result.Files.Count);
        Assert.Null(result.SafetyBackup);
    }

    [Fact]
    public void Restore_over_an_existing_database_needs_WithReplace_and_changes_nothing_without_it()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"] }, NullReporter.Instance));
        Assert.Equal("DatabaseExists", ex.ErrorId);
        Assert.Contains("-WithReplace", ex.RecommendedAction);
        Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE") || s.StartsWith("BACKUP", StringComparison.Ordinal) || s.Contains("ALTER DATABASE"));
    }

    [Fact]
    public void Restore_over_the_original_takes_and_verifies_a_safety_backup_then_restores_single_user_in_one_batch()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.master_files", () =>
        [
            FakeSqlServer.Row(("name", "outsystems"), ("physical_name", @"F:\SqlData\outsystems.mdf"), ("type_desc", "ROWS")),
            FakeSqlServer.Row(("name", "outsystems_2"), ("physical_name", @"G:\More\outsystems_2.ndf"), ("type_desc", "ROWS")),
            FakeSqlServer.Row(("name", "outsystems_log"), ("physical_name", @"H:\SqlLog\outsystems_log.ldf"), ("type_desc", "LOG")),
        ]);
        var result = fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance);
        var sql = fake.Sql.ToList();
        var backup = sql.FindIndex(s => s.StartsWith("BACKUP DATABASE [outsystems]", StringComparison.Ordinal));
        var verify = sql.FindIndex(s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal));
        var restore = sql.FindIndex(s => s.Contains("RESTORE DATABASE"));
        Assert.True(backup >= 0 && backup < verify && verify < restore);
        Assert.Contains("COPY_ONLY", sql[backup]);
        Assert.StartsWith("IF DB_ID(N'outsystems') IS NOT NULL ALTER DATABASE [outsystems] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;", sql[restore]);
        Assert.Contains("REPLACE", sql[restore]);
        // The replaced database's files stay where they are, not in the server's default folders.
        Assert.Contains(@"MOVE N'outsystems' TO N'F:\SqlData\outsystems.mdf'", sql[restore]);
        Assert.Contains(@"MOVE N'outsystems_2' TO N'G:\More\outsystems_2.ndf'", sql[restore]);
        Assert.Contains(@"MOVE N'outsystems_log' TO N'H:\SqlLog\outsystems_log.ldf'", sql[restore]);
        Assert.DoesNotContain(@"D:\Data", sql[restore]);
        Assert.Contains("SET MULTI_USER", sql[restore + 1]);
        TSql.AssertParses(sql[restore]);
        Assert.True(result.SafetyBackup!.Verified);
        Assert.True(result.ReplacedExisting);
    }

    [Fact]
    public void Restore_over_the_original_sends_files_the_target_does_not_have_to_the_default_folders()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.master_files", () =>
        [
            FakeSqlServer.Row(("name", "outsystems"), ("physical_name", @"F:\SqlData\outsystems.mdf"), ("type_desc", "ROWS")),
            FakeSqlServer.Row(("name", "outsystems_log"), ("physical_name", @"H:\SqlLog\outsystems_log.ldf"), ("type_desc", "LOG")),
        ]);
        var reporter = new RecordingReporter();
        fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, reporter);
        var restore = fake.Sql.Single(s => s.Contains("RESTORE DATABASE"));
        Assert.Contains(@"MOVE N'outsystems' TO N'F:\SqlData\outsystems.mdf'", restore);
        Assert.Contains(@"MOVE N'outsystems_2' TO N'D:\Data\outsystems_2.ndf'", restore);
        Assert.Contains(@"MOVE N'outsystems_log' TO N'H:\SqlLog\outsystems_log.ldf'", restore);
        Assert.Contains(reporter.Verboses, v => v.Contains("'outsystems_2'") && v.Contains(@"D:\Data\outsystems_2.ndf"));
        TSql.AssertParses(restore);
    }

    [Fact]
    public void Restore_over_the_original_uses_a_given_destination_folder_for_its_kind_of_file()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.master_files", () =>
        [
            FakeSqlServer.Row(("name", "outsystems"), ("physical_name", @"F:\SqlData\outsystems.mdf"), ("type_desc", "ROWS")),
            FakeSqlServer.Row(("name", "outsystems_2"), ("physical_name", @"G:\More\outsystems_2.ndf"), ("type_desc", "ROWS")),
            FakeSqlServer.Row(("name", "outsystems_log"), ("physical_name", @"H:\SqlLog\outsystems_log.ldf"), ("type_desc", "LOG")),
        ]);
        fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true, DestinationDataDirectory = @"N:\NewData" }, NullReporter.Instance);
        var restore = fake.Sql.Single(s => s.Contains("RESTORE DATABASE"));
        Assert.Contains(@"MOVE N'outsystems' TO N'N:\NewData\outsystems.mdf'", restore);
        Assert.Contains(@"MOVE N'outsystems_2' TO N'N:\NewData\outsystems_2.ndf'", restore);
        Assert.Contains(@"MOVE N'outsystems_log' TO N'H:\SqlLog\outsystems_log.ldf'", restore);

        var both = new FakeSqlServer();
        both.ExistingDatabases.Add("outsystems");
        both.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true, DestinationDataDirectory = @"N:\NewData", DestinationLogDirectory = @"M:\NewLog" }, NullReporter.Instance);
        Assert.DoesNotContain(both.Sql, s => s.Contains("sys.master_files"));
        Assert.Contains(@"MOVE N'outsystems_log' TO N'M:\NewLog\outsystems_log.ldf'", both.Sql.Single(s => s.Contains("RESTORE DATABASE")));
    }

    [Theory]
    [InlineData("RESTORING")]
    [InlineData("RECOVERY_PENDING")]
    [InlineData("SUSPECT")]
    public void Restore_over_a_database_left_not_online_skips_the_safety_backup_and_SINGLE_USER_and_replaces_it(string state)
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.databases AS d\nWHERE d.name = @database", () => [FakeSqlServer.Row(("name", "outsystems"), ("state_desc", state), ("user_access_desc", "MULTI_USER"))]);
        var reporter = new RecordingReporter();
        var result = fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, reporter);

        var sql = fake.Sql.ToList();
        Assert.DoesNotContain(sql, s => s.StartsWith("BACKUP", StringComparison.Ordinal) || s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal) || s.Contains("SINGLE_USER"));
        var restore = sql.FindIndex(s => s.Contains("RESTORE DATABASE"));
        Assert.StartsWith("RESTORE DATABASE [outsystems]", sql[restore]);
        Assert.Contains("REPLACE", sql[restore]);
        Assert.Contains("CHECKSUM", sql[restore]);
        Assert.Contains("SET MULTI_USER", sql[restore + 1]);
        TSql.AssertParses(sql[restore]);
        var warning = Assert.Single(reporter.Warnings);
        Assert.Contains(state, warning);
        Assert.Contains("nothing readable is left to protect", warning);
        Assert.Null(result.SafetyBackup);
        Assert.True(result.ReplacedExisting);
    }

    [Fact]
    public void Restore_over_a_database_left_RESTORING_still_needs_WithReplace_and_sets_MULTI_USER_after_a_failure()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.databases AS d\nWHERE d.name = @database", () => [FakeSqlServer.Row(("name", "outsystems"), ("state_desc", "RESTORING"))]);
        Assert.Equal("DatabaseExists", Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"] }, NullReporter.Instance)).ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE"));

        fake.FailOn("RESTORE DATABASE", () => SqlErrors.Map(0, 20, "A transport-level error has occurred.", "sql01", true));
        Assert.Equal("ConnectionLost", Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance)).ErrorId);
        Assert.Contains("SET MULTI_USER", fake.Sql.Last());
    }

    [Fact]
    public void A_failed_restore_still_sets_MULTI_USER_and_reports_the_error()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.FailOn("RESTORE DATABASE", () => SqlErrors.Map(3183, 16, "RESTORE detected an error on page (1:5). checksum failure", "sql01", false));
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance));
        Assert.Equal("BackupCorrupt", ex.ErrorId);
        var sql = fake.Sql.ToList();
        Assert.Contains("RESTORE DATABASE", sql[^2]);
        Assert.EndsWith("ALTER DATABASE [outsystems] SET MULTI_USER WITH ROLLBACK IMMEDIATE;", sql[^1]);
        Assert.DoesNotContain(sql, s => s.Contains("DROP"));
    }

    [Fact]
    public void A_busy_database_is_DatabaseBusy_and_is_set_back_to_MULTI_USER()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.FailOn("IF DB_ID(N'outsystems') IS NOT NULL ALTER DATABASE [outsystems] SET SINGLE_USER", () => SqlErrors.Map(5061, 16, "ALTER DATABASE failed because a lock could not be placed on database 'outsystems'.", "sql01", false));
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance));
        Assert.Equal("DatabaseBusy", ex.ErrorId);
        Assert.Contains("SET MULTI_USER", fake.Sql.Last());
    }

    [Fact]
    public void A_lost_connection_during_restore_is_ConnectionLost_and_MULTI_USER_is_attempted()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.FailOn("RESTORE DATABASE", () => SqlErrors.Map(0, 20, "A transport-level error has occurred.", "sql01", true));
        var reporter = new RecordingReporter();
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, reporter));
        Assert.Equal("ConnectionLost", ex.ErrorId);
        Assert.Contains("SET MULTI_USER", fake.Sql.Last());
    }

    [Fact]
    public void A_backup_of_another_database_is_refused_before_anything_changes()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("billing");
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Restore(new SqlServerTarget("sql01", "billing"), new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance));
        Assert.Equal("BackupOfAnotherDatabase", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE") || s.StartsWith("BACKUP", StringComparison.Ordinal));
    }

    [Fact]
    public void A_given_safety_backup_must_be_verified_recent_and_of_the_same_database()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        BackupResult Safety(string db, bool verified, TimeSpan age) => new() { Database = db, Verified = verified, Start = now - age, End = now - age, FilePath = [@"D:\Backup\safety.bak"] };
        string Attempt(BackupResult safety)
        {
            var fake = new FakeSqlServer();
            fake.ExistingDatabases.Add("outsystems");
            try
            {
                fake.Service(time).Restore(Target, new RestoreOptions
                {
                    FilePath = [@"D:\b\x.bak"], WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = safety,
                    SafetyBackupMaxAge = TimeSpan.FromMinutes(30),
                }, NullReporter.Instance);
                Assert.DoesNotContain(fake.Sql, s => s.StartsWith("BACKUP", StringComparison.Ordinal));
                return "ok";
            }
            catch (OsRollbackException ex)
            {
                Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE"));
                return ex.ErrorId;
            }
        }
        Assert.Equal("ok", Attempt(Safety("outsystems", true, TimeSpan.FromMinutes(10))));
        Assert.Equal("SafetyBackupTooOld", Attempt(Safety("outsystems", true, TimeSpan.FromHours(2))));
        Assert.Equal("SafetyBackupNotVerified", Attempt(Safety("outsystems", false, TimeSpan.FromMinutes(1))));
        Assert.Equal("SafetyBackupOfAnotherDatabase", Attempt(Safety("billing", true, TimeSpan.FromMinutes(1))));
    }

    [Fact]
    public void Missing_safety_backup_is_refused_with_the_reason()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting }, NullReporter.Instance));
        Assert.Equal("SafetyBackupMissing", ex.ErrorId);
    }

    [Fact]
    public void Test_restore_restores_to_a_scratch_name_runs_checkdb_and_drops_it_even_when_checkdb_fails()
    {
        var fake = new FakeSqlServer();
        fake.FailOn("DBCC CHECKDB", () => SqlErrors.Map(8928, 16, "Object ID 5: page could not be processed.", "sql01", false));
        Assert.Throws<OsRollbackException>(() => fake.Service().Verify(Target, new VerifyOptions { FilePath = [@"D:\b\x.bak"], TestRestore = true }, NullReporter.Instance));
        var sql = fake.Sql.ToList();
        var restore = sql.Single(s => s.StartsWith("RESTORE DATABASE [OsRollbackTest_outsystems_", StringComparison.Ordinal));
        Assert.Contains("_log.ldf", restore);
        Assert.StartsWith("IF DB_ID(N'OsRollbackTest_outsystems_", sql.Last());
        Assert.Contains("DROP DATABASE", sql.Last());
    }

    [Fact]
    public void Verify_says_what_it_checked()
    {
        var fake = new FakeSqlServer();
        var result = fake.Service().Verify(Target, new VerifyOptions { FilePath = [@"D:\b\x.bak"], TestRestore = true }, NullReporter.Instance);
        Assert.True(result.IsValid);
        Assert.Equal(new[] { "Header", "FileList", "Verify", "TestRestore", "CheckDb" }, result.Checks.Select(c => c.Name));
        Assert.Contains(result.Checks, c => c.Method == "RESTORE VERIFYONLY WITH CHECKSUM");
        Assert.Equal("outsystems", result.Database);
    }

    [Fact]
    public void History_groups_files_by_backup_set()
    {
        var fake = new FakeSqlServer();
        var row = (long id, string file, int seq) => FakeSqlServer.Row(("backup_set_id", id), ("database_name", "outsystems"), ("backup_start_date", new DateTime(2026, 11, (int)id, 1, 0, 0)),
            ("backup_finish_date", new DateTime(2026, 11, (int)id, 1, 5, 0)), ("backup_size", 10L), ("is_copy_only", true), ("has_backup_checksums", true),
            ("description", id == 2 ? "OsRollback" : "other"), ("physical_device_name", file), ("family_sequence_number", seq));
        fake.Answer("FROM msdb.dbo.backupset", () => [row(2, @"D:\a\2_1.bak", 1), row(2, @"E:\b\2_2.bak", 2), row(1, @"D:\a\1.bak", 1)]);
        var history = fake.Service().GetHistory(Target, new BackupHistoryQuery());
        Assert.Equal(2, history.Count);
        Assert.Equal(new[] { @"D:\a\2_1.bak", @"E:\b\2_2.bak" }, history[0].FilePath);
        Assert.True(history[0].WrittenByOsRollback);
        Assert.False(history[1].WrittenByOsRollback);
        Assert.Equal("msdb", fake.Statements.Single().Database);
        Assert.Single(fake.Service().GetHistory(Target, new BackupHistoryQuery { Last = 1 }));
    }

    [Fact]
    public void Retention_never_selects_backups_written_by_others()
    {
        var fake = new FakeSqlServer();
        var row = (long id, string description) => FakeSqlServer.Row(("backup_set_id", id), ("database_name", "outsystems"), ("backup_start_date", new DateTime(2026, 11, (int)id, 1, 0, 0)),
            ("backup_finish_date", new DateTime(2026, 11, (int)id, 1, 5, 0)), ("description", description), ("physical_device_name", $@"D:\a\{id}.bak"), ("family_sequence_number", 1));
        fake.Answer("FROM msdb.dbo.backupset", () => [row(5, "OsRollback"), row(4, "nightly job"), row(3, "OsRollback"), row(2, "OsRollback")]);
        var selected = fake.Service().SelectForRemoval(Target, new RetentionOptions { KeepLast = 1, Path = [@"D:\a"] });
        Assert.Equal(new[] { "3", "2" }, selected.Select(b => b.BackupId));
    }

    [Fact]
    public void Retention_needs_the_backup_folder_it_applies_to()
    {
        var ex = Assert.Throws<OsRollbackException>(() => new FakeSqlServer().Service().SelectForRemoval(Target, new RetentionOptions { KeepLast = 1 }));
        Assert.Equal("RetentionPathRequired", ex.ErrorId);
    }
}

public class BackupFolderMatchTests
{
    [Theory]
    [InlineData(@"D:\Backup\outsystems.bak", @"D:\Backup", true)]
    [InlineData(@"D:\Backup\outsystems.bak", @"D:\Backup\", true)]
    [InlineData(@"d:\backup\sub\outsystems.bak", @"D:\Backup", true)]
    [InlineData(@"D:\Backup_old\outsystems.bak", @"D:\Backup", false)]
    [InlineData(@"/var/opt/mssql/backup/x.bak", "/var/opt/mssql/backup", true)]
    [InlineData("/var/opt/mssql/backup2/x.bak", "/var/opt/mssql/backup", false)]
    public void A_folder_holds_only_files_under_it(string file, string folder, bool expected) =>
        Assert.Equal(expected, SqlServerBackupEngine.IsUnderFolder(file, folder));
}
