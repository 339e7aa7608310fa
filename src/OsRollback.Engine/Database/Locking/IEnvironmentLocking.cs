using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.Locking;

/// <summary>
/// How an engine holds the one rollback per environment: the lock lives with the environment's
/// platform database, so every run meets it, whoever starts it and whatever catalog it uses.
/// </summary>
public interface IEnvironmentLocking
{
    /// <summary>
    /// Takes the rollback lock of the environment whose platform database is <paramref name="database"/>, waiting up to
    /// <see cref="EnvironmentLockRequest.Wait"/>; refused with EnvironmentLocked while another run holds it.
    /// </summary>
    Task<IEnvironmentLock> AcquireAsync(DatabaseTarget database, EnvironmentLockRequest request, IOperationReporter reporter, CancellationToken cancellationToken);
}
