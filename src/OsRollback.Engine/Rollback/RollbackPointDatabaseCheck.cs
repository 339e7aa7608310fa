using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Rollback;

/// <summary>
/// Binds rollback points to their database. Taking a point: the database must be the
/// environment's platform database, i.e. every module LifeTime says runs there is published in it
/// at that version (modules the database holds and LifeTime does not list, such as system
/// modules, are not compared). Restoring: the database must be the one the point recorded.
/// </summary>
public static class RollbackPointDatabaseCheck
{
    public static void EnsurePlatformDatabaseOf(string environment, DatabaseTarget database, IReadOnlyList<RunningApplication> running, IReadOnlyDictionary<string, string> published)
    {
        var listed = running.SelectMany(a => a.Modules).GroupBy(m => m.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        var wrong = listed.Where(m => !published.TryGetValue(m.Key, out var v) || !string.Equals(v, m.VersionKey, StringComparison.OrdinalIgnoreCase)).ToList();
        if (wrong.Count == 0) return;
        var sample = string.Join(", ", wrong.Take(5).Select(m => published.TryGetValue(m.Key, out var v) ? $"{m.Name} (LifeTime {m.VersionKey}, database {v})" : $"{m.Name} (not in the database)"));
        throw new OsRollbackException("RollbackPointDatabaseMismatch", OsErrorCategory.InvalidArgument,
            $"{database.DisplayName} is not the platform database of {environment}: {wrong.Count} of {listed.Count} modules LifeTime lists there are not published in it at that version: {sample}.",
            database.DisplayName, $"Give the platform database of {environment} (-SqlInstance/-Database or -SqlitePath); nothing was written.");
    }

    public static void EnsureSameDatabase(RollbackPoint point, DatabaseIdentity current)
    {
        if (point.Manifest.DatabaseIdentity is not { } recorded || recorded.IsSameDatabaseAs(current)) return;
        throw new OsRollbackException("RollbackPointDatabaseMismatch", OsErrorCategory.InvalidArgument,
            $"The rollback point '{point.Id}' was taken from {recorded}, but the database given is {current}: its backup is not restored into another database.", point.Id,
            "Give the database the rollback point was taken from, or take a rollback point of this database.");
    }

    public static void EnsureSameCatalog(RollbackPoint point, string catalog, DatabaseIdentity current)
    {
        var recorded = point.Manifest.Catalogs.FirstOrDefault(c => string.Equals(c.Database.DisplayName, catalog, StringComparison.OrdinalIgnoreCase))?.Identity;
        if (recorded is null || recorded.IsSameDatabaseAs(current)) return;
        throw new OsRollbackException("RollbackPointDatabaseMismatch", OsErrorCategory.InvalidArgument,
            $"The rollback point '{point.Id}' backed up the catalog {recorded}, but that name now holds {current}: its backup is not restored into another database.", point.Id,
            "Check the catalog on the server (was it dropped and created again?), then take a new rollback point.");
    }
}
