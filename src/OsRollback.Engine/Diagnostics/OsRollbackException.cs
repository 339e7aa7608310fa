namespace OsRollback.Engine.Diagnostics;

/// <summary>
/// Error categories the engine can name without referencing PowerShell. The names match
/// System.Management.Automation.ErrorCategory so the cmdlet layer maps them by name.
/// </summary>
public enum OsErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceBusy,
    ResourceUnavailable,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    SecurityError,
    OperationTimeout,
    OperationStopped,
    ReadError,
    WriteError,
    LimitsExceeded,
    InvalidResult,
}

/// <summary>
/// An expected failure: the cmdlet layer turns it into an ErrorRecord with
/// <see cref="ErrorId"/> (stable, for scripts to test), <see cref="Category"/>, the target
/// object and <see cref="RecommendedAction"/>, and prints no stack trace.
/// Messages must never contain a secret.
/// </summary>
public class OsRollbackException : Exception
{
    public OsRollbackException(
        string errorId,
        OsErrorCategory category,
        string message,
        object? target = null,
        string? recommendedAction = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }
    public OsErrorCategory Category { get; }
    public object? Target { get; }
    public string? RecommendedAction { get; }
}
