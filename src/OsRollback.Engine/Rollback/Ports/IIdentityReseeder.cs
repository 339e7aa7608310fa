using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>The highest key an application table (OSUSR_*) had handed out before the rollback.</summary>
public sealed record IdentityHighWater(string Table, string? Column, long Value, bool Reseedable);

/// <summary>What a reseed did: tables moved above their mark, and what could not be reseeded (and why).</summary>
public sealed record IdentityReseedReport(int Reseeded, IReadOnlyList<string> Warnings);

/// <summary>
/// Keys cannot collide: before the applications come back, every identity (SQL Server) or
/// AUTOINCREMENT sequence (SQLite) of the application tables is set above the highest value the
/// pre-rollback database had, so rows written later never reuse the ids of the rows the restore
/// removed (which the data recovery brings back). Adapter: OsRollback.Engine.Database.IdentityReseeder.
/// </summary>
public interface IIdentityReseeder
{
    /// <summary>Reads the high-water marks of the application tables (in the outage, before the restore).</summary>
    Task<IReadOnlyList<IdentityHighWater>> ReadHighWaterAsync(DatabaseTarget target, IOperationReporter reporter, CancellationToken cancellationToken);

    /// <summary>Moves every identity/sequence below its mark up to the mark (idempotent: one at or above it is left alone).</summary>
    Task<IdentityReseedReport> ReseedAsync(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken cancellationToken);
}
