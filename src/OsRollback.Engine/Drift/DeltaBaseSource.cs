using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;

namespace OsRollback.Engine.Drift;

/// <summary>
/// The base of a three-way recovery: what production was restored to, i.e. the rollback
/// point's backup, read directly (read-only) where the engine's backup is a database file (SQLite).
/// </summary>
public static class DeltaBaseSource
{
    /// <summary>The rollback point's backup as a read-only database, after checking it against the point's checksums.</summary>
    public static DatabaseTarget FromRollbackPoint(RollbackPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Manifest.Backup is null)
            throw new OsRollbackException("DeltaBaseHasNoBackup", OsErrorCategory.InvalidArgument,
                $"The rollback point '{point.Id}' holds no database backup, so it cannot be the base of the recovery.", point.Id,
                "Give the database production was restored to with -BaseSqlitePath, or -BaseSqlInstance and -BaseDatabase.");
        RollbackPointVerifier.EnsureIntact(point, RollbackFileRoles.Backup);
        return DatabaseProviders.Default.For(point.Manifest.Database.Engine).TableData.BackupAsDatabase(point.FullPath(point.Manifest.Backup.Path))
            ?? throw new OsRollbackException("DeltaBaseRestoreRequired", OsErrorCategory.InvalidArgument,
                $"The backup of rollback point '{point.Id}' is a {point.Manifest.Database.Engine} backup, which cannot be read in place; it must be restored before its rows can be read.", point.Id,
                "Restore it under another name (Restore-OsDatabase -Database <name>_base) and pass -BaseSqlInstance and -BaseDatabase.");
    }
}

/// <summary>
/// Finds the rollback point of the newest finished Database run of a database, by reading the
/// runs' report.json read-only (the one place that knows the run folder layout and report format).
/// </summary>
public static class LastDatabaseRunLookup
{
    /// <summary>The rollback point restored by the newest succeeded Database run into <paramref name="production"/>, or null.</summary>
    public static RollbackPoint? Find(RollbackCatalog catalog, DatabaseTarget production, IOperationReporter reporter)
    {
        RollbackPoint? best = null;
        DateTimeOffset bestAt = default;
        foreach (var point in catalog.List(null, reporter))
        {
            if (!point.Manifest.Database.Matches(production)) continue;
            var runs = Path.Combine(point.Path, "runs");
            if (!Directory.Exists(runs)) continue;
            foreach (var report in Directory.EnumerateFiles(runs, "report.json", SearchOption.AllDirectories))
            {
                if (ReadFinishedDatabaseRun(report) is { } at && (best is null || at > bestAt)) { best = point; bestAt = at; }
            }
        }
        return best;
    }

    private static DateTimeOffset? ReadFinishedDatabaseRun(string reportPath)
    {
        try
        {
            using var reader = new JsonTextReader(new StreamReader(reportPath)) { DateParseHandling = DateParseHandling.DateTimeOffset };
            var o = JObject.Load(reader);
            var strategy = o.Value<string>("strategy");
            var status = o.Value<string>("status");
            if (!string.Equals(strategy, "Database", StringComparison.OrdinalIgnoreCase) || !string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase)) return null;
            return o["finishedAt"]?.ToObject<DateTimeOffset?>();
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or FormatException)
        {
            return null; // an unreadable report is not a finished run
        }
    }
}
