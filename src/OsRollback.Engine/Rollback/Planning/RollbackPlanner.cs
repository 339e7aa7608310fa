using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Smoke;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>What New-OsRollbackPlan asks for.</summary>
public sealed class RollbackPlanRequest
{
    public required RollbackPoint Point { get; init; }
    public required string Reason { get; init; }

    /// <summary>Only this strategy (an error explains why it cannot work); null = the best that can.</summary>
    public RollbackStrategy? Strategy { get; init; }

    /// <summary>Data written by the bad version is corrupt: code-only strategies do not repair it.</summary>
    public bool DataCorruption { get; init; }

    /// <summary>Limit the Module strategy to these modules (and their consumers).</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];
    public bool AllowDataLoss { get; init; }

    /// <summary>The Module strategy is skipped when more modules than this must be republished (changed ones plus consumers).</summary>
    public int MaxModules { get; init; } = 25;
    public string CreatedBy { get; init; } = $"{System.Environment.UserName}@{System.Environment.MachineName}";

    /// <summary>Plan a Database restore from a rollback point that was already restored (a warning names the earlier restore).</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Let the Module strategy pin a changed module's previous version through Service Center's
    /// staging "Version" field, which OutSystems neither documents nor sends from its own tools
    /// (docs/platform.md, 12.4). Off: that strategy is not possible for changed modules.
    /// </summary>
    public bool AllowUnverifiedModuleVersionField { get; init; }

    /// <summary>The command's verification of the rollback point (files hashed once); null: the planner makes one.</summary>
    public RollbackPointVerification? Verification { get; init; }

    /// <summary>What the server reports now about the point's snapshot and log chain (null: only the full restore is considered).</summary>
    public RevertFacts? RevertFacts { get; init; }

    /// <summary>Availability group, mirroring, log shipping, replication, TDE of the live database (null: not read, e.g. SQLite).</summary>
    public SharedServerFeatures? SharedServer { get; init; }

    /// <summary>Business process instances in flight, read from the platform database (null: not read, no database given).</summary>
    public Platform.ProcessInFlightReading? ProcessInstances { get; init; }

    /// <summary>Write throughput for the outage estimate (null: the chooser's default).</summary>
    public double? BytesPerSecond { get; init; }

    /// <summary>The Database strategy's application servers and republish way (OutSystems' restore procedure).</summary>
    public ServerProcedureRequest ServerProcedure { get; init; } = new();

    /// <summary>
    /// Assess every strategy, also those after the chosen one or beside the -Strategy asked for
    /// (possible or why not), for the decision document; the chosen strategy and the steps are the
    /// same as without it.
    /// </summary>
    public bool AssessAllStrategies { get; init; }

    /// <summary>Past runs and drills, for each strategy's expected outage (<see cref="OutageEstimator"/>); none: default durations.</summary>
    public IReadOnlyList<Execution.RollbackRunRecord> PastRuns { get; init; } = [];
}

/// <summary>
/// Looks at what runs now and picks the best strategy that can work, in the order LifeTime,
/// Solution, Module, Database, explaining each one it skips. Reads only; changes nothing.
/// </summary>
public sealed class RollbackPlanner
{
    private readonly IRollbackPlatform _platform;
    private readonly TimeProvider _time;

    public RollbackPlanner(IRollbackPlatform platform, TimeProvider? time = null)
    {
        _platform = platform;
        _time = time ?? TimeProvider.System;
    }

    public async Task<RollbackPlan> CreateAsync(RollbackPlanRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
            throw new OsRollbackException("ReasonRequired", OsErrorCategory.InvalidArgument, "A rollback plan needs a reason.", null, "Give -Reason, e.g. the incident number and what went wrong.");
        var point = request.Point;
        var verification = request.Verification ?? new RollbackPointVerification(point);
        var environments = await _platform.GetEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        var target = PlatformEnvironments.Find(environments, point.Environment);
        reporter.Verbose($"Reading what runs in {target.Name} now.");
        var running = await _platform.GetRunningApplicationsAsync(target.Name, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();

        var plan = new RollbackPlan
        {
            Id = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
            CreatedBy = request.CreatedBy,
            Reason = request.Reason.Trim(),
            Environment = target.Name,
            RollbackPointId = point.Id,
            RollbackPointPath = point.Path,
            RollbackPointSha256 = point.ManifestSha256,
            DataCorruption = request.DataCorruption,
            SmokeTargets = point.Manifest.Applications.Where(a => !string.IsNullOrEmpty(a.Url))
                .Select(a => new SmokeTarget(a.Name, a.Url!)).ToList(),
        };
        plan.Changes = Changes(point.Manifest, running, plan.Warnings);
        await AddMobileWarningsAsync(plan, running, cancellationToken).ConfigureAwait(false);
        plan.Warnings.AddRange(await _platform.GetBusinessProcessNoticesAsync(target.Name, point.Manifest.CreatedAt, cancellationToken).ConfigureAwait(false));
        var changedModules = ChangedModules(point.Manifest, running, plan.Warnings);
        if (request.ProcessInstances is { } processes)
            plan.Warnings.AddRange(Platform.ProcessInstancesInFlight.Warnings(processes, AffectedModules(point.Manifest, plan.Changes, changedModules)));
        if (plan.Changes.Count == 0 && changedModules.Count == 0)
            reporter.Verbose("No application or module differs from the rollback point.");

        var order = request.Strategy is { } only && !request.AssessAllStrategies ? new[] { only } : Enum.GetValues<RollbackStrategy>();
        foreach (var strategy in order)
        {
            var assessment = new StrategyAssessment { Strategy = strategy };
            plan.Assessments.Add(assessment);
            if (plan.Assessments.Any(a => a.Chosen) || request.Strategy is { } forced && forced != strategy)
            {
                if (request.AssessAllStrategies) await StrategyAlternatives.AssessAsync(plan, assessment, scratch => PlanAlternativeAsync(scratch, strategy, assessment)).ConfigureAwait(false);
                else { assessment.Possible = false; assessment.Reason = StrategyAssessment.NotAssessedReason; }
                continue;
            }
            var steps = await PlanAsync(plan, strategy, assessment, reporter).ConfigureAwait(false);
            if (steps is null) { reporter.Verbose($"{strategy}: {assessment.Reason}"); continue; }
            OutageEstimator.Fill(assessment, steps, plan, request);
            assessment.Possible = assessment.Chosen = true;
            plan.Strategy = strategy;
            plan.Steps.Add(new VerifyRollbackPointStep { Title = "Check the rollback point's files and checksums", Target = point.Path });
            plan.Steps.AddRange(steps);
            reporter.Verbose($"{strategy}: chosen - {assessment.Reason}");
        }

        async Task<List<RollbackStep>?> PlanAsync(RollbackPlan into, RollbackStrategy strategy, StrategyAssessment assessment, IOperationReporter to) => strategy switch
        {
            RollbackStrategy.LifeTime => await PlanLifeTimeAsync(into, request, environments, target, assessment, cancellationToken).ConfigureAwait(false),
            RollbackStrategy.Solution => PlanSolution(into, request, verification, assessment),
            RollbackStrategy.Module => PlanModules(into, request, verification, changedModules, assessment, to),
            RollbackStrategy.Database => PlatformLimits.DatabaseStrategyRefusal(target) is { } refusal ? Skip(assessment, refusal) : PlanDatabase(into, request, verification, now, assessment, to),
            _ => throw new InvalidOperationException($"No planner for the strategy {strategy}."),
        };

        // An alternative for the decision document: planned on a scratch plan, and its outage estimated from those steps.
        async Task<List<RollbackStep>?> PlanAlternativeAsync(RollbackPlan scratch, RollbackStrategy strategy, StrategyAssessment assessment)
        {
            var steps = await PlanAsync(scratch, strategy, assessment, NullReporter.Instance).ConfigureAwait(false);
            if (steps is not null) OutageEstimator.Fill(assessment, steps, scratch, request);
            return steps;
        }

        if (target.IsCloud) plan.SupportRequest = CloudSupportRequest.Build(target.Name, point.Manifest.CreatedAt, now, plan.Reason, point.Id);
        if (!plan.Assessments.Any(a => a.Chosen))
        {
            var reasons = string.Join(" ", plan.Assessments.Select(a => $"{a.Strategy}: {a.Reason}.")) + (plan.SupportRequest is { } support ? $"{System.Environment.NewLine}{support.Text}" : "");
            var needsDataLoss = !request.AllowDataLoss;
            throw new OsRollbackException("NoStrategyPossible", OsErrorCategory.InvalidOperation,
                $"No rollback strategy can work for {target.Name} from '{point.Id}'. {reasons}", point.Id,
                plan.SupportRequest is not null
                    ? "Send the support request above to OutSystems Support (it restores the platform database on OutSystems Cloud), or take care of what the reasons name and plan again."
                    : needsDataLoss
                    ? "Read the reasons above. If restoring the database is acceptable, add -AllowDataLoss (everything written since the backup is lost, then recovered from the parallel database)."
                    : "Read the reasons above; take care of what they name (e.g. tag the previous versions in an upstream environment) and plan again.");
        }
        for (var i = 0; i < plan.Steps.Count; i++) plan.Steps[i] = plan.Steps[i] with { Number = i + 1 };
        plan.Warnings.Add("Tables and columns added by the rolled-back version stay in the database (OutSystems never drops them); see Get-OsSchemaDrift.");
        if (request.DataCorruption) plan.Warnings.Add("Data written by the bad version may be corrupt: plan its repair; a code rollback does not change data.");
        plan.Warnings.Add("Roll a fix forward from the version that was deployed, not from the rolled-back one.");
        plan.RollbackPointFiles = ApprovedContent.Of(plan, point);
        RollbackPlanFile.Seal(plan);
        return plan;
    }

    private static List<ApplicationChange> Changes(RollbackPointManifest manifest, IReadOnlyList<RunningApplication> running, List<string> warnings)
    {
        var changes = new List<ApplicationChange>();
        foreach (var app in manifest.Applications)
        {
            var now = running.FirstOrDefault(r => r.Key == app.Key);
            if (now is null) { warnings.Add($"Application '{app.Name}' no longer runs in {manifest.Environment}; it is not redeployed by a code rollback."); continue; }
            if (now.VersionKey == app.VersionKey) continue;
            changes.Add(new ApplicationChange { Name = app.Name, Key = app.Key, RunningVersion = now.Version, RollbackVersion = app.Version, RollbackVersionKey = app.VersionKey });
        }
        return changes;
    }

    /// <summary>A mobile app's installed builds stay; LifeTime's NativeHash of both tags says whether a new native build is needed.</summary>
    private async Task AddMobileWarningsAsync(RollbackPlan plan, IReadOnlyList<RunningApplication> running, CancellationToken cancellationToken)
    {
        foreach (var change in plan.Changes)
        {
            var now = running.First(r => r.Key == change.Key);
            if (!string.Equals(now.Kind, "Mobile", StringComparison.OrdinalIgnoreCase)) continue;
            var runningHash = await _platform.GetNativeHashAsync(change.Key, now.VersionKey, cancellationToken).ConfigureAwait(false);
            var rollbackHash = await _platform.GetNativeHashAsync(change.Key, change.RollbackVersionKey, cancellationToken).ConfigureAwait(false);
            if (Platform.MobileRollbackNotice.Warning(change.Name, now.Kind, change.RunningVersion, runningHash, change.RollbackVersion, rollbackHash) is { } mobile)
                plan.Warnings.Add(mobile);
        }
    }

    /// <summary>The modules a rollback changes back: those of the changed applications and every changed module.</summary>
    private static HashSet<string> AffectedModules(RollbackPointManifest manifest, IReadOnlyList<ApplicationChange> changes, IReadOnlyList<RollbackModuleState> changedModules) =>
        manifest.Applications.Where(a => changes.Any(c => c.Key == a.Key)).SelectMany(a => a.Modules).Concat(changedModules)
            .Select(m => m.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static List<RollbackModuleState> ChangedModules(RollbackPointManifest manifest, IReadOnlyList<RunningApplication> running, List<string> warnings)
    {
        var before = manifest.Applications.SelectMany(a => a.Modules).GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.First());
        var captured = manifest.Applications.Select(a => a.Key).ToHashSet();
        var now = running.Where(r => captured.Contains(r.Key)).SelectMany(r => r.Modules).GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.First());
        foreach (var added in now.Values.Where(m => !before.ContainsKey(m.Key)).OrderBy(m => m.Name))
            warnings.Add($"Module '{added.Name}' was added after the rollback point; a rollback does not delete it.");
        return before.Values.Where(m => now.TryGetValue(m.Key, out var n) && n.VersionKey != m.VersionKey).OrderBy(m => m.Name).ToList();
    }

    private async Task<List<RollbackStep>?> PlanLifeTimeAsync(RollbackPlan plan, RollbackPlanRequest request, IReadOnlyList<PlatformEnvironmentInfo> environments,
        PlatformEnvironmentInfo target, StrategyAssessment assessment, CancellationToken cancellationToken)
    {
        if (request.DataCorruption) return Skip(assessment, "the data is corrupt (-DataCorruption) and a LifeTime deployment does not repair data");
        if (request.Modules.Count > 0) return Skip(assessment, "-Module asks for a module-by-module rollback");
        if (plan.Changes.Count == 0) return Skip(assessment, "no application runs a version other than the rollback point's");
        // The documented API rollback (LifeTimeStrategyRules): the previous tags deploy from the
        // nearest upstream environment even when it runs newer ones; only a deleted tag stops it.
        var upstream = environments.Where(e => e.Order < target.Order).ToList();
        var running = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var environment in upstream)
        {
            var held = await _platform.GetRunningApplicationsAsync(environment.Name, cancellationToken).ConfigureAwait(false);
            running[environment.Name] = held.Select(h => h.VersionKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        var exists = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in plan.Changes)
        {
            if (await _platform.ApplicationVersionExistsAsync(change.Key, change.RollbackVersionKey, cancellationToken).ConfigureAwait(false) is { } known)
                exists[change.RollbackVersionKey] = known;
        }
        var previousKeys = plan.Changes.Select(c => c.RollbackVersionKey).ToList();
        var (source, whyNot) = LifeTimeStrategyRules.ChooseSource(target, environments, name => running[name], previousKeys,
            tagExists: key => !exists.TryGetValue(key, out var known) || known);
        if (source is null) return Skip(assessment, whyNot!);
        var sourceName = source.Environment.Name;
        plan.SourceEnvironment = sourceName;
        var what = string.Join(", ", plan.Changes.Select(c => $"{c.Name} {c.RollbackVersion}"));
        assessment.Reason = $"{source.Reason}: a LifeTime plan from {sourceName} deploys the previous tags of {what}; no data is lost";
        if (!source.RunsThePreviousTags)
            plan.Warnings.Add($"{sourceName} runs newer tags; the previous ones deploy from it as OutSystems' API rollback does, and the deployment stops with LifeTimeRefusedDeployment if LifeTime refuses a lower version. {Platform.LifeTimeRefusal.Advice}");
        return
        [
            new DeployVersionsStep { Title = $"Deploy {what} from {sourceName} with a LifeTime plan", Target = target.Name, SourceEnvironment = sourceName, VersionKeys = previousKeys },
            new VerifyVersionsStep { Title = "Check that the rollback point's versions run", Target = target.Name, VersionKeys = previousKeys },
            SmokeStep(plan),
        ];
    }

    private static List<RollbackStep>? PlanSolution(RollbackPlan plan, RollbackPlanRequest request, RollbackPointVerification verification, StrategyAssessment assessment)
    {
        if (request.DataCorruption) return Skip(assessment, "the data is corrupt (-DataCorruption) and publishing a package does not repair data");
        if (request.Modules.Count > 0) return Skip(assessment, "-Module asks for a module-by-module rollback");
        var package = request.Point.Manifest.File(RollbackFileRoles.SolutionPackage);
        if (package is null)
            return Skip(assessment, "no package captured" + (request.Point.Manifest.Skipped.TryGetValue(RollbackFileRoles.SolutionPackage, out var why) ? $" ({why})" : ""));
        if (verification.Check(RollbackFileRoles.SolutionPackage) is { Passed: false } failure) return Skip(assessment, $"the captured package cannot be used: {failure.Message}");
        if (plan.Changes.Count == 0) return Skip(assessment, "no application runs a version other than the rollback point's");
        assessment.Reason = $"the solution package captured with the rollback point ({package.SizeBytes} bytes, SHA-256 checked) restores {plan.Changes.Count} applications; no data is lost";
        return
        [
            new PublishSolutionStep { Title = $"Publish the captured solution package {package.Path}", Target = plan.Environment },
            new VerifyVersionsStep { Title = "Check that the rollback point's versions run", Target = plan.Environment, VersionKeys = plan.Changes.Select(c => c.RollbackVersionKey).ToList() },
            SmokeStep(plan),
        ];
    }

    private static List<RollbackStep>? PlanModules(RollbackPlan plan, RollbackPlanRequest request, RollbackPointVerification verification, List<RollbackModuleState> changed, StrategyAssessment assessment, IOperationReporter reporter)
    {
        if (request.DataCorruption) return Skip(assessment, "the data is corrupt (-DataCorruption) and republishing modules does not repair data");
        var manifest = request.Point.Manifest;
        var known = manifest.Applications.SelectMany(a => a.Modules).GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var selected = changed;
        if (request.Modules.Count > 0)
        {
            var unknown = request.Modules.Where(m => !known.ContainsKey(m)).ToList();
            if (unknown.Count > 0)
            {
                var close = unknown.Select(u => (u, NameSuggestions.Closest(u, known.Keys.ToList(), 3)));
                throw new OsRollbackException("UnknownModule", OsErrorCategory.ObjectNotFound,
                    $"The rollback point holds no module named {string.Join("; ", close.Select(c => c.Item2.Count > 0 ? $"'{c.u}' (did you mean {string.Join(", ", c.Item2.Select(n => $"'{n}'"))}?)" : $"'{c.u}'"))}.",
                    unknown.ToArray(), "Check -Module; names are matched without regard to case.");
            }
            selected = request.Modules.Select(m => known[m]).ToList();
        }
        if (selected.Count == 0) return Skip(assessment, "no module runs a version other than the rollback point's");
        if (manifest.DatabaseNotCaptured is { } why) return Skip(assessment, $"the rollback point holds no module graph: {why}");
        if (GraphProblem(verification) is { } graphProblem) return Skip(assessment, graphProblem);

        var graph = ModuleGraph.Build(ModuleGraphJson.ReadFile(request.Point.FullPath(manifest.File(RollbackFileRoles.ModuleGraph)!.Path)));
        var missing = selected.Where(m => !graph.TryGetId(m.Name, out _)).Select(m => m.Name).ToList();
        if (missing.Count > 0) return Skip(assessment, $"the captured module graph does not hold {string.Join(", ", missing)}");
        var order = ModuleOrderer.Order(graph, new ModuleOrderRequest { Modules = selected.Select(m => m.Name).ToList(), IncludeConsumers = true }, NullReporter.Instance);
        if (order.Count > request.MaxModules)
            return Skip(assessment, $"too many modules with consumers: {selected.Count} changed modules and their consumers make {order.Count} modules to republish (limit {request.MaxModules}, -MaxModules)");
        var unknownVersion = order.Where(o => !known.ContainsKey(o.Name)).Select(o => o.Name).ToList();
        if (unknownVersion.Count > 0)
            return Skip(assessment, $"the rollback point holds no version of {string.Join(", ", unknownVersion.Take(5))} (consumers outside the captured applications); take the rollback point with -Application all");
        // Staging republishes the published version (as SetupTools does); only the unverified
        // Version field reaches a changed module's previous version, so it must be asked for.
        var needsPin = selected.Where(m => changed.Any(c => string.Equals(c.Key, m.Key, StringComparison.OrdinalIgnoreCase))).Select(m => m.Name).ToList();
        if (needsPin.Count > 0 && !request.AllowUnverifiedModuleVersionField)
            return Skip(assessment, $"the only route to the previous version of {string.Join(", ", needsPin.Take(5))} is Service Center's staging Version field, which OutSystems does not document (its tools republish the published version); the documented route is the previous tag's package (Solution strategy); to use the field anyway add -AllowUnverifiedModuleVersionField (what runs is verified afterwards)");
        assessment.Reason = $"{selected.Count} changed modules and their consumers: {order.Count} modules in {order.Max(o => o.Wave)} waves, producers first; no data is lost";
        reporter.Verbose(assessment.Reason);
        var waves = order.GroupBy(o => o.Wave).OrderBy(g => g.Key).Select(g => new PublishModuleWaveStep
        {
            Wave = g.Key,
            Title = $"Republish wave {g.Key}: {string.Join(", ", g.Select(o => o.Name))}",
            Target = plan.Environment,
            Modules = g.Select(o => { var m = known[o.Name]; return new ModulePublishItem(m.Name, m.Key, m.Kind, m.VersionKey); }).ToList(),
            UseUnverifiedVersionField = needsPin.Count > 0,
        }).ToList();
        var steps = new List<RollbackStep>(waves)
        {
            new VerifyVersionsStep { Title = "Check that the rollback point's module versions run", Target = plan.Environment, Modules = waves.SelectMany(s => s.Modules).ToList() },
        };
        steps.Add(SmokeStep(plan));
        plan.Warnings.Add("Single-module publishing is supported by OutSystems for Traditional Web modules only.");
        if (needsPin.Count > 0)
            plan.Warnings.Add("The previous module versions are published through Service Center's undocumented staging Version field (-AllowUnverifiedModuleVersionField); the VerifyVersions step checks which versions run.");
        return steps;
    }

    private static List<RollbackStep>? PlanDatabase(RollbackPlan plan, RollbackPlanRequest request, RollbackPointVerification verification, DateTimeOffset now, StrategyAssessment assessment, IOperationReporter reporter)
    {
        var manifest = request.Point.Manifest;
        if (manifest.Backup is not { Verified: true } backup) return Skip(assessment, "the rollback point has no verified backup");
        if (verification.Check(RollbackFileRoles.Backup) is not { } backupCheck) return Skip(assessment, "the rollback point's manifest lists no backup file");
        if (!backupCheck.Passed) return Skip(assessment, $"the backup cannot be used: {backupCheck.Message}");
        if (CatalogBackupProblem(manifest, verification) is { } catalogProblem) return Skip(assessment, catalogProblem);
        if (GraphProblem(verification) is { } graphProblem) return Skip(assessment, $"{graphProblem}, needed to republish the modules after the restore");
        if (RollbackPointRestores.Read(request.Point) is { Count: > 0 } restores)
        {
            if (!request.Force)
                return Skip(assessment, $"its backup was already restored over {plan.Environment} ({string.Join("; ", restores)}); data written since would be lost again; take a new rollback point, or plan with -Force");
            RollbackPointRestores.EnsureNotRestoredSince(request.Point, DateTimeOffset.MinValue, null, force: true, reporter, plan.Warnings);
        }
        var window = now - backup.TakenAt;
        if (!request.AllowDataLoss)
            return Skip(assessment, $"it loses everything written since the backup of {backup.TakenAt:u} ({Describe(window)} so far); allowed only with -AllowDataLoss");
        // A restore over a database tied to other servers half-works: stop planning with what to do.
        request.SharedServer?.ThrowIfRestoreUnsafe(manifest.Database.DisplayName);
        var path = ChooseRestorePath(request, manifest);
        plan.RestorePath = path;
        plan.DataLoss = true;
        plan.DataLossFrom = backup.TakenAt;
        plan.DataLossTo = now;
        var env = plan.Environment;
        var db = manifest.Database.DisplayName;
        var catalogs = manifest.Catalogs.Select(c => c.Database.DisplayName).ToList();
        var together = catalogs.Count == 0 ? "" : $"; restores {db} and the catalogs {string.Join(", ", catalogs)} together, platform first";
        assessment.Reason = $"{PathSummary(path)}{together}; goes back to {backup.TakenAt:u}: data written since then ({Describe(window)} at planning time, growing until the restore) is lost from the live database and recovered from the parallel database";
        var graph = ModuleGraph.Build(ModuleGraphJson.ReadFile(request.Point.FullPath(manifest.File(RollbackFileRoles.ModuleGraph)!.Path)));
        var versions = manifest.Applications.SelectMany(a => a.Modules).GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var order = ModuleOrderer.Order(graph, null, NullReporter.Instance);
        var steps = new List<RollbackStep>
        {
            new MaintenanceOnStep { Title = "Turn maintenance mode on", Target = env },
            new SuspendTimersStep { Title = "Suspend the timers", Target = env },
            new FirewallOfflineStep { Title = "Close the applications to users (-OfflineScript hook)", Target = env },
            DatabaseProcedurePlanning.StopServices(request.ServerProcedure, env),
            new BackupCurrentStep { Title = "Back up the current database (verified pre-rollback backup)", Target = db },
        };
        // Every safety backup before the first restore: a catalog that cannot be backed up stops the run with nothing restored.
        steps.AddRange(catalogs.Select(c => new BackupCurrentStep { Title = $"Back up the current catalog {c} (verified pre-rollback backup)", Target = c, Database = c }));
        steps.Add(new CaptureIdentityHighWaterStep { Title = "Read the identity high-water marks of the application tables", Target = db });
        steps.Add(RestoreStep(path, manifest, backup, db));
        steps.AddRange(manifest.Catalogs.Select(c => new RestoreDatabaseStep
        {
            Title = $"Restore the pre-deploy backup of the catalog {c.Database.DisplayName} of {c.BackupTakenAt:u}", Target = c.Database.DisplayName, Database = c.Database.DisplayName,
        }));
        // The restore brings back the timers' pre-deploy schedule: suspend them again in the restored database, before the services start.
        steps.Add(new SuspendTimersStep { Title = "Suspend the timers of the restored database", Target = env });
        steps.AddRange(DatabaseProcedurePlanning.ConfigureServers(request.ServerProcedure, env));
        steps.Add(DatabaseProcedurePlanning.ApplyPendingSettings(request.ServerProcedure, env));
        steps.AddRange(RepublishSteps(plan, request, order, versions));
        steps.Add(DatabaseProcedurePlanning.SuspendWokenTimers(env));
        steps.Add(new ReseedIdentitiesStep { Title = "Reseed the application tables' identities above the pre-rollback values (no key reused)", Target = db });
        steps.Add(new MaintenanceOffStep { Title = "Turn maintenance mode off (online internally; the firewall is still closed)", Target = env });
        steps.Add(SmokeStep(plan));
        steps.Add(new FirewallOnlineStep { Title = "Open the applications to users (-OnlineScript hook)", Target = env });
        steps.Add(new ResumeTimersStep { Title = "Resume the timers", Target = env });
        steps.Add(new RestoreParallelStep { Title = "After the applications are open again (off the outage): restore the pre-rollback backup as a parallel database, to recover data written since the pre-deploy backup", Target = db });
        plan.Warnings.Add($"Data loss: everything written to {string.Join(", ", catalogs.Prepend(db))} after {backup.TakenAt:u} is removed from the live database. Recover it from the parallel database (last step), e.g. with Compare-OsDatabaseData and Export-OsDataDelta.");
        DatabaseProcedurePlanning.AddManualWarning(plan, steps);
        AddFactoryWarnings(plan, manifest, path);
        if (plan.SmokeTargets.Count == 0) plan.Warnings.Add("No application URL was captured: the smoke test has only the checks given to Invoke-OsRollback (-SmokeScript).");
        reporter.Verbose($"Database: {order.Count} modules to republish in {order.Select(o => o.Wave).DefaultIfEmpty(0).Max()} waves after the restore.");
        return steps;
    }

    /// <summary>The factory republished after the restore: module waves, or the All Components solution in one publication; the choice and its reason go in the plan.</summary>
    private static IEnumerable<RollbackStep> RepublishSteps(RollbackPlan plan, RollbackPlanRequest request, IReadOnlyList<ModuleOrderEntry> order,
        IReadOnlyDictionary<string, RollbackModuleState> versions)
    {
        var waves = order.GroupBy(o => o.Wave).OrderBy(g => g.Key).Select(g => (Wave: g.Key, Modules: g.Select(o => versions.TryGetValue(o.Name, out var m)
            ? new ModulePublishItem(m.Name, m.Key, m.Kind, m.VersionKey)
            : new ModulePublishItem(o.Name, "", o.Kind.ToString(), "")).ToList())).ToList();
        plan.Republish = DatabaseProcedurePlanning.ChooseRepublish(request.ServerProcedure, order.Count, waves.Count);
        if (plan.Republish.Method == RepublishMethod.AllComponents)
            return [DatabaseProcedurePlanning.AllComponents(waves.SelectMany(w => w.Modules).ToList(), plan.Environment)];
        return waves.Select(w => new PublishModuleWaveStep { Wave = w.Wave, Title = $"Republish wave {w.Wave} ({(w.Modules.Count == 1 ? "1 module" : $"{w.Modules.Count} modules")})", Target = plan.Environment, Modules = w.Modules });
    }

    /// <summary>Every catalog backup must be verified when taken and pass its checksum now: the set is restored together or not at all.</summary>
    private static string? CatalogBackupProblem(RollbackPointManifest manifest, RollbackPointVerification verification)
    {
        foreach (var catalog in manifest.Catalogs)
        {
            var name = catalog.Database.DisplayName;
            if (!catalog.Verified) return $"the backup of the catalog {name} was not verified";
            if (verification.Check(catalog.BackupRole) is not { } check) return $"the manifest lists no backup file of the catalog {name}";
            if (!check.Passed) return $"the backup of the catalog {name} cannot be used: {check.Message}";
        }
        return null;
    }

    /// <summary>What a Database plan does not cover: logging/session databases (never), and for catalogs the parallel database, reseed and drift.</summary>
    private static void AddFactoryWarnings(RollbackPlan plan, RollbackPointManifest manifest, RestorePathChoice path)
    {
        plan.Warnings.AddRange(UntouchedDatabases.Lines(manifest));
        plan.Warnings.Add(UntouchedDatabases.Rule);
        if (manifest.Catalogs.Count == 0) return;
        plan.Warnings.Add($"The catalogs ({string.Join(", ", manifest.Catalogs.Select(c => c.Database.DisplayName))}) are restored with the platform database in the same outage; every pre-rollback backup is taken before the first restore.");
        plan.Warnings.Add("The parallel database, the identity reseed and the schema drift cover the platform database only: data written to a catalog since the pre-deploy backup stays in that catalog's pre-rollback backup (runs/<plan id>/database/pre-rollback-catalog-<n>) and is recovered from it by hand.");
        if (path.Path != RestorePathKind.FullRestore)
            plan.Warnings.Add($"Only the platform database takes the {path.Path} path: the catalogs are restored in full from their backups, which the outage estimate does not include.");
    }

    private static RestorePathChoice ChooseRestorePath(RollbackPlanRequest request, RollbackPointManifest manifest)
    {
        var backupBytes = manifest.File(RollbackFileRoles.Backup)?.SizeBytes ?? 0;
        var facts = request.RevertFacts ?? RevertFacts.Unread(DatabaseProviders.Default.For(manifest.Database.Engine), backupBytes);
        if (facts.DatabaseBytes <= 0) facts = facts with { DatabaseBytes = backupBytes };
        // Only the snapshot and mark the manifest records are the point's: never revert to another one.
        var recorded = manifest.FastRevert;
        var sameSnapshot = recorded?.SnapshotName is { } name && string.Equals(facts.SnapshotName, name, StringComparison.OrdinalIgnoreCase);
        facts = facts with
        {
            SnapshotName = recorded?.SnapshotName,
            SnapshotExists = sameSnapshot && facts.SnapshotExists,
            MarkName = recorded?.MarkName,
        };
        var chooser = request.BytesPerSecond is { } speed ? new RestorePathChooser { BytesPerSecond = speed } : new RestorePathChooser();
        return chooser.Choose(facts);
    }

    private static RollbackStep RestoreStep(RestorePathChoice path, RollbackPointManifest manifest, RollbackBackupInfo backup, string db) => path.Path switch
    {
        RestorePathKind.SnapshotRevert => new RevertToSnapshotStep
        {
            Title = $"Revert to the snapshot {manifest.FastRevert!.SnapshotName} (tail-log backup, drop other snapshots, revert, full backup after)",
            Target = db,
            SnapshotName = manifest.FastRevert.SnapshotName!,
        },
        RestorePathKind.LogChainToMark => new RestoreToMarkStep
        {
            Title = $"Restore the pre-deploy backup of {backup.TakenAt:u} and the log chain STOPBEFOREMARK {manifest.FastRevert!.MarkName}",
            Target = db,
            MarkName = manifest.FastRevert.MarkName!,
        },
        _ => new RestoreDatabaseStep { Title = $"Restore the pre-deploy backup of {backup.TakenAt:u}", Target = db },
    };

    private static string PathSummary(RestorePathChoice path) =>
        $"{path.Path} ({path.Reason}; expected outage of the restore about {Outage(path.ExpectedOutage)} for {path.BytesToWrite:N0} bytes)";

    private static string Outage(TimeSpan span) => span.TotalMinutes >= 1 ? Describe(span) : $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s";

    private static string? GraphProblem(RollbackPointVerification verification) => verification.Check(RollbackFileRoles.ModuleGraph) switch
    {
        null => "the rollback point holds no module graph",
        { Passed: false } failed => $"the captured module graph cannot be used: {failed.Message}",
        _ => null,
    };

    private static RollbackStep SmokeStep(RollbackPlan plan) => new SmokeTestStep
    {
        Title = plan.SmokeTargets.Count > 0 ? $"Smoke-test {string.Join(", ", plan.SmokeTargets.Select(s => s.Application))}" : "Smoke-test (user checks)",
        Target = plan.Environment,
    };

    private static List<RollbackStep>? Skip(StrategyAssessment assessment, string reason)
    {
        assessment.Possible = false;
        assessment.Reason = reason;
        return null;
    }

    internal static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h" :
        span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{Math.Max(0, (int)span.TotalMinutes)} min";
}
