using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// Keys cannot collide: before the applications come back, every identity (SQL Server) or
/// AUTOINCREMENT sequence (SQLite) of the application tables is set above the highest value the
/// pre-rollback database had, so rows written later never reuse the ids of the rows the restore
/// removed (which the data recovery brings back). Adapter: OsRollback.Engine.Rollback.Adapters.IdentityReseeder (over the database provider).
/// </summary>
public interface IIdentityReseeder
{
    /// <summary>Reads the high-water marks of the application tables (in the outage, before the restore).</summary>
    Task<IReadOnlyList<IdentityHighWater>> ReadHighWaterAsync(DatabaseTarget target, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Moves every identity/sequence below its mark up to the mark (idempotent: one at or above it is left alone).</summary>
    Task<IdentityReseedReport> ReseedAsync(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken cancellationToken);
}
