using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Locking;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>The SQL Server rollback lock (<see cref="SqlServerEnvironmentLock"/>), on a session the provider opens in master.</summary>
internal sealed class SqlServerEnvironmentLocking(Func<SqlServerTarget, string?, ISqlSession> open) : IEnvironmentLocking
{
    public async Task<IEnvironmentLock> AcquireAsync(DatabaseTarget database, EnvironmentLockRequest request, IOperationReporter reporter, CancellationToken cancellationToken) =>
        await SqlServerEnvironmentLock.AcquireAsync(SqlServerProvider.Sql(database), request, target => open(target, "master"), reporter, cancellationToken).ConfigureAwait(false);
}
