namespace OsRollback.Engine.Diagnostics;

/// <summary>
/// How the engine tells the user what it is doing. The cmdlet layer implements it with
/// Write-Verbose/Write-Warning/Write-Progress (and Azure DevOps logging commands); tests
/// record it. Implementations must accept calls from any thread.
/// </summary>
public interface IOperationReporter
{
    void Verbose(string message);
    void Warning(string message);
    void Progress(ProgressUpdate update);
}

/// <summary>One progress record. <see cref="PercentComplete"/> is -1 when unknown.</summary>
public sealed record ProgressUpdate(
    string Activity,
    string Status,
    int PercentComplete = -1,
    int ActivityId = 1,
    int ParentActivityId = -1,
    bool Completed = false);

/// <summary>A reporter that drops everything (for callers that do not care).</summary>
public sealed class NullReporter : IOperationReporter
{
    public static readonly NullReporter Instance = new();
    public void Verbose(string message) { }
    public void Warning(string message) { }
    public void Progress(ProgressUpdate update) { }
}
