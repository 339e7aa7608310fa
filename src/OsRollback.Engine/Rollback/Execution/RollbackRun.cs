using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Locking;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution.Steps;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>How Invoke-OsRollback runs a plan.</summary>
public sealed class RollbackExecutionOptions
{
    /// <summary>Continue a run that crashed or failed, from its first unfinished step.</summary>
    public bool Resume { get; init; }

    /// <summary>With <see cref="Resume"/>: the operator did by hand the step the run stopped at (ManualStepRequired).</summary>
    public bool ManualStepDone { get; init; }

    /// <summary>When set, the plan must be for this environment (a guard for pipelines).</summary>
    public string? ExpectedEnvironment { get; init; }

    /// <summary>When set, the plan's digest must be this one (what an approval gate showed the approver).</summary>
    public string? ExpectedPlanDigest { get; init; }

    /// <summary>Run a plan that carries no digest (format version 1, or its digest deleted), with a warning: nothing proves it was approved.</summary>
    public bool AllowUnapprovedPlan { get; init; }

    /// <summary>Run a Database plan although its rollback point was restored after the plan was made (a warning names that restore).</summary>
    public bool Force { get; init; }

    /// <summary>How long to wait for another rollback of the environment to end (zero: fail at once).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>A lock held by another host longer than this is stale.</summary>
    public TimeSpan LockStaleAfter { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan LockPollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// One execution of a rollback plan. The run owns the checks before anything changes (plan
/// digest, rollback point, ports, every step's preconditions), the environment lock, the journal
/// (runs/&lt;plan id&gt;/journal.jsonl next to the rollback point), the verification of the point
/// (one per run, cheap checks only) and the report (report.json and report.md). Each step is
/// done by its kind's <see cref="IStepHandler"/>; -Resume continues from the first unfinished
/// step and never repeats a finished one.
/// </summary>
public sealed class RollbackRun
{
    private const string Activity = "Invoke-OsRollback";
    private readonly RollbackCatalog _catalog;
    private readonly RollbackPorts _ports;
    private readonly TimeProvider _time;

    public RollbackRun(RollbackCatalog catalog, RollbackPorts ports, TimeProvider? time = null)
    {
        _catalog = catalog;
        _ports = ports;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Test seam: how the journal of a run folder is opened (tests inject crashes here).</summary>
    internal Func<string, TimeProvider, RollbackJournal> JournalFactory { get; set; } = (folder, time) => new RollbackJournal(folder, time);

    /// <summary>Test seam: how captured files are hashed (a run must hash none).</summary>
    internal IFileHasher FileHasher { get; set; } = Sha256FileHasher.Instance;

    /// <summary>
    /// Where the environment lock lives: the database given for the run, else the rollback point's
    /// recorded platform database (also for LifeTime-only plans, which touch no database).
    /// </summary>
    public static DatabaseTarget LockTarget(RollbackPlan plan, RollbackPoint point, DatabaseTarget? database) =>
        (database is not null && point.Manifest.Database.Matches(database) ? database : point.Manifest.Database.ToTarget() ?? database) ?? throw new OsRollbackException("EnvironmentLockUnavailable", OsErrorCategory.InvalidData,
            $"The rollback point '{point.Id}' records no platform database of {plan.Environment}, where the environment's rollback lock lives.", point.Id,
            "Give -SqlInstance/-Database or -SqlitePath for the environment's platform database.");

    private static bool RecordedByGuid(RollbackPoint point, string catalog) =>
        point.Manifest.Catalogs.Any(c => string.Equals(c.Database.DisplayName, catalog, StringComparison.OrdinalIgnoreCase) && c.Identity?.DatabaseGuid is not null);

    public static string RunFolder(RollbackPoint point, RollbackPlan plan) => Path.Combine(point.Path, "runs", plan.Id);

    /// <summary>Which ports a plan needs; smoke and firewall hooks are optional.</summary>
    public static IReadOnlyList<PortRequirement> RequiredPorts(RollbackPlan plan) => StepHandlers.RequiredPorts(plan);

    /// <summary>Checks that a plan may run against this rollback point and database; changes nothing and hashes no captured file.</summary>
    /// <returns>The accepted run, for <see cref="ExecuteAsync(ValidatedRollback, IOperationReporter, CancellationToken)"/>.</returns>
    public static ValidatedRollback Validate(RollbackPlan plan, RollbackPoint point, DatabaseTarget? database, RollbackExecutionOptions options,
        IOperationReporter reporter, RollbackPointVerification? verification = null)
    {
        RollbackPlanDigest.Ensure(plan, options.ExpectedPlanDigest, options.AllowUnapprovedPlan, reporter);
        if (!string.Equals(plan.RollbackPointId, point.Id, StringComparison.Ordinal))
            throw Mismatch("PlanRollbackPointMismatch", $"The plan was made from the rollback point '{plan.RollbackPointId}', not '{point.Id}'.", plan.Id);
        if (!string.Equals(plan.Environment, point.Environment, StringComparison.OrdinalIgnoreCase))
            throw Mismatch("PlanEnvironmentMismatch", $"The plan is for the environment '{plan.Environment}', but its rollback point '{point.Id}' is of '{point.Environment}'.", plan.Id);
        if (!string.IsNullOrEmpty(options.ExpectedEnvironment) && !string.Equals(plan.Environment, options.ExpectedEnvironment, StringComparison.OrdinalIgnoreCase))
            throw Mismatch("PlanEnvironmentMismatch", $"The plan is for the environment '{plan.Environment}', not '{options.ExpectedEnvironment}'.", plan.Id);
        if (!string.Equals(plan.RollbackPointSha256, point.ManifestSha256, StringComparison.OrdinalIgnoreCase))
            throw Mismatch("RollbackPointChanged", $"The rollback point '{point.Id}' changed after the plan was made (its manifest SHA-256 differs).", plan.Id);
        ApprovedContent.EnsureMatches(plan, point);
        verification ??= new RollbackPointVerification(point);
        if (plan.Strategy == RollbackStrategy.Database)
        {
            if (database is null)
            {
                throw new DatabaseParametersRequiredException(
                    $"The Database strategy needs the database of {plan.Environment} ({point.Manifest.Database.DisplayName}).", plan.Id,
                    "Give -SqlInstance/-Database (and -SqlCredential) or -SqlitePath for that database.");
            }
            if (!point.Manifest.Database.Matches(database))
            {
                throw Mismatch("DatabaseMismatch", $"The plan restores {point.Manifest.Database.DisplayName}, but the database given is {database.DisplayName}.", plan.Id);
            }
        }
        verification.EnsureCheap(VerifyRollbackPointHandler.RolesOf(plan, point));
        if (plan.Strategy == RollbackStrategy.Database)
            RollbackPointRestores.EnsureNotRestoredSince(point, plan.CreatedAt, plan.Id, options.Force, reporter);
        return new ValidatedRollback(plan, point, database, options, verification);
    }

    private static OsRollbackException Mismatch(string id, string message, string planId) =>
        new(id, OsErrorCategory.InvalidData, message, planId, "Make a new plan with New-OsRollbackPlan from the right rollback point, for the right environment.");

    /// <summary>Checks the plan (<see cref="Validate"/>), then runs it.</summary>
    public Task<RollbackResult> ExecuteAsync(RollbackPlan plan, RollbackPoint point, DatabaseTarget? database, RollbackExecutionOptions options,
        IOperationReporter reporter, CancellationToken cancellationToken) =>
        ExecuteAsync(Validate(plan, point, database, options, reporter, new RollbackPointVerification(point, FileHasher)), reporter, cancellationToken);

    /// <summary>Runs a plan the command has already checked, without checking it again.</summary>
    public async Task<RollbackResult> ExecuteAsync(ValidatedRollback run, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var (plan, point, database, options, verification) = (run.Plan, run.Point, run.Database, run.Options, run.Verification);
        foreach (var port in RequiredPorts(plan))
        {
            if (port.PortType == typeof(IRollbackPlatform)) RollbackPorts.Require(_ports.Platform, port.What, port.ParameterHint);
            if (port.PortType == typeof(IRollbackDatabase)) RollbackPorts.Require(_ports.Database, port.What, port.ParameterHint);
            if (port.PortType == typeof(IIdentityReseeder)) RollbackPorts.Require(_ports.Identity, port.What, port.ParameterHint);
            if (port.PortType == typeof(IFastRevertDatabase)) RollbackPorts.Require(_ports.FastRevert, port.What, port.ParameterHint);
        }

        if (plan.Strategy == RollbackStrategy.Database && database is not null && _ports.DatabaseIdentity is { } identities)
        {
            RollbackPointDatabaseCheck.EnsureSameDatabase(point, await identities.ReadIdentityAsync(database, cancellationToken).ConfigureAwait(false));
            // A catalog is checked by the database_guid its rollback point recorded (SQL Server); one recorded by its
            // path alone (SQLite) is the file the step resolves to.
            foreach (var catalog in StepDatabases.Of(plan, point, database).Where(d => d.Role == FactoryDatabaseRole.Catalog && RecordedByGuid(point, d.DisplayName)))
                RollbackPointDatabaseCheck.EnsureSameCatalog(point, catalog.DisplayName, await identities.ReadIdentityAsync(catalog.Target, cancellationToken).ConfigureAwait(false));
        }

        // The catalog lock answers fast for runs sharing a catalog; the database lock is the one
        // every run of the environment meets, whichever catalog (OSROLLBACK_HOME) it uses.
        using var catalogLock = await EnvironmentLock.AcquireAsync(_catalog.LocksDirectory, plan.Environment, plan.Id, options.LockTimeout,
            options.LockStaleAfter, options.LockPollInterval, _time, reporter, cancellationToken).ConfigureAwait(false);
        var lockTarget = LockTarget(plan, point, database);
        using var databaseLock = await DatabaseProviders.Default.For(lockTarget).Operations.Locking.AcquireAsync(lockTarget, new EnvironmentLockRequest
        {
            Environment = plan.Environment, PlanId = plan.Id, Wait = options.LockTimeout, StaleAfter = options.LockStaleAfter,
            PollInterval = options.LockPollInterval, Time = _time,
        }, reporter, cancellationToken).ConfigureAwait(false);

        var runFolder = RunFolder(point, plan);
        var journal = JournalFactory(runFolder, _time);
        if (journal.HasEvents && !options.Resume)
        {
            throw new OsRollbackException("RollbackAlreadyStarted", OsErrorCategory.ResourceExists,
                $"Plan {plan.Id} was already executed{(journal.IsRunFinished ? "" : " and did not finish")} (journal: {journal.Path}).", plan.Id,
                journal.IsRunFinished ? "Read the report next to the journal; make a new plan to roll back again." : "Continue it with Invoke-OsRollback -Resume; finished steps are not repeated.");
        }
        if (options.Resume && !journal.HasEvents) reporter.Verbose("Nothing to resume: no step of this plan has run yet; starting from step 1.");
        var context = new StepContext
        {
            Plan = plan, Point = point, Verification = verification, Database = database, Ports = _ports,
            Journal = journal, Reporter = reporter, Resuming = journal.HasEvents, Time = _time, ManualStepConfirmed = options.ManualStepDone,
        };
        foreach (var step in plan.Steps.Where(s => !journal.IsFinished(s.Number))) StepHandlers.For(step).CheckPreconditions(step, context);

        Directory.CreateDirectory(runFolder);
        var planCopy = Path.Combine(runFolder, "plan.json");
        if (!File.Exists(planCopy)) RollbackJson.WriteAtomic(planCopy, RollbackPlanFile.ToJson(plan));
        var result = NewResult(plan, point, journal, runFolder);
        journal.Write(0, "Run", JournalEvent.RunStarted, $"{(result.Resumed ? "Resumed" : "Started")} {plan.Strategy} rollback of {plan.Environment}: {plan.Reason}");
        foreach (var step in plan.Steps)
        {
            if (!await RunStepAsync(step, context, result, planCopy, [catalogLock, databaseLock], cancellationToken).ConfigureAwait(false)) break;
        }
        if (result.Status == RollbackRunStatus.Succeeded)
        {
            journal.Write(0, "Run", JournalEvent.RunFinished, $"{plan.Strategy} rollback of {plan.Environment} finished");
            reporter.Verbose($"The {plan.Strategy} rollback of {plan.Environment} finished.");
        }
        reporter.Progress(new ProgressUpdate(Activity, result.Status.ToString(), 100, Completed: true));
        result.FinishedAt = _time.GetUtcNow();
        result.PreRollbackBackup = journal.PreRollbackBackupOf(null)?.BackupPath;
        result.ParallelDatabase = journal.LastFinishedOutcome<ParallelDatabaseRestored>()?.ParallelDatabase;
        result.Warnings.AddRange(plan.Warnings);
        RollbackReport.Collect(result, plan, point, database, journal, _ports.Aftermath, reporter, cancellationToken);
        RollbackReport.Write(result, plan, point);
        return result;
    }

    private RollbackResult NewResult(RollbackPlan plan, RollbackPoint point, RollbackJournal journal, string runFolder) => new()
    {
        PlanId = plan.Id,
        PlanDigest = plan.PlanDigest,
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

    /// <summary>Runs one step unless the journal or its handler says it is done; false when it failed (the run stops).</summary>
    private async Task<bool> RunStepAsync(RollbackStep step, StepContext context, RollbackResult result, string planCopy, IReadOnlyList<IEnvironmentLock> locks, CancellationToken cancellationToken)
    {
        var (plan, journal, reporter) = (context.Plan, context.Journal, context.Reporter);
        var total = plan.Steps.Count;
        var stepResult = result.Steps[step.Number - 1];
        if (journal.IsFinished(step.Number))
        {
            var finished = journal.Last(step.Number, JournalEvent.Finished)!;
            stepResult.Status = StepStatus.FinishedEarlier;
            stepResult.Outcome = finished.Outcome;
            stepResult.Detail = finished.Outcome?.Detail ?? finished.Detail;
            stepResult.FinishedAt = finished.At;
            reporter.Verbose($"Step {step.Number}/{total} already finished: {step.Title}.");
            return true;
        }
        reporter.Progress(new ProgressUpdate(Activity, $"Step {step.Number}/{total}: {step.Title}", (step.Number - 1) * 100 / total));
        reporter.Progress(new ProgressUpdate($"Step {step.Number}: {step.Kind}", step.Title, -1, ActivityId: 2, ParentActivityId: 1));
        reporter.Verbose($"Step {step.Number}/{total}: {step.Title} ({step.Target}).");
        stepResult.StartedAt = _time.GetUtcNow();
        journal.Write(step.Number, step.Kind, JournalEvent.Started, step.Title);
        StepOutcome outcome;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A lock deleted or taken over while the run was in flight may have let another run in: stop before changing anything more.
            foreach (var held in locks) held.EnsureHeld();
            var handler = StepHandlers.For(step);
            outcome = await handler.AlreadyDoneAsync(step, context, cancellationToken).ConfigureAwait(false)
                ?? await handler.RunAsync(step, context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            journal.Write(step.Number, step.Kind, JournalEvent.Failed, "stopped by the user");
            throw;
        }
        catch (Exception ex)
        {
            var error = ex as OsRollbackException ?? new OsRollbackException("RollbackStepFailed", OsErrorCategory.InvalidResult,
                $"{ex.GetType().Name}: {ex.Message}", step.Title, null, ex);
            var message = SecretScrubber.Scrub(error.Message);
            journal.Write(step.Number, step.Kind, JournalEvent.Failed, message);
            stepResult.Status = StepStatus.Failed;
            stepResult.Detail = message;
            stepResult.FinishedAt = _time.GetUtcNow();
            result.Status = RollbackRunStatus.Failed;
            result.FailedStep = step.Number;
            result.Message = $"Step {step.Number} ({step.Title}) failed: {message}";
            result.Error = new OsRollbackException(error.ErrorId, error.Category,
                $"The rollback of {plan.Environment} stopped at step {step.Number} of {total} ({step.Title}): {message}", step.Title,
                error.ErrorId == ManualStep.ErrorId
                    ? $"Do it, then run Invoke-OsRollback -Plan '{planCopy}' -Resume -ManualStepDone to continue after step {step.Number}. The journal is {journal.Path}."
                    : $"Fix the cause, then run Invoke-OsRollback -Plan '{planCopy}' -Resume to continue from step {step.Number}. The journal is {journal.Path}.", error);
            reporter.Warning(result.Message);
            return false;
        }
        journal.Write(step.Number, step.Kind, JournalEvent.Finished, outcome.Detail, outcome);
        stepResult.Status = StepStatus.Finished;
        stepResult.Outcome = outcome;
        stepResult.Detail = SecretScrubber.Scrub(outcome.Detail);
        stepResult.FinishedAt = _time.GetUtcNow();
        reporter.Progress(new ProgressUpdate($"Step {step.Number}: {step.Kind}", "Done", 100, ActivityId: 2, ParentActivityId: 1, Completed: true));
        return true;
    }
}
