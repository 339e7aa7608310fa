using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Safety;

/// <summary>
/// A check refused a safety backup (another database's, changed since verified, truncated, its
/// checksum or integrity failed, ...). Callers that report every refusal one way (Import-OsDataDelta:
/// SafetyBackupNotVerified) catch this type; the ErrorId users see stays the precise one.
/// </summary>
public sealed class SafetyBackupRefusedException(string errorId, OsErrorCategory category, string message, object? target = null, string? recommendedAction = null, Exception? innerException = null)
    : OsRollbackException(errorId, category, message, target, recommendedAction, innerException);
