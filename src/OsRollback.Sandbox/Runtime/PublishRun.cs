using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Runtime;

/// <summary>One line of a deployment log or of Service Center's publish messages.</summary>
public sealed record PublishMessage(int Id, DateTime Instant, string Type, string Message, string Detail);

/// <summary>How a run ends; set for the next run through /_sandbox/deployment-outcome.</summary>
public enum RunOutcome { Normal, FinishedWithErrors, NeedsUserIntervention }

/// <summary>
/// The execution of one publish (a LifeTime deployment or a Service Center solution publish)
/// against one environment. It moves on virtual time: <see cref="Advance"/> performs every step
/// whose time has come (steps are <c>pace</c> apart, the publish step also takes
/// <c>publishLatency</c>), so tests drive it with a fake TimeProvider and never sleep.
/// Statuses: running, needs_user_intervention, aborted, finished_successful, finished_with_errors.
/// </summary>
public sealed class PublishRun
{
    private enum Phase { Validating, Preparing, Waiting, Publishing, Done }

    private readonly List<PublishMessage> _log = [];
    private readonly Action<DateTime> _apply;
    private readonly TimeSpan _pace;
    private readonly TimeSpan _publishLatency;
    private Phase _phase = Phase.Validating;
    private DateTimeOffset _nextAt;
    private bool _interventionUsed;

    public PublishRun(int id, EnvironmentDef target, IReadOnlyList<ModuleVersionDef> modules, IReadOnlyList<AppVersionDef> apps,
        bool twoStep, RunOutcome outcome, string interventionInfo, TimeSpan pace, TimeSpan publishLatency, DateTimeOffset now, Action<DateTime> apply)
    {
        Id = id;
        Target = target;
        Modules = modules;
        Apps = apps;
        TwoStep = twoStep;
        Outcome = outcome;
        InterventionInfo = interventionInfo;
        _pace = pace;
        _publishLatency = publishLatency;
        _apply = apply;
        StartedOn = now.UtcDateTime;
        _nextAt = now + pace;
        Log(now, "Info", $"Deployment to {target.Name} started: {modules.Count} module(s).", "");
    }

    public int Id { get; }
    public EnvironmentDef Target { get; }
    public IReadOnlyList<ModuleVersionDef> Modules { get; }
    public IReadOnlyList<AppVersionDef> Apps { get; }
    public bool TwoStep { get; }
    public RunOutcome Outcome { get; }
    public string InterventionInfo { get; }
    public DateTime StartedOn { get; }
    public DateTime? FinishedOn { get; private set; }
    public string Status { get; private set; } = "running";
    public string Info { get; private set; } = "";
    public IReadOnlyList<PublishMessage> Messages => _log;
    /// <summary>The message that ends stage one of a two-step run (Service Center shows it with type PublishStop).</summary>
    public int? StopMessageId { get; private set; }

    public bool IsActive => Status is "running" or "needs_user_intervention" or "aborting";
    public bool IsFinished => !IsActive;
    /// <summary>True once the publish step has begun (abort is no longer accepted).</summary>
    public bool IsPublishing => _phase is Phase.Publishing or Phase.Done;

    public void Advance(DateTimeOffset now)
    {
        while (true)
        {
            switch (_phase)
            {
                case Phase.Validating:
                    if (now < _nextAt) return;
                    Log(_nextAt, "Info", "Validating application versions and references.", "");
                    _phase = Phase.Preparing;
                    _nextAt += _pace;
                    break;
                case Phase.Preparing:
                    if (now < _nextAt) return;
                    Log(_nextAt, "Info", "Preparing the deployment: generating and compiling modules.", string.Join(", ", Modules.Select(m => m.Module.Name)));
                    if (TwoStep || (Outcome == RunOutcome.NeedsUserIntervention && !_interventionUsed))
                    {
                        _interventionUsed = true;
                        _phase = Phase.Waiting;
                        Status = "needs_user_intervention";
                        Info = TwoStep ? "deployment_prepared" : InterventionInfo;
                        if (Info == "deployment_prepared") { StopMessageId = _log.Count + 1; PreparedAt = _nextAt; }
                        Log(_nextAt, "Info", Info == "deployment_prepared"
                            ? "Deployment prepared (two-step): waiting for the command to continue."
                            : $"Waiting for user intervention ({Info}).", "");
                        return;
                    }
                    _phase = Phase.Publishing;
                    _nextAt += _pace + _publishLatency;
                    break;
                case Phase.Publishing:
                    if (now < _nextAt) return;
                    if (Outcome == RunOutcome.FinishedWithErrors)
                    {
                        var failed = Modules.Count > 0 ? Modules[0].Module.Name : "(none)";
                        Log(_nextAt, "Error", $"Failed to publish module {failed}: compilation error.", "The sandbox was told to end this deployment with errors.");
                        Finish(_nextAt, "finished_with_errors", "Deployment finished with errors.");
                        return;
                    }
                    _apply(_nextAt.UtcDateTime);
                    foreach (var module in Modules) Log(_nextAt, "Info", $"Published {module.Module.Name} version {module.Number} ({module.Tag}).", module.Key);
                    Finish(_nextAt, "finished_successful", "Deploy completed.");
                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>
    /// How long the transient solution of a prepared two-step deployment is kept: Service
    /// Center's SolutionPackHoursCache (96 h by default), after which the SolutionPack_Cleanup
    /// timer removes it and a continue can only fail.
    /// </summary>
    public static readonly TimeSpan SolutionPackHoursCache = TimeSpan.FromHours(96);

    /// <summary>When stage one of a two-step run ended (null before, or when not two-step).</summary>
    public DateTimeOffset? PreparedAt { get; private set; }

    /// <summary>Continue after needs_user_intervention; false when not waiting.</summary>
    public bool Continue(DateTimeOffset now)
    {
        if (_phase != Phase.Waiting) return false;
        if (PreparedAt is { } prepared && now - prepared > SolutionPackHoursCache)
        {
            Log(now, "Error", "The prepared solution of this deployment no longer exists: it was removed after SolutionPackHoursCache (SolutionPack_Cleanup).",
                "Prepare the deployment again.");
            Finish(now, "finished_with_errors", "Deployment finished with errors.");
            return true;
        }
        Status = "running";
        Info = "";
        Log(now, "Info", "Continuing the deployment.", "");
        _phase = Phase.Publishing;
        _nextAt = now + _pace + _publishLatency;
        return true;
    }

    /// <summary>Abort before the publish step; false when it is too late or already finished.</summary>
    public bool Abort(DateTimeOffset now)
    {
        if (IsFinished || IsPublishing) return false;
        Log(now, "Warning", "Deployment aborted by the user.", "");
        Finish(now, "aborted", "Deployment aborted.");
        return true;
    }

    private void Finish(DateTimeOffset at, string status, string message)
    {
        _phase = Phase.Done;
        Status = status;
        Info = "";
        FinishedOn = at.UtcDateTime;
        Log(at, status == "finished_successful" ? "Info" : status == "aborted" ? "Warning" : "Error", message, "");
    }

    private void Log(DateTimeOffset at, string type, string message, string detail) =>
        _log.Add(new PublishMessage(_log.Count + 1, at.UtcDateTime, type, message, detail));
}
