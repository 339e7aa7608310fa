using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Execution.Steps;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Rollback.Scripting;
using OsRollback.Engine.Tests.Database;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>A catalog on the platform's SQL Server instance: the statements its steps send, on the recording fake, parsed by ScriptDom.</summary>
public class RollbackFactorySqlServerTests
{
    private static readonly SqlServerTarget Platform = new("sql01", "outsystems");

    [Fact]
    public async Task The_catalog_steps_back_up_and_restore_the_catalog_on_the_platform_s_instance_with_its_own_backup_and_no_second_safety_backup()
    {
        using var s = new RollbackScenario();
        var catalog = Platform.WithDatabase("intranet");
        s.World.DatabaseContent[Platform.DisplayName] = "DB:pre-deploy";
        s.World.DatabaseContent[catalog.DisplayName] = "DB:intranet";
        s.Point = await new RollbackPointBuilder(s.Catalog, s.World.Ports()).CreateAsync(new RollbackPointRequest
        {
            Environment = "Production", Database = Platform, Catalogs = [catalog],
        }, s.Reporter, CancellationToken.None);
        s.World.Deploy("Production", "orders-v2");
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);

        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.ExistingDatabases.Add("intranet");
        // msdb answers for the backup just written; headers of the catalog's files name the catalog.
        fake.Readers.Insert(0, (sql => sql.Contains("FROM msdb.dbo.backupset"), () =>
        {
            var last = fake.Sql.Last(x => x.StartsWith("BACKUP DATABASE", StringComparison.Ordinal));
            return [FakeSqlServer.Row(("backup_set_id", 42L), ("database_name", Regex.Match(last, @"BACKUP DATABASE \[(.*?)\]").Groups[1].Value), ("server_name", "SQL01"),
                ("backup_start_date", new DateTime(2026, 11, 26, 10, 0, 0)), ("backup_finish_date", new DateTime(2026, 11, 26, 10, 1, 0)), ("backup_size", 2_000_000L),
                ("compressed_backup_size", 500_000L), ("first_lsn", 100m), ("last_lsn", 200m), ("is_copy_only", true), ("has_backup_checksums", true), ("recovery_model", "FULL"),
                ("description", "OsRollback"), ("physical_device_name", Regex.Match(last, @"TO DISK = N'(.*?)'").Groups[1].Value), ("family_sequence_number", 1))];
        }
        ));
        fake.Readers.Insert(0, (sql => sql.Contains("RESTORE HEADERONLY") && sql.Contains("catalog-1"), () =>
            [FakeSqlServer.Row(("DatabaseName", "intranet"), ("ServerName", "SQL01"), ("FamilyGUID", fake.FamilyGuid), ("BackupType", 1),
                ("BackupStartDate", new DateTime(2026, 11, 26, 10, 0, 0)), ("BackupSize", 1000L), ("HasBackupChecksums", true))]));

        var journal = new RollbackJournal(RollbackRun.RunFolder(s.Point, plan), TimeProvider.System);
        var context = new StepContext
        {
            Plan = plan, Point = s.Point, Verification = new RollbackPointVerification(s.Point), Database = Platform,
            Ports = new RollbackPorts { Database = new DatabaseServiceAdapter(fake.Service(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 5, 0, TimeSpan.Zero)))) }, Journal = journal, Reporter = NullReporter.Instance,
        };
        foreach (var step in plan.Steps.Where(st => st is BackupCurrentStep or RestoreDatabaseStep { Database: not null }))
        {
            var handler = StepHandlers.For(step);
            handler.CheckPreconditions(step, context);
            var outcome = await handler.RunAsync(step, context, CancellationToken.None);
            journal.Write(step.Number, step.Kind, JournalEvent.Finished, outcome.Detail, outcome);
        }

        var sql = fake.Sql.ToList();
        var catalogBackups = sql.Where(x => x.StartsWith("BACKUP DATABASE [intranet]", StringComparison.Ordinal)).ToList();
        Assert.Contains("pre-rollback-catalog-1.bak", Assert.Single(catalogBackups)); // the pre-rollback backup is the restore's safety backup
        Assert.Single(sql, x => x.StartsWith("BACKUP DATABASE [outsystems]", StringComparison.Ordinal));
        var restore = sql.Single(x => x.Contains("RESTORE DATABASE"));
        Assert.StartsWith("IF DB_ID(N'intranet') IS NOT NULL ALTER DATABASE [intranet] SET SINGLE_USER", restore);
        Assert.Contains($"FROM DISK = N'{s.Point.FullPath(s.Point.Manifest.File(s.Point.Manifest.Catalogs[0].BackupRole)!.Path)}'", restore);
        Assert.DoesNotContain("[outsystems]", restore);
        Assert.Contains(sql, x => x.Contains("ALTER DATABASE [intranet] SET MULTI_USER"));
        foreach (var statement in sql.Where(x => x.StartsWith("BACKUP", StringComparison.Ordinal) || x.StartsWith("RESTORE", StringComparison.Ordinal) || x.StartsWith("IF DB_ID", StringComparison.Ordinal) || x.StartsWith("ALTER", StringComparison.Ordinal)))
            TSql.AssertParses(statement);
        Assert.Equal(catalog.DisplayName, journal.PreRollbackBackupOf(catalog.DisplayName)!.Database);
        Assert.EndsWith("pre-rollback.bak", journal.PreRollbackBackupOf(null)!.BackupPath);

        // -OutputScriptOnly names the same database, file and backup for the catalog's steps as the run sent.
        var script = RollbackScriptWriter.Sections(plan, s.Point, DateTimeOffset.UtcNow).Where(x => x.Step is IDatabaseStep { Database: not null }).SelectMany(x => x.Statements).ToList();
        Assert.Contains(script, x => x.StartsWith("BACKUP DATABASE [intranet]", StringComparison.Ordinal) && x.Contains("pre-rollback-catalog-1.bak", StringComparison.Ordinal));
        // Up to WITH: the run adds MOVE for the files sys.master_files lists then, which the script says in a comment.
        static string UpToWith(string sql) => sql[..sql.IndexOf("\nWITH", StringComparison.Ordinal)];
        Assert.Equal(UpToWith(restore), UpToWith(script.Single(x => x.Contains("RESTORE DATABASE", StringComparison.Ordinal))));
        Assert.DoesNotContain(script, x => x.Contains("[outsystems]", StringComparison.Ordinal));
        foreach (var statement in script) TSql.AssertParses(statement);
    }
}
