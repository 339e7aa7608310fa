using OsRollback.Engine.Database;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback.Planning;

/// <summary>What the planner needs from the server for the Database strategy's path (reads only).</summary>
public sealed record FastRevertPlanInputs(RevertFacts? Facts, SharedServerFeatures? SharedServer)
{
    /// <summary>
    /// Reads the snapshot, log chain and shared-server facts of the point's database. A server that
    /// cannot be reached is a warning, not an error: the plan then offers only the full restore.
    /// </summary>
    public static async Task<FastRevertPlanInputs> ReadAsync(IFastRevertDatabase? fastRevert, RollbackPoint point, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        if (fastRevert is null || point.Manifest.Database.ToTarget() is not { } target) return new(null, null);
        try
        {
            var shared = await fastRevert.ReadSharedServerAsync(target, cancellationToken).ConfigureAwait(false);
            var facts = point.Manifest.FastRevert is { } info
                ? await fastRevert.ReadFactsAsync(target, info, point.Manifest.File(RollbackFileRoles.Backup)?.SizeBytes ?? 0, cancellationToken).ConfigureAwait(false)
                : null;
            return new(facts, shared);
        }
        catch (OsRollbackException ex) when (ex.Category is OsErrorCategory.ConnectionError or OsErrorCategory.AuthenticationError or OsErrorCategory.PermissionDenied or OsErrorCategory.ResourceUnavailable)
        {
            reporter.Warning($"Could not read the snapshot and log chain of {target.DisplayName} ({ex.ErrorId}: {ex.Message}); only the full restore is planned.");
            return new(null, null);
        }
    }
}
