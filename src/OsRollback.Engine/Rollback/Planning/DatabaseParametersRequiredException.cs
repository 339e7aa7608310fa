using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>A step or strategy needs a database the command was not given (ErrorId DatabaseParametersRequired); a script writer catches this type to leave the step unscripted.</summary>
public sealed class DatabaseParametersRequiredException(string message, object? target, string recommendedAction)
    : OsRollbackException("DatabaseParametersRequired", OsErrorCategory.InvalidArgument, message, target, recommendedAction);
