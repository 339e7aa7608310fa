using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Tests.Support;
using OsRollback.Engine.Database.SqlServer;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Tests.Database;

/// <summary>One restore plan for -WhatIf, -OutputScriptOnly and the restore; shared-server features stop a restore before anything runs.</summary>
public class RestorePlanAndSharedServerTests
{
    private static readonly SqlServerTarget Target = new("sql01", "outsystems");

    [Fact]
    public void The_script_and_the_restore_run_the_same_planned_statement()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        var service = fake.Service();
        var options = new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true };
        var plan = service.PlanRestore(Target, options, NullReporter.Instance);
        Assert.True(plan.TargetExists && plan.SafetyBackupNeeded);
        Assert.Contains("Replace the existing database outsystems", plan.Describe());
        var script = DatabaseBackupService.RenderScript(plan);
        Assert.Contains(plan.Statements[0], script);
        Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE") || s.StartsWith("BACKUP", StringComparison.Ordinal));

        fake.Statements.Clear();
        service.Restore(plan, options, NullReporter.Instance);
        Assert.Equal(plan.Statements[0], fake.Sql.Single(s => s.Contains("RESTORE DATABASE")));
        Assert.DoesNotContain(fake.Sql, s => s.StartsWith("RESTORE FILELISTONLY", StringComparison.Ordinal)); // not planned twice
        TSql.AssertParses(plan.Statements[0]);
    }

    [Fact]
    public void A_restore_as_a_new_database_needs_no_safety_backup_and_never_replaces()
    {
        var fake = new FakeSqlServer();
        var plan = fake.Service().PlanRestore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], DatabaseName = "outsystems_parallel" }, NullReporter.Instance);
        Assert.False(plan.TargetExists);
        Assert.False(plan.SafetyBackupNeeded);
        Assert.DoesNotContain("REPLACE", plan.Statements[0]);

        fake.ExistingDatabases.Add("outsystems_parallel");
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Providers.For(DatabaseEngineKind.SqlServer).RestoreAsNew(Target.WithDatabase("outsystems_parallel"), [@"D:\b\x.bak"], NullReporter.Instance));
        Assert.Equal("DatabaseExists", ex.ErrorId);
    }

    public static TheoryData<string, (string, object?)[]> SharedCases() => new()
    {
        { "DatabaseInAvailabilityGroup", [("availability_group", "AG1")] },
        { "DatabaseMirrored", [("mirroring_role_desc", "PRINCIPAL")] },
        { "DatabaseInLogShipping", [("in_log_shipping", true)] },
        { "DatabaseReplicated", [("is_published", true)] },
        { "DatabaseTdeCertificateMissing", [("encryption_state", 3), ("certificate_present", false)] },
    };

    [Theory]
    [MemberData(nameof(SharedCases))]
    public void A_database_shared_with_other_servers_is_not_restored_over(string errorId, (string, object?)[] columns)
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.databases AS d\nLEFT JOIN sys.database_mirroring", () => [FakeSqlServer.Row([("name", "outsystems"), .. columns])]);
        var ex = Assert.Throws<OsRollbackException>(() => fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, NullReporter.Instance));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.False(string.IsNullOrEmpty(ex.RecommendedAction));
        Assert.DoesNotContain(fake.Sql, s => s.Contains("RESTORE DATABASE") || s.StartsWith("BACKUP", StringComparison.Ordinal) || s.Contains("SINGLE_USER"));
    }

    [Fact]
    public void A_tde_database_whose_certificate_is_in_master_is_restored_with_a_warning()
    {
        var fake = new FakeSqlServer();
        fake.ExistingDatabases.Add("outsystems");
        fake.Answer("FROM sys.databases AS d\nLEFT JOIN sys.database_mirroring", () => [FakeSqlServer.Row(("name", "outsystems"), ("encryption_state", 3), ("certificate_present", true))]);
        var reporter = new RecordingReporter();
        fake.Service().Restore(Target, new RestoreOptions { FilePath = [@"D:\b\x.bak"], WithReplace = true }, reporter);
        Assert.Contains(reporter.Warnings, w => w.Contains("TDE"));
        Assert.Single(fake.Sql, s => s.Contains("RESTORE DATABASE"));
    }

    [Fact]
    public void The_new_queries_parse()
    {
        TSql.AssertParses(SharedServerFeatures.Query);
        TSql.AssertParses(SqlServerSafetyCheck.FamilyGuidQuery);
    }
}
