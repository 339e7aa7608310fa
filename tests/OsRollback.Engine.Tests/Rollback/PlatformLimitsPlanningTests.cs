using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Where the Database strategy does not apply (OutSystems Cloud, Oracle) and what a plan says about business processes.</summary>
public class PlatformLimitsPlanningTests
{
    [Fact]
    public async Task On_OutSystems_Cloud_the_Database_strategy_is_never_planned_and_a_support_request_is_ready_to_send()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.ProductionIsCloud = true;

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true));

        Assert.Equal("NoStrategyPossible", error.ErrorId);
        Assert.Contains("OutSystems Cloud", error.Message);
        Assert.Contains("Restore to: ", error.Message);                    // the request itself, in the error
        Assert.Contains("OutSystems Support", error.RecommendedAction);
        Assert.Empty(s.World.Calls);                                       // nothing ran
    }

    [Fact]
    public async Task On_OutSystems_Cloud_a_LifeTime_plan_is_unchanged_and_carries_the_support_request_in_text_and_Markdown()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.ProductionIsCloud = true;

        var plan = await s.PlanAsync(allowDataLoss: true);

        Assert.Equal(RollbackStrategy.LifeTime, plan.Strategy);
        Assert.DoesNotContain(plan.Steps, step => step is RestoreDatabaseStep);
        var request = Assert.IsType<CloudSupportRequest>(plan.SupportRequest);
        Assert.Equal("Production", request.Environment);
        Assert.Equal(s.Point.Manifest.CreatedAt, request.RestoreTo);       // just before the deploy
        foreach (var text in new[] { request.Text, request.Markdown })
        {
            Assert.Contains("Production", text);
            Assert.Contains(s.Point.Manifest.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), text);
            Assert.Contains("parallel copy", text);
            Assert.Contains("full restore", text);
            Assert.Contains("Data-loss window", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Recover the data", text);
        }
        Assert.Contains(request.Markdown, RollbackPlanFile.ToMarkdown(plan));
        var database = plan.Assessments.Single(a => a.Strategy == RollbackStrategy.Database);
        Assert.False(database.Possible);
    }

    [Fact]
    public async Task Off_Cloud_no_support_request_is_made()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(RollbackStrategy.Database, plan.Strategy);
        Assert.Null(plan.SupportRequest);
    }

    [Fact]
    public async Task On_an_Oracle_platform_database_the_Database_strategy_refuses_with_a_clear_reason_and_the_others_work()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.ProductionDatabaseProvider = "Oracle";

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true));
        Assert.Contains("Oracle", error.Message);
        Assert.Contains("SQL Server only", error.Message);

        var plan = await s.PlanAsync(allowDataLoss: true);
        Assert.Equal(RollbackStrategy.LifeTime, plan.Strategy);
        Assert.Null(plan.SupportRequest);
    }

    [Fact]
    public async Task A_deployment_that_affected_business_processes_is_named_in_the_plan_before_anything_runs()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.BusinessProcessNotices.Add("Deployment d-7 to Production stopped for business_process_impact.");

        var plan = await s.PlanAsync();

        Assert.Contains(plan.Warnings, w => w.Contains("business_process_impact", StringComparison.Ordinal));
        Assert.Contains("business_process_impact", RollbackPlanFile.ToMarkdown(plan));
        Assert.Empty(s.World.Calls);
    }

    [Fact]
    public async Task On_an_Oracle_platform_database_New_OsRollbackPoint_given_a_SQL_Server_or_SQLite_database_refuses_the_backup_before_anything_is_written()
    {
        using var s = new RollbackScenario();
        s.World.ProductionDatabaseProvider = "Oracle";

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Database = s.Database }, s.Reporter, default));

        Assert.Equal("OracleDatabaseNotSupported", error.ErrorId);
        Assert.Equal(OsErrorCategory.InvalidOperation, error.Category);
        Assert.Contains("Oracle", error.Message);
        Assert.Contains("Oracle's own tools", error.RecommendedAction);
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("Backup", StringComparison.Ordinal));                   // no SQL Server/SQLite backup taken
        Assert.True(!Directory.Exists(s.Catalog.PointsDirectory) || Directory.GetDirectories(s.Catalog.PointsDirectory).Length == 0); // no half rollback point
    }

    [Fact]
    public async Task On_an_Oracle_platform_database_catalogs_given_without_a_platform_database_are_refused_too()
    {
        using var s = new RollbackScenario();
        s.World.ProductionDatabaseProvider = "Oracle";

        var error = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Catalogs = [s.Database] }, s.Reporter, default));

        Assert.Equal("OracleDatabaseNotSupported", error.ErrorId);
    }

    [Fact]
    public async Task On_an_Oracle_platform_database_New_OsRollbackPoint_without_a_database_captures_versions_and_package_and_says_why_not_the_database()
    {
        using var s = new RollbackScenario();
        s.World.ProductionDatabaseProvider = "Oracle";

        var point = await new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production" }, s.Reporter, default);

        var manifest = RollbackCatalog.Load(point.Path).Manifest;              // what is on disk, not the object in memory
        Assert.Contains("Oracle", manifest.DatabaseNotCaptured);
        Assert.Null(manifest.Backup);
        Assert.Null(manifest.File(RollbackFileRoles.Backup));
        Assert.Null(manifest.File(RollbackFileRoles.SchemaSnapshot));
        Assert.Null(manifest.File(RollbackFileRoles.ModuleGraph));
        foreach (var role in new[] { RollbackFileRoles.Backup, RollbackFileRoles.SchemaSnapshot, RollbackFileRoles.ModuleGraph })
            Assert.Contains("Oracle", manifest.Skipped[role]);
        Assert.NotNull(manifest.File(RollbackFileRoles.SolutionPackage));
        Assert.NotEmpty(manifest.Applications);
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("Backup", StringComparison.Ordinal));
        Assert.Contains(s.Reporter.Warnings, w => w.Contains("not captured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_database_New_OsRollbackPoint_refuses_an_environment_whose_platform_database_is_not_Oracle()
    {
        using var s = new RollbackScenario();

        var error = await Assert.ThrowsAsync<DatabaseParametersRequiredException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production" }, s.Reporter, default));

        Assert.Equal("DatabaseParametersRequired", error.ErrorId);
        Assert.True(!Directory.Exists(s.Catalog.PointsDirectory) || Directory.GetDirectories(s.Catalog.PointsDirectory).Length == 0);
    }

    [Fact]
    public async Task An_Oracle_point_without_a_database_plans_LifeTime_names_Oracle_for_Database_says_why_not_Module_and_passes_its_test()
    {
        using var s = new RollbackScenario();
        s.World.ProductionDatabaseProvider = "Oracle";
        s.Point = await new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production" }, s.Reporter, default);
        s.World.Deploy("Production", "orders-v2");

        var plan = await s.PlanAsync(allowDataLoss: true);
        Assert.Equal(RollbackStrategy.LifeTime, plan.Strategy);
        Assert.DoesNotContain(plan.Steps, step => step is RestoreDatabaseStep);

        var modules = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Module, allowDataLoss: true));
        Assert.Contains("no module graph", modules.Message);

        var database = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true));
        Assert.Contains("Oracle", database.Message);

        var test = await RollbackPointVerifier.TestAsync(s.Point, null, null, s.Reporter, default);
        Assert.True(test.Passed, string.Join("; ", test.Failures));
        Assert.False(test.BackupVerified);
        Assert.Contains(test.Checks, c => c.Name == RollbackPointVerification.DatabaseNotCapturedCheck && c.Message.Contains("Oracle", StringComparison.Ordinal));
    }
}
