using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>Manifest paths are canonical and inside the point's folder once links are resolved.</summary>
public class RollbackPointPathTests
{
    private static async Task<(RollbackScenario S, RollbackPointManifest Manifest)> PointAsync()
    {
        var s = await RollbackScenario.CreateAsync(badDeploy: false);
        return (s, RollbackJson.Deserialize<RollbackPointManifest>(File.ReadAllText(Path.Combine(s.Point.Path, RollbackCatalog.ManifestFileName)), "m", "X", "manifest"));
    }

    /// <summary>Points the module graph at <paramref name="path"/> and writes the manifest with a matching checksum (as an attacker with write access would).</summary>
    private static OsRollbackException LoadWithGraphAt(RollbackScenario s, RollbackPointManifest manifest, string path)
    {
        manifest.Files.Single(f => f.Role == RollbackFileRoles.ModuleGraph).Path = path;
        RollbackCatalog.Save(s.Point.Path, manifest);
        return Assert.Throws<OsRollbackException>(() => RollbackCatalog.Load(s.Point.Path));
    }

    [Fact]
    public async Task A_sibling_folder_whose_name_starts_with_the_points_is_outside_it()
    {
        var (s, manifest) = await PointAsync();
        using var _ = s;
        var evil = Directory.CreateDirectory(s.Point.Path + "-evil").FullName;
        File.Copy(s.Point.FullPath("module-graph.json"), Path.Combine(evil, "graph.json"));

        var ex = LoadWithGraphAt(s, manifest, $"../{Path.GetFileName(s.Point.Path)}-evil/graph.json");

        Assert.Equal("RollbackPointInvalid", ex.ErrorId);
        Assert.Contains("outside its folder", ex.Message);
    }

    [Theory]
    [InlineData("./module-graph.json")]
    [InlineData("sub/../module-graph.json")]
    [InlineData("sub//module-graph.json")]
    public async Task A_path_that_is_not_canonical_is_refused(string path)
    {
        var (s, manifest) = await PointAsync();
        using var _ = s;
        Assert.Equal("RollbackPointInvalid", LoadWithGraphAt(s, manifest, path).ErrorId);
    }

    [Fact]
    public async Task An_absolute_path_is_refused()
    {
        var (s, manifest) = await PointAsync();
        using var _ = s;
        Assert.Equal("RollbackPointInvalid", LoadWithGraphAt(s, manifest, s.Point.FullPath("module-graph.json")).ErrorId);
    }

    [Fact]
    public async Task A_symbolic_link_inside_the_folder_to_a_file_outside_is_refused()
    {
        var (s, manifest) = await PointAsync();
        using var _ = s;
        var outside = s.Temp.File("elsewhere.json");
        File.Copy(s.Point.FullPath("module-graph.json"), outside);
        File.CreateSymbolicLink(s.Point.FullPath("linked-graph.json"), outside);

        var ex = LoadWithGraphAt(s, manifest, "linked-graph.json");

        Assert.Equal("RollbackPointInvalid", ex.ErrorId);
        Assert.Contains("resolves to", ex.Message);
    }

    [Fact]
    public async Task A_linked_subfolder_pointing_outside_is_refused_and_a_real_subfolder_is_accepted()
    {
        var (s, manifest) = await PointAsync();
        using var _ = s;
        var outside = Directory.CreateDirectory(s.Temp.File("outside")).FullName;
        File.Copy(s.Point.FullPath("module-graph.json"), Path.Combine(outside, "graph.json"));
        Directory.CreateSymbolicLink(s.Point.FullPath("linked"), outside);
        Assert.Equal("RollbackPointInvalid", LoadWithGraphAt(s, manifest, "linked/graph.json").ErrorId);

        Directory.CreateDirectory(s.Point.FullPath("real"));
        File.Copy(s.Point.FullPath("module-graph.json"), s.Point.FullPath("real/graph.json"));
        manifest.Files.Single(f => f.Role == RollbackFileRoles.ModuleGraph).Path = "real/graph.json";
        RollbackCatalog.Save(s.Point.Path, manifest);
        Assert.Equal("real/graph.json", RollbackCatalog.Load(s.Point.Path).Manifest.File(RollbackFileRoles.ModuleGraph)!.Path);
    }
}

/// <summary>The restore history cannot be forgotten: a deleted file, a removed or edited line is RestoreHistoryTampered.</summary>
public class RestoreHistoryTamperTests
{
    private static async Task<(RollbackScenario S, RollbackPlan Restored)> RestoredAsync()
    {
        var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(plan)).Status);
        return (s, plan);
    }

    private static string History(RollbackScenario s) => Path.Combine(s.Point.Path, RollbackPointRestores.FileName);

    [Fact]
    public async Task Deleting_restores_jsonl_is_noticed_by_planning()
    {
        var (s, _) = await RestoredAsync();
        using var _s = s;
        File.Delete(History(s));

        var planning = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true));

        Assert.Equal("RestoreHistoryTampered", planning.ErrorId);
        Assert.Equal(OsErrorCategory.SecurityError, planning.Category);
    }

    [Fact]
    public async Task A_plan_made_before_the_restore_is_refused_when_the_history_is_deleted()
    {
        using var s = await RollbackScenario.CreateAsync();
        var older = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(plan)).Status);
        File.Delete(History(s));
        s.World.DatabaseContent[s.Database.DisplayName] = "DB:written-after-the-restore";

        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(older, options: new RollbackExecutionOptions { Force = true }));

        Assert.Equal("RestoreHistoryTampered", ex.ErrorId);
        Assert.Contains(plan.Id, ex.Message);
        Assert.Equal("DB:written-after-the-restore", s.World.DatabaseContent[s.Database.DisplayName]);
    }

    [Fact]
    public async Task An_edited_line_breaks_the_chain()
    {
        using var s = await RollbackScenario.CreateAsync();
        var first = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var second = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(first)).Status);
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(second, options: new RollbackExecutionOptions { Force = true })).Status);
        Assert.Equal(2, RollbackPointRestores.Read(s.Point).Count);
        var lines = File.ReadAllLines(History(s));
        lines[0] = lines[0].Replace("\"at\":\"20", "\"at\":\"19");
        File.WriteAllLines(History(s), lines);

        var ex = Assert.Throws<OsRollbackException>(() => RollbackPointRestores.Read(s.Point));

        Assert.Equal("RestoreHistoryTampered", ex.ErrorId);
        Assert.Contains("line 2", ex.Message);
    }

    [Fact]
    public async Task A_removed_last_line_is_noticed_through_the_run_journal()
    {
        var (s, plan) = await RestoredAsync();
        using var _s = s;
        File.WriteAllText(History(s), "");

        var ex = Assert.Throws<OsRollbackException>(() => RollbackPointRestores.Read(s.Point));

        Assert.Equal("RestoreHistoryTampered", ex.ErrorId);
        Assert.Contains(plan.Id, ex.Message);
    }

    [Fact]
    public async Task A_history_copied_from_another_rollback_point_does_not_chain()
    {
        var (s, _) = await RestoredAsync();
        using var _s = s;
        using var other = await RollbackScenario.CreateAsync();
        File.Copy(History(s), Path.Combine(other.Point.Path, RollbackPointRestores.FileName));

        Assert.Equal("RestoreHistoryTampered", Assert.Throws<OsRollbackException>(() => RollbackPointRestores.Read(other.Point)).ErrorId);
    }
}
