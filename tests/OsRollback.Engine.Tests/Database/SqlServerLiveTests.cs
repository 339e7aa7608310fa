using System.Globalization;
using Microsoft.Data.SqlClient;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Security;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>
/// Against a real SQL Server when OSROLLBACK_TEST_SQLSERVER holds a connection string (a
/// development instance: the tests create and drop databases named OsRollbackLive_*); skipped otherwise.
/// </summary>
public class SqlServerLiveTests
{
    private static SqlServerTarget Target(string database)
    {
        var text = Environment.GetEnvironmentVariable("OSROLLBACK_TEST_SQLSERVER");
        Skip.IfNot(text is { Length: > 0 }, "OSROLLBACK_TEST_SQLSERVER is not set");
        var builder = new SqlConnectionStringBuilder(text);
        return new SqlServerTarget(builder.DataSource, database, builder.IntegratedSecurity ? null : builder.UserID,
            builder.IntegratedSecurity ? null : SecretText.FromPlainText(builder.Password))
        {
            TrustServerCertificate = builder.TrustServerCertificate,
        };
    }

    private static void Exec(SqlServerTarget target, string sql)
    {
        using var session = SqlClientSession.Open(target, "master");
        session.ExecuteNonQuery(sql, longRunning: true);
    }

    [SkippableFact]
    public void Backup_verify_restore_under_another_name_and_over_the_original()
    {
        var name = "OsRollbackLive_" + Guid.NewGuid().ToString("N")[..8] + "]'x";
        var parallel = name + "_parallel";
        var target = Target(name);
        var service = new DatabaseBackupService();
        Exec(target, "CREATE DATABASE " + SqlText.QuoteName(name) + ";");
        try
        {
            Exec(target, "CREATE TABLE " + SqlText.QuoteName(name) + ".dbo.T (X int); INSERT INTO " + SqlText.QuoteName(name) + ".dbo.T VALUES (1), (2);");
            var reporter = new RecordingReporter();
            var backup = service.Backup(target, new BackupOptions { Verify = true }, reporter);
            Assert.True(backup.Verified);
            Assert.True(backup.IsCopyOnly);
            Assert.True(backup.HasChecksum);
            Assert.NotEmpty(backup.FilePath);
            Assert.Contains(reporter.ProgressUpdates, p => p.PercentComplete is > 0 and < 100);

            var check = service.Verify(target, new VerifyOptions { FilePath = backup.FilePath, TestRestore = true }, NullReporter.Instance);
            Assert.True(check.IsValid, check.ToString());

            var restored = service.Restore(target, new RestoreOptions { FilePath = backup.FilePath, DatabaseName = parallel }, NullReporter.Instance);
            Assert.Equal(parallel, restored.Database);

            Exec(target, "INSERT INTO " + SqlText.QuoteName(name) + ".dbo.T VALUES (3);");
            var over = service.Restore(target, new RestoreOptions { FilePath = backup.FilePath, WithReplace = true }, NullReporter.Instance);
            Assert.True(over.SafetyBackup!.Verified);
            using var session = SqlClientSession.Open(target, "master");
            Assert.Equal(2, Convert.ToInt32(session.ExecuteScalar("SELECT count(*) FROM " + SqlText.QuoteName(name) + ".dbo.T;"), CultureInfo.InvariantCulture));
            Assert.Equal("MULTI_USER", session.ExecuteScalar("SELECT CAST(DATABASEPROPERTYEX(@d, 'UserAccess') AS nvarchar(60));", [new("@d", name)], null));
            Assert.NotEmpty(service.GetHistory(target, new BackupHistoryQuery { Last = 5, OnlyOwn = true }));
        }
        finally
        {
            Exec(target, SqlServerScripts.DropScratch(parallel));
            Exec(target, SqlServerScripts.DropScratch(name));
        }
    }

    [SkippableFact]
    public void The_history_of_an_instance_lists_a_new_database_backup_beside_the_others()
    {
        var name = "OsRollbackLive_" + Guid.NewGuid().ToString("N")[..8];
        var target = Target(name);
        var service = new DatabaseBackupService();
        Exec(target, "CREATE DATABASE " + SqlText.QuoteName(name) + ";");
        try
        {
            var backup = service.Backup(target, new BackupOptions(), NullReporter.Instance);
            var history = service.EngineFor(target).InstanceHistory!.GetInstanceHistory(Target("master"), new BackupHistoryQuery { Last = 1 });
            var mine = Assert.Single(history, b => b.Database == name);
            Assert.Equal(backup.BackupId, mine.BackupId);
            Assert.DoesNotContain(history, b => b.Database is "master" or "model" or "msdb");
            Assert.Equal(history.Count, history.Select(b => b.Database).Distinct().Count());
        }
        finally
        {
            Exec(target, "DROP DATABASE " + SqlText.QuoteName(name) + ";");
        }
    }

    [SkippableFact]
    public void A_missing_backup_folder_is_BackupPathNotFound()
    {
        var target = Target("master");
        var ex = Assert.Throws<OsRollbackException>(() => new DatabaseBackupService().Backup(target, new BackupOptions { Path = ["/no/such/folder/" + Guid.NewGuid()] }, NullReporter.Instance));
        Assert.Equal("BackupPathNotFound", ex.ErrorId);
    }
}
