using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Execution.Steps;

/// <summary>A port a step kind needs, with what to tell the user when it is missing.</summary>
public sealed record PortRequirement(Type PortType, string What, string ParameterHint)
{
    public static readonly PortRequirement Platform = new(typeof(IRollbackPlatform), "a LifeTime and Service Center connection", "-Connection and -ServiceCenterConnection");
    public static readonly PortRequirement Database = new(typeof(IRollbackDatabase), "the database service", "-SqlInstance/-Database or -SqlitePath");
    public static readonly PortRequirement Identity = new(typeof(IIdentityReseeder), "the identity reseeder of the database", "-SqlInstance/-Database or -SqlitePath");
    public static readonly PortRequirement FastRevert = new(typeof(IFastRevertDatabase), "the snapshot revert of SQL Server", "-SqlInstance/-Database");
}

/// <summary>What a handler gets: the plan, the point (verified once for the run), the database, the ports and the journal.</summary>
public sealed class StepContext
{
    public required RollbackPlan Plan { get; init; }
    public required RollbackPoint Point { get; init; }
    public required RollbackPointVerification Verification { get; init; }
    public DatabaseTarget? Database { get; init; }
    public required RollbackPorts Ports { get; init; }
    public required RollbackJournal Journal { get; init; }
    public required IOperationReporter Reporter { get; init; }
    public bool Resuming { get; init; }

    /// <summary>The operator confirmed (-ManualStepDone) the manual step the run stopped at.</summary>
    public bool ManualStepConfirmed { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public DateTimeOffset Now => Time.GetUtcNow();

    public string Environment => Plan.Environment;

    public IRollbackPlatform Platform => Require(PortRequirement.Platform, Ports.Platform);
    public IRollbackDatabase Db => Require(PortRequirement.Database, Ports.Database);
    public IIdentityReseeder Identity => Require(PortRequirement.Identity, Ports.Identity);
    public IFastRevertDatabase FastRevert => Require(PortRequirement.FastRevert, Ports.FastRevert);

    /// <summary>The database of a step that needs one (the run checked it before the first step): its catalog, else the platform database.</summary>
    public DatabaseTarget RequiredDatabase(RollbackStep step) => DatabaseOf(step).Target;

    /// <summary>The one database a step targets, with the point's backup of it (<see cref="StepDatabases.Resolve"/>).</summary>
    public StepDatabaseTarget DatabaseOf(RollbackStep step) => Database is null
        ? throw new DatabaseParametersRequiredException(
            $"Step {step.Number} ({step.Title}) needs the database of {Plan.Environment}.", step.Title, "Give -SqlInstance/-Database (and -SqlCredential) or -SqlitePath.")
        : StepDatabases.Resolve(step, Plan, Point, Database);

    private static T Require<T>(PortRequirement requirement, T? port) where T : class => RollbackPorts.Require(port, requirement.What, requirement.ParameterHint);
}

/// <summary>The untyped face of a handler, for the run.</summary>
public interface IStepHandler
{
    Type StepType { get; }
    IReadOnlyList<PortRequirement> RequiredPorts { get; }
    void CheckPreconditions(RollbackStep step, StepContext context);
    Task<StepOutcome?> AlreadyDoneAsync(RollbackStep step, StepContext context, CancellationToken cancellationToken);
    Task<StepOutcome> RunAsync(RollbackStep step, StepContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The handler of one step kind: the ports it needs, its preconditions (checked for every step
/// before the first one runs, so a plan that cannot finish changes nothing), whether its work is
/// already done (a crash after the work and before the journal line), and the work itself,
/// which returns a typed outcome for the journal. Handlers are found by type: a new step kind is
/// one <see cref="RollbackStep"/> record and one handler.
/// </summary>
public abstract class StepHandler<TStep> : IStepHandler where TStep : RollbackStep
{
    public Type StepType => typeof(TStep);
    public virtual IReadOnlyList<PortRequirement> RequiredPorts => [];

    protected virtual void CheckPreconditions(TStep step, StepContext context) { }
    protected virtual Task<StepOutcome?> AlreadyDoneAsync(TStep step, StepContext context, CancellationToken cancellationToken) => Task.FromResult<StepOutcome?>(null);
    protected abstract Task<StepOutcome> RunAsync(TStep step, StepContext context, CancellationToken cancellationToken);

    void IStepHandler.CheckPreconditions(RollbackStep step, StepContext context) => CheckPreconditions((TStep)step, context);
    Task<StepOutcome?> IStepHandler.AlreadyDoneAsync(RollbackStep step, StepContext context, CancellationToken cancellationToken) => AlreadyDoneAsync((TStep)step, context, cancellationToken);
    Task<StepOutcome> IStepHandler.RunAsync(RollbackStep step, StepContext context, CancellationToken cancellationToken) => RunAsync((TStep)step, context, cancellationToken);

    protected static StepOutcome Done(string detail) => StepDone.With(detail);
}

/// <summary>Every handler of the engine assembly, by the step type it handles.</summary>
public static class StepHandlers
{
    private static readonly Dictionary<Type, IStepHandler> ByStep = typeof(IStepHandler).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IStepHandler).IsAssignableFrom(t))
        .Select(t => (IStepHandler)Activator.CreateInstance(t)!)
        .ToDictionary(h => h.StepType);

    public static IReadOnlyCollection<Type> HandledStepTypes => ByStep.Keys;

    public static IStepHandler For(RollbackStep step) => ByStep.TryGetValue(step.GetType(), out var handler) ? handler
        : throw new OsRollbackException("UnknownStep", OsErrorCategory.InvalidData, $"No handler for the step kind {step.Kind}.", step.Kind, "Make a new plan with this version of OsRollback.");

    /// <summary>The ports a plan needs (smoke and firewall hooks are optional).</summary>
    public static IReadOnlyList<PortRequirement> RequiredPorts(RollbackPlan plan) =>
        plan.Steps.SelectMany(s => For(s).RequiredPorts).Distinct().OrderBy(p => p.PortType.Name, StringComparer.Ordinal).ToList();
}
