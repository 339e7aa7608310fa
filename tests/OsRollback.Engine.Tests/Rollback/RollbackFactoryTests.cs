using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>A rollback point covers every database with application tables; the Database strategy restores them together.</summary>
public class RollbackFactoryTests
{
    /// <summary>A point of Production with the catalog intranet.db (and a log database named only to be left alone), then the bad deploy.</summary>
    internal static async Task<(RollbackScenario S, SqliteTarget Catalog, SqliteTarget Logs)> CreateAsync(bool badDeploy = true)
    {
        var s = new RollbackScenario();
        var catalog = new SqliteTarget(s.Temp.File("intranet.db"));
        var logs = new SqliteTarget(s.Temp.File("outsystems_log.db"));
        File.WriteAllText(catalog.Path, "");
        s.World.DatabaseContent[s.Database.DisplayName] = "DB:pre-deploy";
        s.World.DatabaseContent[catalog.DisplayName] = "DB:intranet-pre-deploy";
        s.Point = await new RollbackPointBuilder(s.Catalog, s.World.Ports()).CreateAsync(new RollbackPointRequest
        {
            Environment = "Production", Database = s.Database, Catalogs = [catalog], LoggingDatabase = logs,
        }, s.Reporter, CancellationToken.None);
        if (badDeploy)
        {
            s.World.Deploy("Production", "orders-v2");
            s.World.DatabaseContent[s.Database.DisplayName] = "DB:post-deploy";
            s.World.DatabaseContent[catalog.DisplayName] = "DB:intranet-post-deploy";
        }
        s.World.Calls.Clear();
        return (s, catalog, logs);
    }

    [Fact]
    public async Task The_rollback_point_records_each_catalog_with_its_backup_checksum_and_identity_and_the_databases_it_leaves_alone()
    {
        var (s, catalog, logs) = await CreateAsync(badDeploy: false);
        using var _ = s;
        var m = s.Point.Manifest;
        var recorded = Assert.Single(m.Catalogs);
        Assert.Equal(catalog.DisplayName, recorded.Database.DisplayName);
        Assert.Equal(catalog.Path, recorded.Identity!.Database);
        Assert.True(recorded.Verified);
        var file = m.File(recorded.BackupRole)!;
        Assert.Equal("DB:intranet-pre-deploy", File.ReadAllText(s.Point.FullPath(file.Path)));
        Assert.Equal(64, file.Sha256.Length);
        var untouched = Assert.Single(m.NotTouched);
        Assert.Equal((FactoryDatabaseRole.Logging, logs.DisplayName), (untouched.Role, untouched.DisplayName));
        Assert.Contains("logs of the failed deploy", untouched.Reason);
        Assert.Equal(new[] { catalog.DisplayName }, s.Point.Catalogs);

        // What is saved is what loads again.
        var loaded = RollbackCatalog.Load(s.Point.Path).Manifest;
        Assert.Equal(recorded.BackupRole, Assert.Single(loaded.Catalogs).BackupRole);
        Assert.Equal(recorded.Identity, loaded.Catalogs[0].Identity);
        Assert.Equal(FactoryDatabaseRole.Logging, Assert.Single(loaded.NotTouched).Role);
    }

    [Fact]
    public async Task A_Database_plan_backs_up_every_database_before_restoring_any_platform_first_and_names_what_it_does_not_touch()
    {
        var (s, catalog, logs) = await CreateAsync();
        using var _ = s;
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var db = plan.Steps.Where(st => st is IDatabaseStep).Select(st => (st.Kind, ((IDatabaseStep)st).Database)).ToList();
        Assert.Equal(
        [
            ("BackupCurrent", null), ("BackupCurrent", catalog.DisplayName), ("RestoreDatabase", null), ("RestoreDatabase", catalog.DisplayName),
        ], db);
        var kinds = plan.Steps.Select(st => st.Kind).ToList();
        Assert.True(kinds.LastIndexOf("BackupCurrent") < kinds.IndexOf("RestoreDatabase"));
        Assert.True(kinds.LastIndexOf("RestoreDatabase") < kinds.IndexOf("MaintenanceOff"));
        Assert.Equal(s.Database.DisplayName, plan.Steps.OfType<RestoreParallelStep>().Single().Target);
        Assert.Contains(plan.Warnings, w => w.Contains(logs.DisplayName) && w.StartsWith("Not touched", StringComparison.Ordinal));
        Assert.Contains(UntouchedDatabases.Rule, plan.Warnings);
        Assert.Contains(plan.Warnings, w => w.Contains("platform database only"));
        Assert.Contains(catalog.DisplayName, plan.Assessments.Single(a => a.Chosen).Reason);

        // The one function the executor (and a script writer) use to name each step's database.
        var targets = StepDatabases.Of(plan, s.Point, s.Database);
        Assert.Equal(new[] { s.Database.DisplayName, catalog.DisplayName }, targets.Select(t => t.Target.DisplayName));
        Assert.Equal(new[] { FactoryDatabaseRole.Platform, FactoryDatabaseRole.Catalog }, targets.Select(t => t.Role));

        // The plan round-trips through its file with the same digest.
        var again = RollbackPlanFile.FromJson(RollbackPlanFile.ToJson(plan), "plan.json");
        Assert.Equal(plan.PlanDigest, RollbackPlanDigest.Compute(again));
        Assert.Equal(catalog.DisplayName, again.Steps.OfType<RestoreDatabaseStep>().Last().Database);
    }

    [Fact]
    public async Task Every_database_is_restored_and_the_parallel_database_comes_from_the_platform_s_own_pre_rollback_backup()
    {
        var (s, catalog, _) = await CreateAsync();
        using var __ = s;
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var result = await s.ExecuteAsync(plan);

        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal("DB:pre-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
        Assert.Equal("DB:intranet-pre-deploy", s.World.DatabaseContent[catalog.DisplayName]);
        Assert.Equal(["Backup pre-rollback", "Backup pre-rollback-catalog-1"], s.World.Calls.Where(c => c.StartsWith("Backup", StringComparison.Ordinal)));
        Assert.True(s.World.Calls.IndexOf("Backup pre-rollback-catalog-1") < s.World.Calls.IndexOf("Restore"));
        Assert.Equal(2, s.World.Calls.Count(c => c == "Restore"));
        // Data written since the deploy is kept: the platform's in the parallel database, the catalog's in its own pre-rollback backup.
        Assert.Equal("DB:post-deploy", Assert.Single(s.World.ParallelDatabases).Value);
        Assert.EndsWith("pre-rollback.bak", result.PreRollbackBackup);
        var catalogBackup = Path.Combine(Path.GetDirectoryName(result.PreRollbackBackup)!, "pre-rollback-catalog-1.bak");
        Assert.Equal("DB:intranet-post-deploy", File.ReadAllText(catalogBackup));
    }

    [Fact]
    public async Task A_catalog_whose_safety_backup_fails_stops_the_run_before_any_database_is_restored()
    {
        var (s, catalog, _) = await CreateAsync();
        using var __ = s;
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        s.World.FailBackupOf.Add(catalog.DisplayName);
        var result = await s.ExecuteAsync(plan);

        Assert.Equal(RollbackRunStatus.Failed, result.Status);
        var failed = plan.Steps[result.FailedStep!.Value - 1];
        Assert.Equal(catalog.DisplayName, ((BackupCurrentStep)failed).Database);
        Assert.Equal("DiskFull", result.Error!.ErrorId);
        Assert.DoesNotContain("Restore", s.World.Calls);
        Assert.Equal("DB:post-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
        Assert.Equal("DB:intranet-post-deploy", s.World.DatabaseContent[catalog.DisplayName]);

        // Fixed, the run resumes: the platform's backup is not taken again, then both are restored.
        s.World.FailBackupOf.Clear();
        s.World.Calls.Clear();
        var resumed = await s.ExecuteAsync(plan, resume: true);
        Assert.Equal(RollbackRunStatus.Succeeded, resumed.Status);
        Assert.DoesNotContain("Backup pre-rollback", s.World.Calls);
        Assert.Equal("DB:intranet-pre-deploy", s.World.DatabaseContent[catalog.DisplayName]);
    }

    [Fact]
    public async Task A_catalog_restore_that_fails_says_which_databases_are_already_restored()
    {
        var (s, catalog, _) = await CreateAsync();
        using var __ = s;
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        s.World.FailRestoreOf.Add(catalog.DisplayName);
        var result = await s.ExecuteAsync(plan);

        Assert.Equal(RollbackRunStatus.Failed, result.Status);
        Assert.Contains($"Restored already in this run: {s.Database.DisplayName}; not restored: {catalog.DisplayName}", result.Error!.Message);
        Assert.Equal("DB:pre-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
        Assert.True(s.World.FirewallOpen is false, "the applications stay closed");
    }

    [Fact]
    public async Task A_missing_or_changed_catalog_backup_is_found_by_Test_OsRollbackPoint_and_rules_out_the_Database_strategy()
    {
        var (s, catalog, _) = await CreateAsync();
        using var __ = s;
        var healthy = await RollbackPointVerifier.TestAsync(s.Point, s.World.Ports().Database, s.Database, s.Reporter, default);
        Assert.True(healthy.Passed);
        Assert.Contains(healthy.Checks, c => c.Name == $"BackupVerify:{catalog.DisplayName}" && c.Passed);
        Assert.Equal(2, s.World.Calls.Count(c => c == "Verify"));

        var role = s.Point.Manifest.Catalogs[0].BackupRole;
        File.WriteAllText(s.Point.FullPath(s.Point.Manifest.File(role)!.Path), "DB:intranet-other");
        var broken = await RollbackPointVerifier.TestAsync(s.Point, s.World.Ports().Database, s.Database, s.Reporter, default);
        Assert.False(broken.Passed);
        Assert.Contains(broken.Checks, c => c.Name == role && !c.Passed);

        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true));
        Assert.Equal("NoStrategyPossible", ex.ErrorId);
        Assert.Contains($"the backup of the catalog {catalog.DisplayName} cannot be used", ex.Message);
    }

    [Fact]
    public async Task A_rollback_point_taken_before_catalogs_were_covered_still_loads_and_plans_the_platform_database_alone()
    {
        using var s = await RollbackScenario.CreateAsync();
        var manifestPath = Path.Combine(s.Point.Path, RollbackCatalog.ManifestFileName);
        var old = JObject.Parse(File.ReadAllText(manifestPath));
        old.Remove("catalogs");
        old.Remove("notTouched");
        File.WriteAllText(manifestPath, old.ToString());
        File.WriteAllText(Path.Combine(s.Point.Path, RollbackCatalog.ManifestChecksumFileName), $"{RollbackJson.Sha256OfFile(manifestPath)}  {RollbackCatalog.ManifestFileName}\n");
        s.Point = RollbackCatalog.Load(s.Point.Path);
        Assert.Empty(s.Point.Manifest.Catalogs);

        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(2, plan.Steps.Count(st => st is IDatabaseStep));
        Assert.All(plan.Steps.OfType<IDatabaseStep>(), st => Assert.Null(st.Database));
        Assert.Contains(UntouchedDatabases.Rule, plan.Warnings);
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(plan)).Status);
    }

    [Fact]
    public async Task A_catalog_that_cannot_be_backed_up_or_does_not_exist_leaves_no_rollback_point()
    {
        using var s = new RollbackScenario();
        var catalog = new SqliteTarget(s.Temp.File("intranet.db"));
        var request = new RollbackPointRequest { Environment = "Production", Database = s.Database, Catalogs = [catalog] };

        var missing = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports()).CreateAsync(request, s.Reporter, default));
        Assert.Equal("CatalogDatabaseNotFound", missing.ErrorId);
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("Backup", StringComparison.Ordinal));

        File.WriteAllText(catalog.Path, "");
        s.World.FailBackupOf.Add(catalog.DisplayName);
        var failed = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports()).CreateAsync(request, s.Reporter, default));
        Assert.Equal("FactoryBackupIncomplete", failed.ErrorId);
        Assert.Contains(catalog.DisplayName, failed.Message);
        Assert.False(Directory.Exists(s.Catalog.PointsDirectory) && Directory.GetDirectories(s.Catalog.PointsDirectory).Length > 0);

        var conflict = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Database = s.Database, Catalogs = [catalog], SessionDatabase = catalog }, s.Reporter, default));
        Assert.Equal("FactoryDatabaseRoleConflict", conflict.ErrorId);
    }

    [Fact]
    public void Catalog_names_become_databases_on_the_platform_s_instance_and_names_of_the_other_engine_are_refused()
    {
        var platform = new SqlServerTarget("sql01", "outsystems");
        var factory = FactoryDatabaseInputs.Resolve(platform, ["intranet", "internet"], [], "outsystems_log", null);
        Assert.Equal(new[] { @"sql01\intranet", @"sql01\internet" }, factory.Catalogs.Select(c => c.DisplayName));
        Assert.Equal(@"sql01\outsystems_log", factory.Logging!.DisplayName);
        Assert.Null(factory.Session);

        Assert.Equal("CatalogParameterMismatch", Assert.Throws<OsRollbackException>(() => FactoryDatabaseInputs.Resolve(platform, [], ["a.db"], null, null)).ErrorId);
        Assert.Equal("CatalogParameterMismatch", Assert.Throws<OsRollbackException>(() => FactoryDatabaseInputs.Resolve(new SqliteTarget("p.db"), ["intranet"], [], null, null)).ErrorId);
    }
}
