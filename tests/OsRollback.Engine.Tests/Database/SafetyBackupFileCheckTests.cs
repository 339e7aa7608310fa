using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using static OsRollback.Engine.Tests.Support.SqliteFile;
using OsRollback.Engine.Database.Sqlite;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// A safety backup is checked as a file right before anything is replaced: each way it can be
/// wrong is refused with its own ErrorId, and the database is left as it was.
/// </summary>
public sealed class SafetyBackupFileCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _backups;
    private readonly DatabaseBackupService _service = new();

    public SafetyBackupFileCheckTests()
    {
        _db = _dir.File("platform.db");
        _backups = Directory.CreateDirectory(_dir.File("backups")).FullName;
        Execute(_db, "CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL);" +
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO OSSYS_ESPACE (ID, NAME) SELECT i, 'Module_' || i FROM n;");
    }

    public void Dispose() => _dir.Dispose();

    private BackupResult Backup(string? database = null) =>
        _service.Backup(new SqliteTarget(database ?? _db), new BackupOptions { Path = [_backups] }, NullReporter.Instance);

    /// <summary>Restores a backup over the database with <paramref name="safety"/> as its safety backup; returns the ErrorId and checks nothing changed.</summary>
    private string RefusedWith(BackupResult safety)
    {
        var source = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 10;");
        var before = File.ReadAllBytes(_db);
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = source.FilePath, WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = safety,
        }, NullReporter.Instance));
        Assert.Equal(before, File.ReadAllBytes(_db));
        Assert.NotNull(ex.RecommendedAction);
        return ex.ErrorId;
    }

    private static void Overwrite(string file, long offset, int count, byte value)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(Enumerable.Repeat(value, count).ToArray());
    }

    private static void RewriteMetadata(string file, Action<JObject> change)
    {
        var path = file + ".osrollback.json";
        var json = JObject.Parse(File.ReadAllText(path));
        change(json);
        File.WriteAllText(path, json.ToString());
    }

    [Fact]
    public void A_corrupted_file_fails_its_checksum()
    {
        var safety = Backup();
        Overwrite(safety.FilePath[0], 4096 + 200, 64, 0x5A);
        Assert.Equal("SafetyBackupChecksumMismatch", RefusedWith(safety));
    }

    [Fact]
    public void A_corrupted_file_whose_checksum_was_rewritten_fails_quick_check()
    {
        var safety = Backup();
        var file = safety.FilePath[0];
        Overwrite(file, 4096, 4096, 0xFF); // page 2, the table's root page
        RewriteMetadata(file, j => j["Checksum"] = Checksum(file));
        Assert.Equal("SafetyBackupIntegrityFailed", RefusedWith(safety));
    }

    [Fact]
    public void A_truncated_file_is_refused_as_truncated()
    {
        var safety = Backup();
        using (var stream = new FileStream(safety.FilePath[0], FileMode.Open, FileAccess.Write)) stream.SetLength(stream.Length / 2);
        Assert.Equal("SafetyBackupTruncated", RefusedWith(safety));
    }

    [Fact]
    public void A_swapped_file_a_backup_of_another_database_with_the_same_name_is_refused()
    {
        var other = Path.Combine(Directory.CreateDirectory(_dir.File("elsewhere")).FullName, "platform.db");
        Execute(other, "CREATE TABLE T (X INTEGER); INSERT INTO T VALUES (1);");
        var swapped = Backup(other);
        Assert.Equal("platform", swapped.Database); // the name alone would let it through
        Assert.Equal("SafetyBackupOfAnotherDatabase", RefusedWith(swapped));
    }

    [Fact]
    public void Missing_metadata_fails_the_check()
    {
        var safety = Backup();
        File.Delete(safety.FilePath[0] + ".osrollback.json");
        Assert.Equal("SafetyBackupMetadataMissing", RefusedWith(safety));
    }

    [Fact]
    public void Unreadable_metadata_fails_the_check()
    {
        var safety = Backup();
        File.WriteAllText(safety.FilePath[0] + ".osrollback.json", "{ this is not json");
        Assert.Equal("SafetyBackupMetadataUnreadable", RefusedWith(safety));

        var second = Backup();
        RewriteMetadata(second.FilePath[0], j => j.Remove("Checksum"));
        Assert.Equal("SafetyBackupMetadataUnreadable", RefusedWith(second));
    }

    [Fact]
    public void Evidence_from_backup_and_verify_is_accepted_and_a_file_rewritten_since_is_refused()
    {
        var evidence = _service.BackupAndVerify(new SqliteTarget(_db), new BackupOptions { Path = [_backups] }, NullReporter.Instance);
        Assert.True(evidence.IsFromThisRun);
        Assert.Equal(Path.GetFullPath(_db), evidence.SourcePath);
        var source = Backup();
        Execute(_db, "DELETE FROM OSSYS_ESPACE;");
        var result = _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = source.FilePath, WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyEvidence = evidence,
        }, NullReporter.Instance);
        Assert.Same(evidence.Backup, result.SafetyBackup);

        // The same file, rewritten after it was verified (here: grown by a page), is no longer the verified file.
        using (var stream = new FileStream(evidence.Backup.FilePath[0], FileMode.Append)) stream.Write(new byte[4096]);
        Execute(_db, "DELETE FROM OSSYS_ESPACE WHERE ID > 5;");
        var before = File.ReadAllBytes(_db);
        var ex = Assert.ThrowsAny<OsRollbackException>(() => _service.Restore(new SqliteTarget(_db), new RestoreOptions
        {
            FilePath = source.FilePath, WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyEvidence = evidence,
        }, NullReporter.Instance));
        Assert.Equal("SafetyBackupChangedSinceVerified", ex.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(_db));
    }

    [Fact]
    public void The_import_safety_backup_goes_through_the_same_policy()
    {
        var import = new OsRollback.Engine.Drift.SqliteSafetyBackup();
        var taken = import.Take(new SqliteTarget(_db), _backups, NullReporter.Instance);
        Assert.True(File.Exists(taken + ".osrollback.json")); // written by the backup engine, with its checksum
        import.Verify(new SqliteTarget(_db), taken, NullReporter.Instance);

        var bare = _dir.File("bare-copy.db");
        File.Copy(_db, bare);
        var ex = Assert.ThrowsAny<OsRollbackException>(() => import.Verify(new SqliteTarget(_db), bare, NullReporter.Instance));
        Assert.Equal("SafetyBackupNotVerified", ex.ErrorId);
        Assert.Equal("SafetyBackupMetadataMissing", Assert.IsType<Engine.Database.Safety.SafetyBackupRefusedException>(ex.InnerException).ErrorId);
    }

    [Fact]
    public void The_header_gives_page_size_times_page_count_equal_to_the_file_size()
    {
        var backup = Backup();
        var header = SqliteHeader.Read(backup.FilePath[0]);
        Assert.True(header.HasMagic);
        Assert.True(header.PageCountValid);
        Assert.Equal(new FileInfo(backup.FilePath[0]).Length, header.ExpectedFileSize);
        File.WriteAllText(_dir.File("text.db"), "not a database at all, but long enough to fill a header of one hundred bytes......................");
        Assert.False(SqliteHeader.Read(_dir.File("text.db")).HasMagic);
    }

    private static string Checksum(string file) => SqliteBackupEngine.Checksum(file);
}

/// <summary>SQL Server safety backups: identity from RESTORE HEADERONLY, pages from VERIFYONLY WITH CHECKSUM, on the recording fake.</summary>
public class SqlServerSafetyBackupCheckTests
{
    private static readonly SqlServerTarget Target = new("sql01", "outsystems");
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static BackupResult Given() => new()
    {
        Database = "outsystems", SqlInstance = "sql01", Verified = true, Start = Now.AddMinutes(-5), End = Now.AddMinutes(-4),
        FilePath = [@"D:\Backup\outsystems_safety.bak"],
    };

    private static string Attempt(FakeSqlServer fake, BackupResult? safety = null)
    {
        fake.ExistingDatabases.Add("outsystems");
        try
        {
            fake.Service(new FakeTimeProvider(Now)).Restore(Target, new RestoreOptions
            {
                FilePath = [@"D:\b\x.bak"], WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyBackup = safety ?? Given(),
            }, NullReporter.Instance);
            return "ok";
        }
        catch (OsRollbackException ex)
        {
            Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE") || s.Contains("SINGLE_USER"));
            return ex.ErrorId;
        }
    }

    [Fact]
    public void A_given_backup_is_checked_by_header_identity_then_verifyonly_with_checksum_before_the_restore()
    {
        var fake = new FakeSqlServer();
        Assert.Equal("ok", Attempt(fake));
        var sql = fake.Sql.ToList();
        var header = sql.FindIndex(s => s.StartsWith("RESTORE HEADERONLY", StringComparison.Ordinal) && s.Contains("outsystems_safety.bak"));
        var family = sql.FindIndex(s => s.Contains("sys.database_recovery_status"));
        var verify = sql.FindIndex(s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal) && s.Contains("outsystems_safety.bak"));
        var restore = sql.FindIndex(s => s.Contains("RESTORE DATABASE"));
        Assert.True(header >= 0 && header < family && family < verify && verify < restore, string.Join("\n", sql));
        Assert.Contains("CHECKSUM", sql[verify]);
        TSql.AssertParses(sql[family]);
    }

    [Fact]
    public void A_backup_from_another_server_is_refused()
    {
        var fake = new FakeSqlServer();
        fake.Answer("RESTORE HEADERONLY", () => [FakeSqlServer.Row(("DatabaseName", "outsystems"), ("ServerName", "SQL99"), ("FamilyGUID", fake.FamilyGuid),
            ("BackupStartDate", new DateTime(2026, 11, 26, 10, 0, 0)), ("HasBackupChecksums", true))]);
        Assert.Equal("SafetyBackupOfAnotherDatabase", Attempt(fake));
    }

    [Fact]
    public void A_swapped_backup_of_a_database_of_the_same_name_but_another_family_is_refused()
    {
        var fake = new FakeSqlServer();
        fake.Answer("FROM sys.database_recovery_status", () => [FakeSqlServer.Row(("family_guid", Guid.NewGuid()))]);
        Assert.Equal("SafetyBackupOfAnotherDatabase", Attempt(fake));
    }

    [Fact]
    public void A_header_without_server_or_family_guid_fails_the_check()
    {
        var fake = new FakeSqlServer();
        fake.Answer("RESTORE HEADERONLY", () => [FakeSqlServer.Row(("DatabaseName", "outsystems"), ("BackupStartDate", new DateTime(2026, 11, 26, 10, 0, 0)), ("HasBackupChecksums", true))]);
        Assert.Equal("SafetyBackupHeaderIncomplete", Attempt(fake));
    }

    [Fact]
    public void A_backup_without_checksums_or_failing_verifyonly_is_refused()
    {
        var noChecksum = new FakeSqlServer();
        noChecksum.Answer("RESTORE HEADERONLY", () => [FakeSqlServer.Row(("DatabaseName", "outsystems"), ("ServerName", "SQL01"), ("FamilyGUID", noChecksum.FamilyGuid),
            ("BackupStartDate", new DateTime(2026, 11, 26, 10, 0, 0)), ("HasBackupChecksums", false))]);
        Assert.Equal("SafetyBackupWithoutChecksum", Attempt(noChecksum));

        var damaged = new FakeSqlServer();
        damaged.FailOn("RESTORE VERIFYONLY", () => SqlErrors.Map(3189, 16, "Damage to the backup set was detected.", "sql01", false));
        Assert.Equal("SafetyBackupIntegrityFailed", Attempt(damaged));
    }

    [Fact]
    public void A_safety_backup_taken_in_the_restore_is_verified_once_and_not_read_again()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance);
        var sql = fake.Sql.ToList();
        Assert.Single(sql, s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal));
        var backup = sql.FindIndex(s => s.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
        var family = sql.FindIndex(s => s.Contains("sys.database_recovery_status"));
        Assert.True(backup < family && family < sql.FindIndex(s => s.Contains("RESTORE DATABASE")));
    }

    [Fact]
    public void Evidence_from_backup_and_verify_is_rechecked_with_one_header_read()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        var service = fake.Service(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 5, 0, TimeSpan.Zero))); // the fake's msdb says the backup finished 10:01
        var evidence = service.BackupAndVerify(Target, new BackupOptions(), NullReporter.Instance);
        Assert.Equal(fake.FamilyGuid, evidence.FamilyGuid);
        fake.Statements.Clear();
        service.Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyEvidence = evidence }, NullReporter.Instance);
        Assert.DoesNotContain(fake.Sql, s => s.StartsWith("RESTORE VERIFYONLY", StringComparison.Ordinal) || s.StartsWith("BACKUP", StringComparison.Ordinal));
        Assert.Single(fake.Sql, s => s.StartsWith("RESTORE HEADERONLY", StringComparison.Ordinal) && s.Contains("outsystems_SQL01"));

        fake.Answer("RESTORE HEADERONLY", () => [FakeSqlServer.Row(("DatabaseName", "outsystems"), ("ServerName", "SQL01"), ("FamilyGUID", fake.FamilyGuid),
            ("BackupStartDate", new DateTime(2026, 11, 27, 9, 0, 0)), ("HasBackupChecksums", true))]);
        fake.Statements.Clear();
        var ex = Assert.ThrowsAny<OsRollbackException>(() => service.Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true, SafetyBackupPolicy = SafetyBackupPolicy.UseExisting, SafetyEvidence = evidence }, NullReporter.Instance));
        Assert.Equal("SafetyBackupChangedSinceVerified", ex.ErrorId);
        Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE"));
    }
}
