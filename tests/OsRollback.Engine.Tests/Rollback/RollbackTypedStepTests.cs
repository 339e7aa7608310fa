using Newtonsoft.Json.Linq;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Execution.Steps;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Tests.Rollback;

public class RollbackTypedStepTests
{
    [Fact]
    public void Every_step_type_has_exactly_one_handler_and_its_kind_is_its_type_name()
    {
        var stepTypes = typeof(RollbackStep).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(RollbackStep).IsAssignableFrom(t)).ToList();
        Assert.True(stepTypes.Count >= 15);
        Assert.Equal(stepTypes.OrderBy(t => t.Name), StepHandlers.HandledStepTypes.OrderBy(t => t.Name));
        Assert.Equal("DeployVersions", new DeployVersionsStep().Kind);
    }

    [Fact]
    public async Task Steps_are_written_with_their_kind_and_read_back_as_their_type()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var back = RollbackPlanFile.FromJson(RollbackPlanFile.ToJson(plan), "plan.json");
        Assert.Equal(plan.Steps.Select(x => x.GetType()), back.Steps.Select(x => x.GetType()));
        Assert.Contains(back.Steps, x => x is PublishModuleWaveStep { Wave: 1, Modules.Count: > 0 });
        Assert.Equal(2, back.FormatVersion);
    }

    [Fact]
    public void An_unknown_step_kind_is_RollbackPlanInvalid()
    {
        var json = JObject.Parse(RollbackPlanFile.ToJson(new RollbackPlan { Id = "p", Environment = "Production", RollbackPointId = "r", Steps = [new SmokeTestStep { Number = 1 }] }));
        json["steps"]![0]!["kind"] = "FormatTheDisk";
        var ex = Assert.Throws<OsRollbackException>(() => RollbackPlanFile.FromJson(json.ToString(), "plan.json"));
        Assert.Equal("RollbackPlanInvalid", ex.ErrorId);
        Assert.Contains("FormatTheDisk", ex.Message);
    }

    /// <summary>A plan as version 1 wrote it: no digest, every step with every optional field.</summary>
    internal static string AsVersion1(RollbackPlan plan)
    {
        var json = JObject.Parse(RollbackPlanFile.ToJson(plan));
        json["formatVersion"] = 1;
        json.Remove("planDigest");
        foreach (var step in json["steps"]!.Cast<JObject>())
        {
            step["versionKeys"] ??= new JArray();
            step["modules"] ??= new JArray();
            step["wave"] ??= JValue.CreateNull();
            step["sourceEnvironment"] ??= JValue.CreateNull();
        }
        return json.ToString();
    }

    [Theory]
    [InlineData(RollbackStrategy.LifeTime)]
    [InlineData(RollbackStrategy.Database)]
    public async Task A_version_1_plan_still_loads_and_runs_only_with_AllowUnapprovedPlan_and_a_warning_that_it_has_no_digest(RollbackStrategy strategy)
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(strategy, allowDataLoss: true);
        var v1 = RollbackPlanFile.FromJson(AsVersion1(plan), "old-plan.json");
        Assert.Equal(1, v1.FormatVersion);
        Assert.Equal(plan.Steps.Select(x => x.GetType()), v1.Steps.Select(x => x.GetType()));
        var refused = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(v1));
        Assert.Equal("PlanNotApproved", refused.ErrorId);
        Assert.Contains("-AllowUnapprovedPlan", refused.RecommendedAction);
        var result = await s.ExecuteAsync(v1, options: new RollbackExecutionOptions { AllowUnapprovedPlan = true });
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Contains(s.Reporter.Warnings, w => w.Contains("carries no digest"));
        if (strategy == RollbackStrategy.LifeTime) Assert.Equal("orders-v1", s.World.VersionOf("Production", "Orders"));
        else Assert.NotNull(result.ParallelDatabase);
    }

    [Fact]
    public async Task Finished_steps_journal_typed_outcomes_that_later_steps_and_the_result_read()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var result = await s.ExecuteAsync(plan);
        var journal = RollbackJournal.ReadEntries(result.JournalPath);
        var backup = Assert.Single(journal.Select(e => e.Outcome).OfType<BackupTaken>());
        Assert.Equal(result.PreRollbackBackup, backup.BackupPath);
        Assert.True(backup.SizeBytes > 0);
        Assert.Equal(result.ParallelDatabase, Assert.Single(journal.Select(e => e.Outcome).OfType<ParallelDatabaseRestored>()).ParallelDatabase);
        Assert.All(result.Steps, x => Assert.NotNull(x.Outcome));
    }

    [Fact]
    public async Task A_step_precondition_that_fails_stops_the_plan_before_the_first_step()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var broken = plan.Steps.Select(x => x is DeployVersionsStep d ? d with { SourceEnvironment = null } : x).ToList();
        plan.Steps = broken;
        plan.SourceEnvironment = null;
        RollbackPlanFile.Seal(plan);
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan));
        Assert.Equal("RollbackPlanInvalid", ex.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(s.Point.Path, "runs")));
    }
}

public class RollbackPlanDigestTests
{
    [Fact]
    public async Task Editing_the_source_environment_in_plan_json_is_refused_as_PlanDigestMismatch()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var path = s.Temp.File("plan.json");
        RollbackPlanFile.Write(plan, path, PlanFormat.Json);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"sourceEnvironment\": \"Quality\"", "\"sourceEnvironment\": \"Development\""));
        var edited = RollbackPlanFile.Read(path);
        Assert.Equal("Development", edited.SourceEnvironment);
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(edited));
        Assert.Equal("PlanDigestMismatch", ex.ErrorId);
        Assert.Equal(OsErrorCategory.SecurityError, ex.Category);
        Assert.DoesNotContain(s.World.Calls, c => c.StartsWith("Deploy", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(s.Point.Path, "runs")));
    }

    [Fact]
    public async Task The_digest_is_in_the_JSON_and_the_Markdown_and_survives_a_round_trip()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        Assert.Matches("^[0-9a-f]{64}$", plan.PlanDigest);
        var back = RollbackPlanFile.FromJson(RollbackPlanFile.ToJson(plan), "plan.json");
        Assert.Equal(plan.PlanDigest, RollbackPlanDigest.Compute(back));
        Assert.Contains($"sha256:{plan.PlanDigest}", RollbackPlanFile.ToMarkdown(plan));
        var other = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.NotEqual(plan.PlanDigest, other.PlanDigest);
    }

    [Fact]
    public async Task ExpectedPlanDigest_pins_what_the_approver_read()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var approvedOther = (await s.PlanAsync()).PlanDigest; // another plan, approved by mistake
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan, options: new RollbackExecutionOptions { ExpectedPlanDigest = approvedOther }));
        Assert.Equal("PlanDigestMismatch", ex.ErrorId);
        Assert.Contains(approvedOther, ex.Message);
        var result = await s.ExecuteAsync(plan, options: new RollbackExecutionOptions { ExpectedPlanDigest = "sha256:" + plan.PlanDigest.ToUpperInvariant() });
        Assert.Equal(RollbackRunStatus.Succeeded, result.Status);
        Assert.Equal(plan.PlanDigest, result.PlanDigest);
    }

    [Fact]
    public async Task A_version_2_plan_without_its_digest_is_refused()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        plan.PlanDigest = "";
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan));
        Assert.Equal("PlanDigestMismatch", ex.ErrorId);
    }
}

/// <summary>Counts the files hashed, to prove a command hashes each file at most once.</summary>
internal sealed class CountingFileHasher : IFileHasher
{
    public List<string> Hashed { get; } = [];

    public string Sha256(string path)
    {
        Hashed.Add(Path.GetFileName(path));
        return Sha256FileHasher.Instance.Sha256(path);
    }
}

public class RollbackPointVerificationTests
{
    [Fact]
    public async Task Planning_hashes_each_captured_file_at_most_once()
    {
        using var s = await RollbackScenario.CreateAsync();
        s.World.Deploy("Quality", "orders-v2"); // no upstream tag: the planner looks at Solution, Module and Database
        s.World.Deploy("Development", "orders-v2");
        var hasher = new CountingFileHasher();
        var verification = new RollbackPointVerification(s.Point, hasher);
        var plan = await new RollbackPlanner(s.World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = s.Point, Reason = "INC-1", Strategy = RollbackStrategy.Database, AllowDataLoss = true, Verification = verification,
        }, s.Reporter, default);
        Assert.Equal(RollbackStrategy.Database, plan.Strategy);
        Assert.NotEmpty(hasher.Hashed);
        Assert.Equal(hasher.Hashed.Distinct().Count(), hasher.Hashed.Count);
        verification.EnsureIntact(RollbackFileRoles.Backup, RollbackFileRoles.ModuleGraph);
        verification.CheckAll();
        Assert.Equal(hasher.Hashed.Distinct().Count(), hasher.Hashed.Count);
    }

    [Fact]
    public async Task Executing_a_plan_hashes_no_captured_file_but_still_refuses_a_changed_size()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var hasher = new CountingFileHasher();
        var run = s.Executor();
        run.FileHasher = hasher;
        var backup = s.Point.FullPath(s.Point.Manifest.Backup!.Path);
        File.AppendAllText(backup, "x");
        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(plan, executor: run));
        Assert.Equal("RollbackPointTampered", ex.ErrorId);
        File.WriteAllText(backup, File.ReadAllText(backup)[..^1]);
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(plan, executor: run)).Status);
        Assert.Empty(hasher.Hashed);
    }

    [Fact]
    public async Task The_schema_snapshot_is_covered_by_the_public_EnsureIntact()
    {
        using var s = await RollbackScenario.CreateAsync();
        RollbackPointVerifier.EnsureIntact(s.Point, RollbackFileRoles.SchemaSnapshot);
        File.AppendAllText(s.Point.FullPath(s.Point.Manifest.File(RollbackFileRoles.SchemaSnapshot)!.Path), " ");
        var ex = Assert.Throws<OsRollbackException>(() => RollbackPointVerifier.EnsureIntact(s.Point, RollbackFileRoles.SchemaSnapshot));
        Assert.Equal("RollbackPointTampered", ex.ErrorId);
    }
}

public class RollbackPointRestoreTests
{
    [Fact]
    public async Task A_Database_restore_is_recorded_and_a_later_or_older_Database_plan_is_refused_unless_forced()
    {
        using var s = await RollbackScenario.CreateAsync();
        var older = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(plan)).Status);
        var restore = Assert.Single(RollbackPointRestores.Read(s.Point));
        Assert.Equal(plan.Id, restore.PlanId);
        Assert.Contains(Environment.UserName, restore.By);

        var ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true));
        Assert.Contains("already restored", ex.Message);
        Assert.Contains(plan.Id, ex.Message);

        ex = await Assert.ThrowsAsync<OsRollbackException>(() => s.ExecuteAsync(older));
        Assert.Equal("RollbackPointAlreadyRestored", ex.ErrorId);
        Assert.Contains(plan.Id, ex.Message);

        var forcedPlan = await new RollbackPlanner(s.World.Ports().Platform!).CreateAsync(new RollbackPlanRequest
        {
            Point = s.Point, Reason = "again", Strategy = RollbackStrategy.Database, AllowDataLoss = true, Force = true,
        }, s.Reporter, default);
        Assert.Contains(forcedPlan.Warnings, w => w.Contains(plan.Id));
        var forced = await s.ExecuteAsync(older, options: new RollbackExecutionOptions { Force = true });
        Assert.Equal(RollbackRunStatus.Succeeded, forced.Status);
        Assert.Contains(s.Reporter.Warnings, w => w.Contains("already restored") && w.Contains("-Force"));
        Assert.Equal(2, RollbackPointRestores.Read(s.Point).Count);
    }

    [Fact]
    public async Task A_resumed_run_records_its_restore_once()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync(RollbackStrategy.Database, allowDataLoss: true);
        var restoreStep = plan.Steps.Single(x => x is RestoreDatabaseStep).Number;
        var run = s.Executor();
        run.JournalFactory = (folder, time) => new CrashingJournal(folder, time, restoreStep, JournalEvent.Finished);
        await Assert.ThrowsAsync<SimulatedCrash>(() => s.ExecuteAsync(plan, executor: run));
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(plan, resume: true)).Status);
        Assert.Single(RollbackPointRestores.Read(s.Point));
    }
}

public class DeployVersionsResumeTests
{
    [Fact]
    public async Task A_status_outage_while_the_deployment_runs_then_resume_continues_the_same_deployment()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        s.World.FailOnce["Deploy"] = new OsRollbackException("LifeTimeUnavailable", OsErrorCategory.ConnectionError, "LifeTime answered 503 while polling", "lt", "retry");
        var failed = await s.ExecuteAsync(plan);
        Assert.Equal(RollbackRunStatus.Failed, failed.Status);
        var journal = RollbackJournal.ReadEntries(failed.JournalPath);
        Assert.Equal("deployment-1", Assert.Single(journal, e => e.Event == JournalEvent.Progress).Outcome is DeploymentStarted started ? started.DeploymentKey : null);

        var resumed = await s.ExecuteAsync(plan, resume: true);
        Assert.Equal(RollbackRunStatus.Succeeded, resumed.Status);
        Assert.Equal(1, s.World.DeploymentsCreated);
        Assert.Contains("ContinueDeployment deployment-1", s.World.Calls);
        Assert.Equal("orders-v1", s.World.VersionOf("Production", "Orders"));
        Assert.Equal("deployment-1", Assert.IsType<DeploymentFinished>(resumed.Steps.Single(x => x.Kind == RollbackStepKind.DeployVersions).Outcome).DeploymentKey);
    }

    [Fact]
    public async Task A_crash_right_after_the_deployment_was_created_resumes_it_instead_of_creating_another()
    {
        using var s = await RollbackScenario.CreateAsync();
        var plan = await s.PlanAsync();
        var deploy = plan.Steps.Single(x => x is DeployVersionsStep).Number;
        var run = s.Executor();
        run.JournalFactory = (folder, time) => new CrashingJournal(folder, time, deploy, JournalEvent.Finished);
        await Assert.ThrowsAsync<SimulatedCrash>(() => s.ExecuteAsync(plan, executor: run));
        s.World.Deploy("Production", "orders-v2"); // LifeTime has not applied it yet when we come back
        Assert.Equal(RollbackRunStatus.Succeeded, (await s.ExecuteAsync(plan, resume: true)).Status);
        Assert.Equal(1, s.World.DeploymentsCreated);
        Assert.Contains("ContinueDeployment deployment-1", s.World.Calls);
    }
}
