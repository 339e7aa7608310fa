using Newtonsoft.Json.Linq;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

/// <summary>
/// What an approver approved is what runs: a downgraded plan (format 1, no digest, safety steps
/// removed) is refused; the plan's digest covers the content hash of every rollback-point file it
/// uses; a file swapped for another of the same size is refused where it is used.
/// </summary>
public class ApprovalBindingTests
{
    /// <summary>The plan an attacker makes from an approved one: format 1, digest deleted, the safety steps removed, renumbered.</summary>
    private static RollbackPlan Downgrade(RollbackPlan plan)
    {
        var json = JObject.Parse(RollbackPlanFile.ToJson(plan));
        json["formatVersion"] = 1;
        json.Remove("planDigest");
        var kept = new JArray(json["steps"]!.Cast<JObject>().Where(st => (string?)st["kind"] is not ("BackupCurrent" or "SmokeTest" or "RestoreParallel")));
        for (var i = 0; i < kept.Count; i++) kept[i]["number"] = i + 1;
        json["steps"] = kept;
        return RollbackPlanFile.FromJson(json.ToString(), "plan.json");
    }

    [Fact]
    public async Task A_downgraded_plan_without_digest_and_safety_steps_is_refused_and_nothing_runs()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var downgraded = Downgrade(plan);
        Assert.DoesNotContain(downgraded.Steps, st => st is BackupCurrentStep or RestoreParallelStep);

        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(downgraded));

        Assert.Equal("PlanNotApproved", ex.ErrorId);
        Assert.Equal(OsErrorCategory.SecurityError, ex.Category);
        Assert.Equal("DB:post-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
        Assert.False(Directory.Exists(Path.Combine(s.Point.Path, "runs")));
        // Pinning the approved digest refuses it too, and names the difference.
        var pinned = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(downgraded, options: new RollbackExecutionOptions { ExpectedPlanDigest = "sha256:" + plan.PlanDigest }));
        Assert.Equal("PlanDigestMismatch", pinned.ErrorId);
    }

    [Fact]
    public async Task A_plan_without_digest_runs_when_the_approver_pinned_its_content_digest()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var json = JObject.Parse(RollbackPlanFile.ToJson(plan));
        json["formatVersion"] = 1;
        json.Remove("planDigest");
        var v1 = RollbackPlanFile.FromJson(json.ToString(), "plan.json");

        var result = await s.ExecuteAsync(v1, options: new RollbackExecutionOptions { ExpectedPlanDigest = RollbackPlanDigest.Compute(v1) });

        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task The_digest_covers_the_content_hash_of_every_rollback_point_file_the_plan_uses_the_backup_included()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var backup = s.Point.Manifest.File(RollbackFileRoles.Backup)!;
        var approved = Assert.Single(plan.RollbackPointFiles!, f => f.Role == RollbackFileRoles.Backup);
        Assert.Equal((backup.Path, backup.Sha256), (approved.Path, approved.Sha256));
        Assert.Contains(plan.RollbackPointFiles!, f => f.Role == RollbackFileRoles.ModuleGraph);

        // Another hash in the plan changes its digest ...
        var digest = plan.PlanDigest;
        plan.RollbackPointFiles = plan.RollbackPointFiles!.Select(f => f.Role == RollbackFileRoles.Backup ? f with { Sha256 = new string('0', 64) } : f).ToList();
        Assert.NotEqual(digest, RollbackPlanDigest.Compute(plan));
        Assert.Equal("PlanDigestMismatch", (await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan))).ErrorId);
        // ... and a plan sealed again with it no longer matches the rollback point.
        RollbackPlanFile.Seal(plan);
        Assert.Equal("RollbackPointChanged", (await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan))).ErrorId);
    }

    [Fact]
    public async Task A_backup_swapped_for_another_of_the_same_size_is_refused_before_anything_is_replaced()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var backup = s.Point.FullPath(s.Point.Manifest.Backup!.Path);
        var older = File.ReadAllText(backup).Replace("pre-deploy", "old-deploy"); // another valid backup, same size
        Assert.Equal(new FileInfo(backup).Length, older.Length);
        File.WriteAllText(backup, older);

        var result = await s.ExecuteAsync(plan);

        Assert.Equal(RollbackRunStatus.Failed, result.Status);
        Assert.Equal("BackupContentMismatch", result.Error!.ErrorId);
        Assert.IsType<RestoreDatabaseStep>(plan.Steps[result.FailedStep!.Value - 1]);
        Assert.Equal("DB:post-deploy", s.World.DatabaseContent[s.Database.DisplayName]);
        Assert.Empty(RollbackPointRestores.Read(s.Point));
    }

    [Fact]
    public async Task A_solution_package_swapped_for_another_of_the_same_size_is_not_published()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.Deploy("Quality", "orders-v2"); // no upstream tag: the Solution strategy
        var plan = await s.PlanAsync(RollbackStrategy.Solution);
        var package = s.Point.FullPath(s.Point.Manifest.File(RollbackFileRoles.SolutionPackage)!.Path);
        var bytes = File.ReadAllBytes(package);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(package, bytes);

        var result = await s.ExecuteAsync(plan);

        Assert.Equal(RollbackRunStatus.Failed, result.Status);
        Assert.Equal("RollbackPointTampered", result.Error!.ErrorId);
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("Publish", StringComparison.Ordinal));
    }
}
