using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>How Invoke-OsRollback runs a plan.</summary>
public sealed class RollbackExecutionOptions
{
    /// <summary>Continue a run that crashed or failed, from its first unfinished step.</summary>
    public bool Resume { get; init; }

    /// <summary>When set, the plan must be for this environment (a guard for pipelines).</summary>
    public string? ExpectedEnvironment { get; init; }

    /// <summary>How long to wait for another rollback of the environment to end (zero: fail at once).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>A lock held by another host longer than this is stale.</summary>
    public TimeSpan LockStaleAfter { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Executes a rollback plan step by step, recording each step in a journal next to the
/// rollback point (runs/&lt;plan id&gt;/journal.jsonl), holding the environment lock, and
/// writing report.json and report.md at the end. Steps are idempotent; -Resume continues from
/// the first unfinished step and never repeats a finished one.
/// </summary>
public sealed class RollbackExecutor
{
    private readonly RollbackCatalog _catalog;
    private readonly RollbackPorts _ports;
    private readonly TimeProvider _time;

    public RollbackExecutor(RollbackCatalog catalog, RollbackPorts ports, TimeProvider? time = null)
    {
        _catalog = catalog;
        _ports = ports;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Test seam: how the journal of a run folder is opened (tests inject crashes here).</summary>
    internal Func<string, TimeProvider, RollbackJournal> JournalFactory { get; set; } = (folder, time) => new RollbackJournal(folder, time);

    public static string RunFolder(RollbackPoint point, RollbackPlan plan) => Path.Combine(point.Path, "runs", plan.Id);

    /// <summary>Which ports a plan needs ("Platform", "Database"); smoke and firewall hooks are optional.</summary>
    public static IReadOnlyList<string> RequiredPorts(RollbackPlan plan)
    {
        var needed = new SortedSet<string>();
        foreach (var step in plan.Steps)
        {
            switch (step.Kind)
            {
                case RollbackStepKind.BackupCurrent or RollbackStepKind.RestoreDatabase or RollbackStepKind.RestoreParallel: needed.Add("Database"); break;
                case RollbackStepKind.VerifyRollbackPoint or RollbackStepKind.SmokeTest or RollbackStepKind.FirewallOffline or RollbackStepKind.FirewallOnline: break;
                default: needed.Add("Platform"); break;
            }
        }
        return needed.ToList();
    }

    /// <summary>Checks that a plan may run against this rollback point and database; changes nothing.</summary>
    public static void Validate(RollbackPlan plan, RollbackPoint point, DatabaseTarget? database, string? expectedEnvironment)
    {
        if (!string.Equals(plan.RollbackPointId, point.Id, StringComparison.Ordinal))
            throw Mismatch("PlanRollbackPointMismatch", $"The plan was made from the rollback point '{plan.RollbackPointId}', not '{point.Id}'.", plan.Id);
        if (!string.Equals(plan.Environment, point.Environment, StringComparison.OrdinalIgnoreCase))
            throw Mismatch("PlanEnvironmentMismatch", $"The plan is for the environment '{plan.Environment}', but its rollback point '{point.Id}' is of '{point.Environment}'.", plan.Id);
        if (!string.IsNullOrEmpty(expectedEnvironment) && !string.Equals(plan.Environment, expectedEnvironment, StringComparison.OrdinalIgnoreCase))
            throw Mismatch("PlanEnvironmentMismatch", $"The plan is for the environment '{plan.Environment}', not '{expectedEnvironment}'.", plan.Id);
        if (!string.Equals(plan.RollbackPointSha256, point.ManifestSha256, StringComparison.OrdinalIgnoreCase))
            throw Mismatch("RollbackPointChanged", $"The rollback point '{point.Id}' changed after the plan was made (its manifest SHA-256 differs).", plan.Id);
        if (plan.Strategy == RollbackStrategy.Database)
        {
            if (database is null)
            {
                throw new OsRollbackException("DatabaseParametersRequired", OsErrorCategory.InvalidArgument,
                    $"The Database strategy needs the database of {plan.Environment} ({point.Manifest.Database.DisplayName}).", plan.Id,
                    "Give -SqlInstance/-Database (and -SqlCredential) or -SqlitePath for that database.");
            }
            if (!point.Manifest.Database.Matches(database))
            {
                throw Mismatch("DatabaseMismatch", $"The plan restores {point.Manifest.Database.DisplayName}, but the database given is {database.DisplayName}.", plan.Id);
            }
            RollbackPointVerifier.EnsureIntact(point, RollbackFileRoles.Backup);
        }
        if (plan.Strategy == RollbackStrategy.Solution) RollbackPointVerifier.EnsureIntact(point, RollbackFileRoles.SolutionPackage);
    }

    private static OsRollbackException Mismatch(string id, string message, string planId) =>
        new(id, OsErrorCategory.InvalidData, message, planId, "Make a new plan with New-OsRollbackPlan from the right rollback point, for the right environment.");

    public async Task<RollbackResult> ExecuteAsync(RollbackPlan plan, RollbackPoint point, DatabaseTarget? database, RollbackExecutionOptions options,
        IOperationReporter reporter, CancellationToken cancellationToken)
    {
        Validate(plan, point, database, options.ExpectedEnvironment);
        foreach (var port in RequiredPorts(plan))
        {
            if (port == "Platform") RollbackPorts.Require(_ports.Platform, "a LifeTime and Service Center connection", "-Connection and -ServiceCenterConnection");
            if (port == "Database") RollbackPorts.Require(_ports.Database, "the database service", "-SqlInstance/-Database or -SqlitePath");
        }

        using var environmentLock = await EnvironmentLock.AcquireAsync(_catalog.LocksDirectory, plan.Environment, plan.Id, options.LockTimeout,
            options.LockStaleAfter, options.LockPollInterval, _time, reporter, cancellationToken).ConfigureAwait(false);

        var runFolder = RunFolder(point, plan);
        var journal = JournalFactory(runFolder, _time);
        if (journal.HasEvents && !options.Resume)
        {
            throw new OsRollbackException("RollbackAlreadyStarted", OsErrorCategory.ResourceExists,
                $"Plan {plan.Id} was already executed{(journal.IsRunFinished ? "" : " and did not finish")} (journal: {journal.Path}).", plan.Id,
                journal.IsRunFinished ? "Read the report next to the journal; make a new plan to roll back again." : "Continue it with Invoke-OsRollback -Resume; finished steps are not repeated.");
        }
        if (options.Resume && !journal.HasEvents) reporter.Verbose("Nothing to resume: no step of this plan has run yet; starting from step 1.");
        Directory.CreateDirectory(runFolder);
        var planCopy = Path.Combine(runFolder, "plan.json");
        if (!File.Exists(planCopy)) RollbackJson.WriteAtomic(planCopy, RollbackPlanFile.ToJson(plan));

        var result = new RollbackResult
        {
            PlanId = plan.Id,
            Environment = plan.Environment,
            Strategy = plan.Strategy,
            RollbackPointId = point.Id,
            StartedAt = _time.GetUtcNow(),
            Resumed = journal.HasEvents,
            DataLossFrom = plan.DataLossFrom,
            JournalPath = journal.Path,
            ReportPath = Path.Combine(runFolder, "report.json"),
            MarkdownReportPath = Path.Combine(runFolder, "report.md"),
            Steps = plan.Steps.Select(s => new RollbackStepResult { Number = s.Number, Kind = s.Kind, Title = s.Title, Target = s.Target }).ToList(),
        };
        var context = new StepContext(plan, point, database, journal, reporter, result);
        journal.Write(0, "Run", "run-started", $"{(result.Resumed ? "Resumed" : "Started")} {plan.Strategy} rollback of {plan.Environment}: {plan.Reason}");
        const string activity = "Invoke-OsRollback";
        var total = plan.Steps.Count;
        foreach (var step in plan.Steps)
        {
            var stepResult = result.Steps[step.Number - 1];
            if (journal.IsFinished(step.Number))
            {
                stepResult.Status = StepStatus.FinishedEarlier;
                stepResult.Detail = journal.Last(step.Number, "finished")?.Detail;
                stepResult.FinishedAt = journal.Last(step.Number, "finished")?.At;
                reporter.Verbose($"Step {step.Number}/{total} already finished: {step.Title}.");
                continue;
            }
            reporter.Progress(new ProgressUpdate(activity, $"Step {step.Number}/{total}: {step.Title}", (step.Number - 1) * 100 / total));
            reporter.Progress(new ProgressUpdate($"Step {step.Number}: {step.Kind}", step.Title, -1, ActivityId: 2, ParentActivityId: 1));
            reporter.Verbose($"Step {step.Number}/{total}: {step.Title} ({step.Target}).");
            stepResult.StartedAt = _time.GetUtcNow();
            journal.Write(step.Number, step.Kind.ToString(), "started", step.Title);
            StepOutcome outcome;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                outcome = await RunStepAsync(step, context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                journal.Write(step.Number, step.Kind.ToString(), "failed", "stopped by the user");
                throw;
            }
            catch (Exception ex)
            {
                var error = ex as OsRollbackException ?? new OsRollbackException("RollbackStepFailed", OsErrorCategory.InvalidResult,
                    $"{ex.GetType().Name}: {ex.Message}", step.Title, null, ex);
                var message = SecretScrubber.Scrub(error.Message);
                journal.Write(step.Number, step.Kind.ToString(), "failed", message);
                stepResult.Status = StepStatus.Failed;
                stepResult.Detail = message;
                stepResult.FinishedAt = _time.GetUtcNow();
                result.Status = RollbackRunStatus.Failed;
                result.FailedStep = step.Number;
                result.Message = $"Step {step.Number} ({step.Title}) failed: {message}";
                result.Error = new OsRollbackException(error.ErrorId, error.Category,
                    $"The rollback of {plan.Environment} stopped at step {step.Number} of {total} ({step.Title}): {message}", step.Title,
                    $"Fix the cause, then run Invoke-OsRollback -Plan '{planCopy}' -Resume to continue from step {step.Number}. The journal is {journal.Path}.", error);
                reporter.Warning(result.Message);
                break;
            }
            journal.Write(step.Number, step.Kind.ToString(), "finished", outcome.Detail, outcome.Data);
            stepResult.Status = StepStatus.Finished;
            stepResult.Detail = SecretScrubber.Scrub(outcome.Detail);
            stepResult.FinishedAt = _time.GetUtcNow();
            reporter.Progress(new ProgressUpdate($"Step {step.Number}: {step.Kind}", "Done", 100, ActivityId: 2, ParentActivityId: 1, Completed: true));
        }
        if (result.Status == RollbackRunStatus.Succeeded)
        {
            journal.Write(0, "Run", "run-finished", $"{plan.Strategy} rollback of {plan.Environment} finished");
            reporter.Verbose($"The {plan.Strategy} rollback of {plan.Environment} finished.");
        }
        reporter.Progress(new ProgressUpdate(activity, result.Status.ToString(), 100, Completed: true));
        result.FinishedAt = _time.GetUtcNow();
        result.PreRollbackBackup ??= BackupPathFromJournal(plan, journal);
        result.ParallelDatabase ??= plan.Steps.Where(s => s.Kind == RollbackStepKind.RestoreParallel)
            .Select(s => journal.Last(s.Number, "finished")?.Data?.GetValueOrDefault("parallelDatabase")).FirstOrDefault(v => v is not null);
        result.Warnings.AddRange(plan.Warnings);
        RollbackReport.Write(result, plan);
        return result;
    }

    private sealed record StepContext(RollbackPlan Plan, RollbackPoint Point, DatabaseTarget? Database, RollbackJournal Journal, IOperationReporter Reporter, RollbackResult Result);

    private sealed record StepOutcome(string Detail, Dictionary<string, string>? Data = null);

    private async Task<StepOutcome> RunStepAsync(RollbackStep step, StepContext c, CancellationToken ct)
    {
        var plan = c.Plan;
        var env = plan.Environment;
        var hookContext = new HookContext(env, plan.Id, c.Point.Id, step.Kind.ToString());
        switch (step.Kind)
        {
            case RollbackStepKind.VerifyRollbackPoint:
                var roles = plan.Strategy switch
                {
                    RollbackStrategy.Database => new[] { RollbackFileRoles.Backup, RollbackFileRoles.ModuleGraph },
                    RollbackStrategy.Solution => new[] { RollbackFileRoles.SolutionPackage },
                    RollbackStrategy.Module => new[] { RollbackFileRoles.ModuleGraph },
                    _ => Array.Empty<string>(),
                };
                RollbackPointVerifier.EnsureIntact(c.Point, roles);
                return new("the rollback point's files and checksums match");

            case RollbackStepKind.DeployVersions:
                if (await AllRunningAsync(env, step.VersionKeys, ct).ConfigureAwait(false)) return new("already running the rollback point's versions; nothing deployed");
                var deployment = await Platform.DeployVersionsAsync(step.SourceEnvironment ?? plan.SourceEnvironment!, env, step.VersionKeys,
                    $"OsRollback plan {plan.Id}: {plan.Reason}", c.Reporter, ct).ConfigureAwait(false);
                return new($"LifeTime deployment {deployment} from {step.SourceEnvironment} finished", new() { ["deploymentKey"] = deployment });

            case RollbackStepKind.PublishSolution:
                var keys = plan.Changes.Select(ch => ch.RollbackVersionKey).ToList();
                if (keys.Count > 0 && await AllRunningAsync(env, keys, ct).ConfigureAwait(false)) return new("already running the rollback point's versions; nothing published");
                var package = c.Point.Manifest.File(RollbackFileRoles.SolutionPackage)!;
                RollbackPointVerifier.EnsureIntact(c.Point, RollbackFileRoles.SolutionPackage);
                await Platform.PublishPackageAsync(env, c.Point.FullPath(package.Path), c.Reporter, ct).ConfigureAwait(false);
                return new($"published {package.Path}");

            case RollbackStepKind.PublishModuleWave:
                // Always publish: consumers must be republished even at an unchanged version, to pick up
                // their producers' older signatures; publishing a version again is idempotent.
                await Platform.PublishModulesAsync(env, step.Modules, c.Reporter, ct).ConfigureAwait(false);
                return new($"wave {step.Wave}: published {string.Join(", ", step.Modules.Select(m => m.Name))}");

            case RollbackStepKind.VerifyVersions:
                var running = await Platform.GetRunningApplicationsAsync(env, ct).ConfigureAwait(false);
                var missingApps = plan.Changes.Where(ch => step.VersionKeys.Contains(ch.RollbackVersionKey) && !running.Any(r => r.VersionKey == ch.RollbackVersionKey))
                    .Select(ch => $"{ch.Name} {ch.RollbackVersion}").ToList();
                var wrongModules = await ModulesAtVersionAsync(env, step.Modules, ct).ConfigureAwait(false);
                if (missingApps.Count > 0 || wrongModules.Count > 0)
                {
                    throw new OsRollbackException("VersionMismatch", OsErrorCategory.InvalidResult,
                        $"{env} does not run the rollback point's versions of {string.Join(", ", missingApps.Concat(wrongModules))}.", env,
                        "Check the deployment in LifeTime/Service Center, then -Resume.");
                }
                return new("the rollback point's versions run");

            case RollbackStepKind.MaintenanceOn:
                await Platform.SetMaintenanceModeAsync(env, true, $"OsRollback: {plan.Reason}", ct).ConfigureAwait(false);
                return new("maintenance mode on");
            case RollbackStepKind.MaintenanceOff:
                await Platform.SetMaintenanceModeAsync(env, false, $"OsRollback: {plan.Reason}", ct).ConfigureAwait(false);
                return new("maintenance mode off (online internally)");
            case RollbackStepKind.SuspendTimers:
                await Platform.SetTimersSuspendedAsync(env, true, ct).ConfigureAwait(false);
                return new("timers suspended");
            case RollbackStepKind.ResumeTimers:
                await Platform.SetTimersSuspendedAsync(env, false, ct).ConfigureAwait(false);
                return new("timers resumed");

            case RollbackStepKind.FirewallOffline or RollbackStepKind.FirewallOnline:
                var phase = step.Kind == RollbackStepKind.FirewallOffline ? "Offline" : "Online";
                if (_ports.Firewall is not { } hook || !hook.Has(phase))
                {
                    c.Reporter.Warning($"No -{phase}Script hook was given: the applications' reachability by end users was not changed.");
                    return new($"no {phase} hook given");
                }
                if (phase == "Offline") await hook.TakeOfflineAsync(hookContext, ct).ConfigureAwait(false);
                else await hook.BringOnlineAsync(hookContext, ct).ConfigureAwait(false);
                return new($"{phase} hook ran");

            case RollbackStepKind.BackupCurrent:
                var backup = await Db.BackupAsync(c.Database!, Path.Combine(c.Journal.RunFolder, "database"), "pre-rollback", c.Reporter, ct).ConfigureAwait(false);
                if (!backup.Verified)
                {
                    throw new OsRollbackException("BackupNotVerified", OsErrorCategory.InvalidResult,
                        $"The pre-rollback backup of {c.Database!.DisplayName} did not verify; the pre-deploy backup was not restored.", c.Database.DisplayName,
                        "Check the backup location and space, then -Resume.");
                }
                c.Result.PreRollbackBackup = backup.Path;
                return new($"verified backup {backup.Path} ({backup.SizeBytes} bytes)", new() { ["backupPath"] = backup.Path });

            case RollbackStepKind.RestoreDatabase:
                var predeploy = c.Point.FullPath(c.Point.Manifest.Backup!.Path);
                RollbackPointVerifier.EnsureIntact(c.Point, RollbackFileRoles.Backup);
                await Db.RestoreAsync(c.Database!, predeploy, c.Reporter, ct).ConfigureAwait(false);
                return new($"restored the backup of {c.Point.Manifest.Backup.TakenAt:u}");

            case RollbackStepKind.SmokeTest:
                if (_ports.Smoke is not { } smoke)
                {
                    c.Reporter.Warning("No smoke tester is available; the smoke test step checked nothing.");
                    return new("no smoke checks");
                }
                var results = await smoke.RunAsync(env, plan.SmokeTargets, c.Reporter, ct).ConfigureAwait(false);
                if (results.Count == 0)
                {
                    c.Reporter.Warning("No smoke check was configured (no application URL captured, no -SmokeScript).");
                    return new("no smoke checks configured");
                }
                var failed = results.Where(r => !r.Passed).ToList();
                if (failed.Count > 0)
                {
                    throw new OsRollbackException("SmokeTestFailed", OsErrorCategory.InvalidResult,
                        $"{failed.Count} of {results.Count} smoke checks failed: {string.Join("; ", failed.Select(f => $"{f.Name}: {f.Message}"))}.", env,
                        "The applications stay closed to users. Investigate, fix, then -Resume to test again.");
                }
                return new($"{results.Count} smoke checks passed");

            case RollbackStepKind.RestoreParallel:
                var source = BackupPathFromJournal(plan, c.Journal) ?? throw new OsRollbackException("PreRollbackBackupMissing", OsErrorCategory.ObjectNotFound,
                    "The journal holds no pre-rollback backup to restore as a parallel database.", plan.Id, "Check the journal; restore the pre-rollback backup by hand with Restore-OsDatabase.");
                var parallel = await Db.RestoreAsParallelAsync(c.Database!, source, $"OsRollback_{plan.Id[..Math.Min(8, plan.Id.Length)]}", c.Reporter, ct).ConfigureAwait(false);
                c.Result.ParallelDatabase = parallel;
                return new($"pre-rollback data available in {parallel}", new() { ["parallelDatabase"] = parallel });

            default:
                throw new OsRollbackException("UnknownStep", OsErrorCategory.InvalidData, $"Unknown step kind {step.Kind}.", step.Kind, "Make a new plan with this version of OsRollback.");
        }
    }

    private IRollbackPlatform Platform => RollbackPorts.Require(_ports.Platform, "a LifeTime and Service Center connection", "-Connection and -ServiceCenterConnection");
    private IRollbackDatabase Db => RollbackPorts.Require(_ports.Database, "the database service", "-SqlInstance/-Database or -SqlitePath");

    private static string? BackupPathFromJournal(RollbackPlan plan, RollbackJournal journal) =>
        plan.Steps.Where(s => s.Kind == RollbackStepKind.BackupCurrent)
            .Select(s => journal.Last(s.Number, "finished")?.Data?.GetValueOrDefault("backupPath")).FirstOrDefault(p => p is not null);

    private async Task<bool> AllRunningAsync(string env, IReadOnlyList<string> versionKeys, CancellationToken ct)
    {
        var running = await Platform.GetRunningApplicationsAsync(env, ct).ConfigureAwait(false);
        return versionKeys.All(k => running.Any(r => string.Equals(r.VersionKey, k, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Modules of <paramref name="modules"/> that do not run the wanted version (names).</summary>
    private async Task<List<string>> ModulesAtVersionAsync(string env, IReadOnlyList<ModulePublishItem> modules, CancellationToken ct)
    {
        if (modules.Count == 0) return [];
        var running = (await Platform.GetRunningApplicationsAsync(env, ct).ConfigureAwait(false)).SelectMany(a => a.Modules)
            .GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.First().VersionKey);
        return modules.Where(m => !string.IsNullOrEmpty(m.VersionKey) && (!running.TryGetValue(m.Key, out var v) || v != m.VersionKey)).Select(m => m.Name).ToList();
    }
}
