using System.Globalization;
using OsRollback.Engine.Rollback.Execution;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>The users' expected outage of a strategy and what it is based on.</summary>
public sealed record OutageEstimate(TimeSpan Outage, string Basis);

/// <summary>What the estimate of one environment's rollback knows.</summary>
public sealed class OutageEstimateInputs
{
    public required string Environment { get; init; }

    /// <summary>Past runs (any environment, strategy, status); the estimator picks the one to learn from.</summary>
    public IReadOnlyList<RollbackRunRecord> PastRuns { get; init; } = [];

    /// <summary>The platform database's size now (null: unknown; backup and restore steps are then not scaled).</summary>
    public long? DatabaseBytes { get; init; }

    /// <summary>The chosen restore path's own estimate (snapshot revert, log chain or full restore), used instead of the default for the platform database's restore.</summary>
    public TimeSpan? RestoreOutage { get; init; }

    /// <summary>The write throughput of backups and restores when no run is known (the restore-path chooser's default).</summary>
    public double BytesPerSecond { get; init; } = 200d * 1024 * 1024;
}

/// <summary>
/// Estimates the users' outage of a strategy (<see cref="UsersOutageWindow"/>): from the latest
/// succeeded run of the same strategy in the same environment or in a drill (<see cref="RollbackDrills"/>),
/// as the sum of its outage steps' times with the backup and restore steps scaled by database size
/// (size now / size at the run); without such a run, from <see cref="DefaultStepDurations"/>.
/// </summary>
public static class OutageEstimator
{
    /// <summary>The step kinds whose time grows with the database: scaled by size, or by throughput when no run is known.</summary>
    public static readonly IReadOnlySet<string> SizeBoundKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        RollbackStepKind.BackupCurrent, RollbackStepKind.RestoreDatabase,
        RollbackStep.KindOf(typeof(RestoreToMarkStep)), RollbackStep.KindOf(typeof(RevertToSnapshotStep)),
    };

    /// <summary>What each step kind takes when no run is known (docs/rollback.md lists them); a kind not listed takes one minute.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> DefaultStepDurations = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        [RollbackStepKind.DeployVersions] = TimeSpan.FromMinutes(10),
        [RollbackStepKind.PublishSolution] = TimeSpan.FromMinutes(10),
        [RollbackStepKind.PublishModuleWave] = TimeSpan.FromMinutes(3),
        [RollbackStep.KindOf(typeof(PublishAllComponentsStep))] = TimeSpan.FromMinutes(20),
        [RollbackStep.KindOf(typeof(StopServicesStep))] = TimeSpan.FromMinutes(2),
        [RollbackStep.KindOf(typeof(ConfigureServerStep))] = TimeSpan.FromMinutes(5),
        [RollbackStep.KindOf(typeof(ApplyPendingSettingsStep))] = TimeSpan.FromMinutes(5),
    };

    private static readonly TimeSpan OtherStep = TimeSpan.FromMinutes(1);

    /// <summary>Fills the assessment's expected outage and its basis for the steps the strategy would run.</summary>
    public static void Fill(StrategyAssessment assessment, IReadOnlyList<RollbackStep> steps, RollbackPlan plan, RollbackPlanRequest request)
    {
        var manifest = request.Point.Manifest;
        var bytes = request.RevertFacts is { DatabaseBytes: > 0 } facts ? facts.DatabaseBytes : manifest.File(RollbackFileRoles.Backup)?.SizeBytes;
        var estimate = Estimate(assessment.Strategy, steps, new OutageEstimateInputs
        {
            Environment = plan.Environment,
            PastRuns = request.PastRuns,
            DatabaseBytes = bytes is > 0 ? bytes : null,
            RestoreOutage = assessment.Strategy == RollbackStrategy.Database ? plan.RestorePath?.ExpectedOutage : null,
            BytesPerSecond = request.BytesPerSecond ?? 200d * 1024 * 1024,
        });
        assessment.ExpectedOutage = estimate?.Outage;
        assessment.OutageBasis = estimate?.Basis;
    }

    /// <summary>The estimate for these steps; null when they hold no users' outage.</summary>
    public static OutageEstimate? Estimate(RollbackStrategy strategy, IReadOnlyList<RollbackStep> steps, OutageEstimateInputs inputs)
    {
        if (UsersOutageWindow.Of(strategy, steps) is not { } window) return null;
        return LatestRun(strategy, inputs) is { } run ? FromRun(run, inputs) : FromDefaults(steps.Skip(window.First).Take(window.Last - window.First + 1), inputs);
    }

    /// <summary>The latest succeeded run of the strategy, on the same environment or a drill, whose outage steps all have a time.</summary>
    private static RollbackRunRecord? LatestRun(RollbackStrategy strategy, OutageEstimateInputs inputs) => inputs.PastRuns
        .Where(r => r.Strategy == strategy && r.Status == RollbackRunState.Succeeded
            && (r.IsDrill || string.Equals(r.Environment, inputs.Environment, StringComparison.OrdinalIgnoreCase))
            && r.Steps.Any(s => s.InUsersOutage) && r.Steps.Where(s => s.InUsersOutage).All(s => s.Duration is not null))
        .OrderByDescending(r => r.StartedAt)
        .FirstOrDefault();

    private static OutageEstimate FromRun(RollbackRunRecord run, OutageEstimateInputs inputs)
    {
        var outageSteps = run.Steps.Where(s => s.InUsersOutage).ToList();
        var scale = inputs.DatabaseBytes is { } now && run.DatabaseBytes is { } then && then > 0 ? (double)now / then : (double?)null;
        var total = outageSteps.Aggregate(TimeSpan.Zero, (sum, s) => sum + (SizeBoundKinds.Contains(s.Kind) && scale is { } f ? s.Duration!.Value * f : s.Duration!.Value));
        var basis = string.Create(CultureInfo.InvariantCulture, $"{(run.IsDrill ? "drill" : "run")} {run.ShortId} on {run.Environment} of {run.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
        if (outageSteps.Any(s => SizeBoundKinds.Contains(s.Kind)))
        {
            basis += scale is { } factor
                ? string.Create(CultureInfo.InvariantCulture, $", restore scaled ×{factor:0.00} for {Size(inputs.DatabaseBytes!.Value)} vs {Size(run.DatabaseBytes!.Value)}")
                : ", restore not scaled (the database size of the run or of now is unknown)";
        }
        return new OutageEstimate(total, basis);
    }

    private static OutageEstimate FromDefaults(IEnumerable<RollbackStep> outageSteps, OutageEstimateInputs inputs)
    {
        var steps = outageSteps.ToList();
        var total = steps.Aggregate(TimeSpan.Zero, (sum, s) => sum + DefaultDuration(s, inputs));
        var basis = "default durations";
        if (steps.Any(s => SizeBoundKinds.Contains(s.Kind)))
        {
            basis += inputs.DatabaseBytes is { } bytes
                ? string.Create(CultureInfo.InvariantCulture, $"; backups and restores at {inputs.BytesPerSecond / (1024 * 1024):0} MB/s for {Size(bytes)}")
                : "; database size unknown: one minute per backup and restore";
        }
        return new OutageEstimate(total, basis);
    }

    private static TimeSpan DefaultDuration(RollbackStep step, OutageEstimateInputs inputs)
    {
        if (!SizeBoundKinds.Contains(step.Kind)) return DefaultStepDurations.TryGetValue(step.Kind, out var known) ? known : OtherStep;
        var platform = step is not IDatabaseStep { Database: not null };
        if (platform && step.Kind != RollbackStepKind.BackupCurrent && inputs.RestoreOutage is { } restore) return Max(restore, OtherStep);
        return inputs.DatabaseBytes is { } bytes ? Max(TimeSpan.FromSeconds(bytes / Math.Max(1d, inputs.BytesPerSecond)), OtherStep) : OtherStep;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>A size for people: 42 GB, 310 MB, 12 KB.</summary>
    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, bytes / 1024)} KB"),
    };

    /// <summary>An outage for people: 1 h 5 min, 12 min, 45 s.</summary>
    public static string Describe(TimeSpan outage) =>
        outage.TotalHours >= 1 ? $"{(int)outage.TotalHours} h {outage.Minutes} min"
        : outage.TotalMinutes >= 1 ? $"{(int)Math.Round(outage.TotalMinutes)} min"
        : $"{Math.Max(1, (int)Math.Ceiling(outage.TotalSeconds))} s";
}
