namespace OsRollback.Engine.Rollback.Execution;

/// <summary>How a server-procedure step was done: by the operator's hook, by remoting to the named servers, or by hand.</summary>
public sealed record ServerProcedureDone : StepOutcome
{
    /// <summary>Hook, Remoting, Platform (Service Center) or Manual.</summary>
    public string How { get; init; } = "";
    public IReadOnlyList<string> Servers { get; init; } = [];
}

/// <summary>Journaled when a step stops for the operator to do it by hand; -Resume -ManualStepDone finds it and goes on.</summary>
public sealed record ManualStepPending : StepOutcome
{
    public string Instructions { get; init; } = "";
}

/// <summary>The timers a publish woke ("When Published") and the step suspended again.</summary>
public sealed record WokenTimersSuspended : StepOutcome
{
    public IReadOnlyList<string> Timers { get; init; } = [];
}
