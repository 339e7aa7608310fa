using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Planning;

namespace OsRollback.Engine.Rollback.Execution;

/// <summary>Past runs found, and the run folders that could not be read (each an error to report, none stops the listing).</summary>
public sealed record RollbackRunListing(IReadOnlyList<RollbackRunRecord> Runs, IReadOnlyList<OsRollbackException> Unreadable);

/// <summary>
/// Finds past rollback runs. Invoke-OsRollback writes each run to runs/&lt;plan id&gt; inside its
/// rollback point's folder, so a catalog's runs are &lt;catalog&gt;/rollback-points/*/runs/*.
/// A folder can be given as a catalog, a rollback point or a single run.
/// </summary>
public static class RollbackRunHistory
{
    private const string RunsFolder = "runs";

    /// <summary>Every run in the catalog's rollback points, newest first.</summary>
    public static RollbackRunListing OfCatalog(RollbackCatalog catalog) => Read(RunFoldersOfCatalog(catalog));

    /// <summary>The runs of the catalog plus those of one rollback point kept outside it (a point given by folder), newest first.</summary>
    public static RollbackRunListing OfCatalogAndPoint(RollbackCatalog catalog, RollbackPoint point) =>
        Read(RunFoldersOfCatalog(catalog).Concat(RunFoldersOfPoint(point.Path)).Select(Path.GetFullPath).Distinct(PathComparer));

    /// <summary>The run folders under a path: a catalog (rollback-points/), a rollback point (runs/) or a run (journal.jsonl); null when it is none of these.</summary>
    public static IReadOnlyList<string>? RunFoldersUnder(string path)
    {
        if (File.Exists(Path.Combine(path, RollbackJournal.FileName)) || File.Exists(Path.Combine(path, RunJournalReader.PlanFileName))) return [path];
        if (Directory.Exists(Path.Combine(path, RunsFolder)) || File.Exists(Path.Combine(path, RollbackCatalog.ManifestFileName))) return RunFoldersOfPoint(path).ToList();
        var catalog = new RollbackCatalog(path);
        return Directory.Exists(catalog.PointsDirectory) ? RunFoldersOfCatalog(catalog).ToList() : null;
    }

    /// <summary>Reads the runs of these folders, newest first; a folder where nothing ran yet is left out.</summary>
    public static RollbackRunListing Read(IEnumerable<string> runFolders)
    {
        var runs = new List<RollbackRunRecord>();
        var unreadable = new List<OsRollbackException>();
        foreach (var folder in runFolders)
        {
            try
            {
                if (RunJournalReader.Read(folder) is { } run) runs.Add(run);
            }
            catch (OsRollbackException ex)
            {
                unreadable.Add(ex);
            }
        }
        return new RollbackRunListing(runs.OrderByDescending(r => r.StartedAt).ToList(), unreadable);
    }

    /// <summary>The runs of one environment and strategy (null: any), newest first.</summary>
    public static IEnumerable<RollbackRunRecord> Where(IEnumerable<RollbackRunRecord> runs, string? environment, RollbackStrategy? strategy) =>
        runs.Where(r => (environment is null || string.Equals(r.Environment, environment, StringComparison.OrdinalIgnoreCase)) && (strategy is null || r.Strategy == strategy));

    private static IEnumerable<string> RunFoldersOfCatalog(RollbackCatalog catalog) =>
        Directory.Exists(catalog.PointsDirectory) ? Directory.GetDirectories(catalog.PointsDirectory).SelectMany(RunFoldersOfPoint) : [];

    private static IEnumerable<string> RunFoldersOfPoint(string pointFolder)
    {
        var runs = Path.Combine(pointFolder, RunsFolder);
        return Directory.Exists(runs) ? Directory.GetDirectories(runs) : [];
    }

    private static StringComparer PathComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
}
