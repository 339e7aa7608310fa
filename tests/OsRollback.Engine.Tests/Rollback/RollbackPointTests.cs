using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Security;
using OsRollback.Engine.Tests.Support;

namespace OsRollback.Engine.Tests.Rollback;

public class RollbackPointTests
{
    [Fact]
    public async Task A_rollback_point_holds_a_verified_backup_versions_package_graph_and_schema_with_checksums()
    {
        using var s = await RollbackScenario.CreateAsync(badDeploy: false);
        var m = s.Point.Manifest;
        Assert.Equal(RollbackPointManifest.CurrentFormatVersion, m.FormatVersion);
        Assert.Equal("Production", s.Point.Environment);
        Assert.StartsWith("Production-", s.Point.Id);
        Assert.True(m.Backup!.Verified);
        Assert.Equal(new[] { "Common", "Orders", "Billing" }, m.Applications.Select(a => a.Name));
        Assert.Equal("orders-v1", m.Applications.Single(a => a.Name == "Orders").VersionKey);
        Assert.Equal(new[] { RollbackFileRoles.Backup, RollbackFileRoles.SolutionPackage, RollbackFileRoles.ModuleGraph, RollbackFileRoles.SchemaSnapshot }, m.Files.Select(f => f.Role));
        Assert.All(m.Files, f => Assert.Equal(64, f.Sha256.Length));
        Assert.Equal(5, m.ModuleCount);
        Assert.Equal(3, m.SchemaTableCount);
        Assert.True(File.Exists(Path.Combine(s.Point.Path, RollbackCatalog.ManifestChecksumFileName)));
        Assert.Equal(s.Point.Path, s.Catalog.Open(s.Point.Id).Path);
        Assert.Single(s.Catalog.List("production", s.Reporter));
        Assert.Empty(s.Catalog.List("Quality", s.Reporter));
    }

    [Fact]
    public async Task Only_the_named_applications_are_captured_and_an_unknown_name_is_refused_with_a_suggestion()
    {
        using var s = await RollbackScenario.CreateAsync(badDeploy: false, applications: ["orders"]);
        Assert.Equal("Orders", Assert.Single(s.Point.Manifest.Applications).Name);

        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Applications = ["Ordrs"], Database = s.Database }, s.Reporter, default));
        Assert.Equal("UnknownApplication", ex.ErrorId);
        Assert.Contains("'Orders'", ex.Message);
        Assert.Single(Directory.GetDirectories(s.Catalog.PointsDirectory));
    }

    [Fact]
    public async Task A_failed_backup_leaves_no_half_rollback_point()
    {
        using var s = new RollbackScenario();
        s.World.FailOnce["Backup"] = new OsRollbackException("BackupFailed", OsErrorCategory.WriteError, "disk full");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Database = s.Database }, s.Reporter, default));
        Assert.Equal("BackupFailed", ex.ErrorId);
        Assert.Empty(Directory.GetDirectories(s.Catalog.PointsDirectory));
    }

    [Fact]
    public async Task A_package_that_cannot_be_downloaded_is_a_warning_and_is_recorded_as_skipped()
    {
        using var s = new RollbackScenario();
        s.World.FailOnce["DownloadPackage"] = new OsRollbackException("SolutionDownloadFailed", OsErrorCategory.ConnectionError, "LifeTime answered 503.");
        var point = await new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Database = s.Database }, s.Reporter, default);
        Assert.Null(point.Manifest.File(RollbackFileRoles.SolutionPackage));
        Assert.Contains("503", point.Manifest.Skipped[RollbackFileRoles.SolutionPackage]);
        Assert.Contains(s.Reporter.Warnings, w => w.Contains("solution package was not captured"));
    }

    [Fact]
    public async Task Unknown_environment_is_refused_before_anything_is_written()
    {
        using var s = new RollbackScenario();
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Prodution", Database = s.Database }, s.Reporter, default));
        Assert.Equal("UnknownEnvironment", ex.ErrorId);
        Assert.Contains("'Production'", ex.Message);
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("Backup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_platform_port_is_PlatformNotConnected()
    {
        using var s = new RollbackScenario();
        var ports = s.World.Ports();
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => new RollbackPointBuilder(s.Catalog, new RollbackPorts { Database = ports.Database, Schema = ports.Schema, ModuleGraph = ports.ModuleGraph })
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Database = s.Database }, s.Reporter, default));
        Assert.Equal("PlatformNotConnected", ex.ErrorId);
    }

    [Fact]
    public async Task A_tampered_manifest_is_refused()
    {
        using var s = await RollbackScenario.CreateAsync(badDeploy: false);
        var manifest = Path.Combine(s.Point.Path, RollbackCatalog.ManifestFileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("orders-v1", "orders-v9"));
        var ex = Assert.Throws<OsRollbackException>(() => s.Catalog.Open(s.Point.Id));
        Assert.Equal("RollbackPointTampered", ex.ErrorId);
        Assert.Empty(s.Catalog.List(null, s.Reporter)); // listing warns, never throws
        Assert.Contains(s.Reporter.Warnings, w => w.Contains("was changed after it was written"));
    }

    [Fact]
    public async Task Test_finds_a_changed_file_a_missing_file_and_verifies_the_backup()
    {
        using var s = await RollbackScenario.CreateAsync(badDeploy: false);
        var ports = s.World.Ports();
        var ok = await RollbackPointVerifier.TestAsync(s.Point, ports.Database, s.Database, s.Reporter, default);
        Assert.True(ok.Passed);
        Assert.True(ok.BackupVerified);

        File.AppendAllText(s.Point.FullPath(s.Point.Manifest.File(RollbackFileRoles.SchemaSnapshot)!.Path), " ");
        File.Delete(s.Point.FullPath(s.Point.Manifest.File(RollbackFileRoles.SolutionPackage)!.Path));
        var bad = await RollbackPointVerifier.TestAsync(s.Point, ports.Database, s.Database, s.Reporter, default);
        Assert.False(bad.Passed);
        Assert.Contains(bad.Failures, f => f.StartsWith("SolutionPackage", StringComparison.Ordinal) && f.Contains("missing"));
        Assert.Contains(bad.Failures, f => f.StartsWith("SchemaSnapshot", StringComparison.Ordinal) && f.Contains("bytes"));
        Assert.True(bad.BackupVerified);
    }

    [Fact]
    public async Task An_unknown_rollback_point_names_the_closest_ones()
    {
        using var s = await RollbackScenario.CreateAsync(badDeploy: false);
        var ex = Assert.Throws<OsRollbackException>(() => s.Catalog.Open(s.Point.Id[..^2] + "99"));
        Assert.Equal("RollbackPointNotFound", ex.ErrorId);
        Assert.Contains(s.Point.Id, ex.Message);
    }

    [Fact]
    public async Task A_rollback_point_holds_no_password()
    {
        using var s = new RollbackScenario();
        const string password = "Sup3r-S3cret-Pa55";
        var target = new SqlServerTarget("sql01", "outsystems", "osadmin", SecretText.FromPlainText(password));
        s.World.DatabaseContent[target.DisplayName] = "DB:x";
        var point = await new RollbackPointBuilder(s.Catalog, s.World.Ports())
            .CreateAsync(new RollbackPointRequest { Environment = "Production", Database = target }, s.Reporter, default);
        Assert.Equal("sql01", point.Manifest.Database.SqlInstance);
        Assert.DoesNotContain(password, s.AllText());
    }

    [Fact]
    public async Task Remove_refuses_while_a_run_is_unfinished_unless_forced()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.FailOnce["Deploy"] = new OsRollbackException("DeploymentFailed", OsErrorCategory.InvalidResult, "finished_with_errors");
        var plan = await s.PlanAsync();
        await s.ExecuteAsync(plan);
        var ex = Assert.Throws<OsRollbackException>(() => RollbackCatalog.Remove(s.Point, force: false, s.Reporter));
        Assert.Equal("RollbackPointInUse", ex.ErrorId);
        RollbackCatalog.Remove(s.Point, force: true, s.Reporter);
        Assert.False(Directory.Exists(s.Point.Path));
    }

    [Fact]
    public void The_catalog_is_the_parameter_else_OSROLLBACK_HOME_else_the_profile()
    {
        using var temp = new TempDirectory();
        Assert.Equal(Path.GetFullPath(temp.File("a")), RollbackCatalog.Resolve(temp.File("a")).Home);
        var before = Environment.GetEnvironmentVariable(RollbackCatalog.HomeVariable);
        try
        {
            Environment.SetEnvironmentVariable(RollbackCatalog.HomeVariable, temp.File("b"));
            Assert.Equal(Path.GetFullPath(temp.File("b")), RollbackCatalog.Resolve(null).Home);
            Environment.SetEnvironmentVariable(RollbackCatalog.HomeVariable, null);
            Assert.EndsWith(".osrollback", RollbackCatalog.Resolve(null).Home);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RollbackCatalog.HomeVariable, before);
        }
    }
}
