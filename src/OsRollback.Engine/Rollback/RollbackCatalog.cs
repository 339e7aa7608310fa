using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;

namespace OsRollback.Engine.Rollback;

/// <summary>
/// The folder of rollback points: <c>&lt;home&gt;/rollback-points/&lt;id&gt;/rollback-point.json</c>,
/// with a <c>rollback-point.json.sha256</c> beside it (the format of <c>sha256sum</c>, so
/// <c>sha256sum -c</c> checks it too) and environment locks in <c>&lt;home&gt;/locks</c>.
/// Home: the -CatalogPath parameter, else OSROLLBACK_HOME, else ~/.osrollback.
/// </summary>
public sealed class RollbackCatalog
{
    public const string ManifestFileName = "rollback-point.json";
    public const string ManifestChecksumFileName = "rollback-point.json.sha256";
    public const string HomeVariable = "OSROLLBACK_HOME";

    public RollbackCatalog(string home)
    {
        Home = Path.GetFullPath(home);
    }

    public string Home { get; }
    public string PointsDirectory => Path.Combine(Home, "rollback-points");
    public string LocksDirectory => Path.Combine(Home, "locks");

    /// <summary>The catalog from an explicit path, OSROLLBACK_HOME, or the user's profile.</summary>
    public static RollbackCatalog Resolve(string? explicitHome)
    {
        if (!string.IsNullOrWhiteSpace(explicitHome)) return new RollbackCatalog(explicitHome);
        var fromEnvironment = System.Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return new RollbackCatalog(fromEnvironment);
        var profile = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(profile)) profile = Path.GetTempPath();
        return new RollbackCatalog(Path.Combine(profile, ".osrollback"));
    }

    /// <summary>A new, unused folder for a rollback point of <paramref name="environment"/> taken at <paramref name="at"/>.</summary>
    public (string Id, string Folder) NewFolder(string environment, DateTimeOffset at)
    {
        var safe = new string(environment.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        var baseId = $"{safe}-{at.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
        var id = baseId;
        for (var n = 2; Directory.Exists(Path.Combine(PointsDirectory, id)); n++) id = $"{baseId}-{n}";
        var folder = Path.Combine(PointsDirectory, id);
        Directory.CreateDirectory(folder);
        return (id, folder);
    }

    /// <summary>Writes the manifest and its checksum file.</summary>
    public static RollbackPoint Save(string folder, RollbackPointManifest manifest)
    {
        var manifestPath = Path.Combine(folder, ManifestFileName);
        RollbackJson.WriteAtomic(manifestPath, RollbackJson.Serialize(manifest));
        var sha = RollbackJson.Sha256OfFile(manifestPath);
        RollbackJson.WriteAtomic(Path.Combine(folder, ManifestChecksumFileName), $"{sha}  {ManifestFileName}\n");
        return new RollbackPoint(Path.GetFullPath(folder), manifest, sha);
    }

    /// <summary>Opens a rollback point by folder path, manifest path, or Id in this catalog.</summary>
    public RollbackPoint Open(string idOrPath)
    {
        if (string.IsNullOrWhiteSpace(idOrPath))
            throw Unknown(idOrPath ?? "", "No rollback point was named.");
        var candidate = Path.GetFullPath(idOrPath);
        if (File.Exists(candidate) && string.Equals(Path.GetFileName(candidate), ManifestFileName, StringComparison.OrdinalIgnoreCase))
            return Load(Path.GetDirectoryName(candidate)!);
        if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, ManifestFileName)))
            return Load(candidate);
        var inCatalog = Path.Combine(PointsDirectory, idOrPath);
        if (idOrPath.IndexOfAny(['/', '\\']) < 0 && File.Exists(Path.Combine(inCatalog, ManifestFileName)))
            return Load(inCatalog);
        var known = Directory.Exists(PointsDirectory) ? Directory.GetDirectories(PointsDirectory).Select(Path.GetFileName).OfType<string>().ToList() : [];
        var close = NameSuggestions.Closest(idOrPath, known, 3);
        throw Unknown(idOrPath, $"No rollback point '{idOrPath}' exists in the catalog '{PointsDirectory}' or as a folder." +
            (close.Count > 0 ? $" Did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?" : ""));
    }

    /// <summary>Reads and checks a rollback point folder: the manifest must match its checksum file and be of a known format.</summary>
    public static RollbackPoint Load(string folder)
    {
        folder = Path.GetFullPath(folder);
        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath)) throw Unknown(folder, $"'{folder}' holds no {ManifestFileName}.");
        var checksumPath = Path.Combine(folder, ManifestChecksumFileName);
        var actual = RollbackJson.Sha256OfFile(manifestPath);
        if (!File.Exists(checksumPath))
        {
            throw new OsRollbackException("RollbackPointTampered", OsErrorCategory.InvalidData,
                $"The rollback point '{folder}' has no {ManifestChecksumFileName}; its manifest cannot be trusted.", folder,
                "Take a new rollback point with New-OsRollbackPoint.");
        }
        var expected = File.ReadAllText(checksumPath).Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new OsRollbackException("RollbackPointTampered", OsErrorCategory.InvalidData,
                $"The manifest of the rollback point '{folder}' was changed after it was written (SHA-256 {actual}, expected {expected}).", folder,
                "Do not edit rollback-point.json. Restore the original file from your copy, or take a new rollback point.");
        }
        var manifest = RollbackJson.Deserialize<RollbackPointManifest>(File.ReadAllText(manifestPath), manifestPath, "RollbackPointInvalid", "rollback point manifest");
        if (manifest.FormatVersion > RollbackPointManifest.CurrentFormatVersion || manifest.FormatVersion < 1)
        {
            throw new OsRollbackException("RollbackPointInvalid", OsErrorCategory.InvalidData,
                $"The rollback point '{folder}' has format version {manifest.FormatVersion}; this version of OsRollback reads version {RollbackPointManifest.CurrentFormatVersion}.", folder,
                "Use the version of OsRollback that took it, or update OsRollback.");
        }
        if (string.IsNullOrWhiteSpace(manifest.Id) || string.IsNullOrWhiteSpace(manifest.Environment))
        {
            throw new OsRollbackException("RollbackPointInvalid", OsErrorCategory.InvalidData,
                $"The rollback point '{folder}' names no Id or environment.", folder, "Take a new rollback point with New-OsRollbackPoint.");
        }
        foreach (var file in manifest.Files) RollbackPointPaths.EnsureInside(folder, file.Path);
        return new RollbackPoint(folder, manifest, actual);
    }

    /// <summary>Every readable rollback point, newest first; unreadable folders are reported as warnings.</summary>
    public IReadOnlyList<RollbackPoint> List(string? environment, IOperationReporter reporter)
    {
        if (!Directory.Exists(PointsDirectory)) return [];
        var result = new List<RollbackPoint>();
        foreach (var folder in Directory.GetDirectories(PointsDirectory))
        {
            if (!File.Exists(Path.Combine(folder, ManifestFileName))) continue;
            try
            {
                var point = Load(folder);
                if (environment is null || string.Equals(point.Environment, environment, StringComparison.OrdinalIgnoreCase)) result.Add(point);
            }
            catch (OsRollbackException ex)
            {
                reporter.Warning($"Skipping '{folder}': {ex.Message}");
            }
        }
        return result.OrderByDescending(p => p.CreatedAt).ToList();
    }

    /// <summary>Deletes a rollback point folder; refuses while a rollback run from it is unfinished unless <paramref name="force"/>.</summary>
    public static void Remove(RollbackPoint point, bool force, IOperationReporter reporter)
    {
        var unfinished = Execution.RollbackJournal.FindUnfinishedRuns(point.Path);
        if (unfinished.Count > 0 && !force)
        {
            throw new OsRollbackException("RollbackPointInUse", OsErrorCategory.ResourceBusy,
                $"The rollback point '{point.Id}' has an unfinished rollback run ({string.Join(", ", unfinished)}); it may be needed to resume it.", point.Id,
                "Finish the run with Invoke-OsRollback -Resume, or use -Force to delete it anyway.");
        }
        reporter.Verbose($"Deleting the rollback point folder {point.Path}.");
        Directory.Delete(point.Path, recursive: true);
    }

    /// <summary>
    /// Retention: the rollback points to delete so that only the newest <paramref name="keepLast"/>
    /// per environment remain and none older than <paramref name="olderThan"/> (either may be null).
    /// The newest point of each environment is always kept: it is the one a rollback would need.
    /// </summary>
    public static IReadOnlyList<RollbackPoint> SelectForRetention(IEnumerable<RollbackPoint> points, int? keepLast, TimeSpan? olderThan, DateTimeOffset now)
    {
        var remove = new List<RollbackPoint>();
        foreach (var group in points.GroupBy(p => p.Environment, StringComparer.OrdinalIgnoreCase))
        {
            var ordered = group.OrderByDescending(p => p.CreatedAt).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var tooMany = keepLast is { } k && i >= k;
                var tooOld = olderThan is { } age && now - ordered[i].CreatedAt > age;
                if (tooMany || tooOld) remove.Add(ordered[i]);
            }
        }
        return remove;
    }

    private static OsRollbackException Unknown(string target, string message) =>
        new("RollbackPointNotFound", OsErrorCategory.ObjectNotFound, message, target,
            "List the rollback points with Get-OsRollbackPoint (-CatalogPath or OSROLLBACK_HOME choose the catalog), or give the folder path.");
}
