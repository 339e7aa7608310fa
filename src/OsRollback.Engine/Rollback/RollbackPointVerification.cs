using System.Security.Cryptography;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback;

/// <summary>How a file's SHA-256 is computed (a seam: tests count the files hashed).</summary>
public interface IFileHasher
{
    string Sha256(string path);
}

/// <summary>Reads the whole file and hashes it.</summary>
public sealed class Sha256FileHasher : IFileHasher
{
    public static readonly Sha256FileHasher Instance = new();

    public string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }
}

/// <summary>
/// The one owner of "is this rollback point usable?" for one command: per role (Backup,
/// SolutionPackage, ModuleGraph, SchemaSnapshot) it checks a file fully (exists, size, SHA-256)
/// at most once and remembers the answer, so no file is hashed twice in a command. Full checks
/// belong to taking the point and to planning; during a rollback's outage only
/// <see cref="EnsureCheap"/> runs (the file exists with its recorded size; its recorded SHA-256 is
/// covered by the manifest's own checksum, which the plan pins).
/// </summary>
public sealed class RollbackPointVerification
{
    private readonly IFileHasher _hasher;
    private readonly Dictionary<string, RollbackPointCheck> _full = new(StringComparer.OrdinalIgnoreCase);

    public RollbackPointVerification(RollbackPoint point, IFileHasher? hasher = null)
    {
        Point = point;
        _hasher = hasher ?? Sha256FileHasher.Instance;
    }

    public RollbackPoint Point { get; }

    /// <summary>The check that says a point was taken, on purpose, without its database (Oracle); it passes, as nothing is missing that was meant to be there.</summary>
    public const string DatabaseNotCapturedCheck = "DatabaseNotCaptured";

    /// <summary>The full check of the file of <paramref name="role"/> (cached); null when the manifest lists no such file.</summary>
    public RollbackPointCheck? Check(string role)
    {
        var file = Point.Manifest.File(role);
        if (file is null) return null;
        if (_full.TryGetValue(file.Path, out var known)) return known with { Name = file.Role };
        var check = CheapCheck(file) ?? HashCheck(file);
        _full[file.Path] = check;
        return check;
    }

    /// <summary>Every file of the manifest, fully checked (cached), as Test-OsRollbackPoint lists them.</summary>
    public List<RollbackPointCheck> CheckAll()
    {
        var checks = new List<RollbackPointCheck> { new("Manifest", true, $"{RollbackCatalog.ManifestFileName} matches its SHA-256") };
        foreach (var file in Point.Manifest.Files) checks.Add(Check(file.Role)!);
        if (Point.Manifest.DatabaseNotCaptured is { } why) checks.Add(new(DatabaseNotCapturedCheck, true, $"the database was not captured: {why}"));
        else if (Point.Manifest.File(RollbackFileRoles.Backup) is null) checks.Add(new(RollbackFileRoles.Backup, false, "the manifest lists no database backup"));
        return checks;
    }

    /// <summary>Throws RollbackPointFileMissing / RollbackPointTampered unless the files of <paramref name="roles"/> (all when empty) pass the full check.</summary>
    public void EnsureIntact(params string[] roles) =>
        Throw(CheckAll().Where(c => !c.Passed && (roles.Length == 0 || roles.Contains(c.Name, StringComparer.OrdinalIgnoreCase))).ToList());

    /// <summary>Throws unless the files of <paramref name="roles"/> exist with their recorded size (no hashing: for the outage window).</summary>
    public void EnsureCheap(params string[] roles)
    {
        var failed = new List<RollbackPointCheck>();
        foreach (var role in roles)
        {
            var file = Point.Manifest.File(role);
            if (file is null) { failed.Add(new(role, false, "the manifest lists no such file")); continue; }
            if (_full.TryGetValue(file.Path, out var known) && !known.Passed) { failed.Add(known); continue; }
            if (CheapCheck(file) is { } problem) failed.Add(problem);
            else if (string.IsNullOrEmpty(file.Sha256)) failed.Add(new(role, false, $"file '{file.Path}' has no recorded SHA-256"));
        }
        Throw(failed);
    }

    private RollbackPointCheck? CheapCheck(RollbackFileInfo file)
    {
        var full = Point.FullPath(file.Path);
        if (!File.Exists(full)) return new(file.Role, false, $"file '{file.Path}' is missing");
        var size = new FileInfo(full).Length;
        return size != file.SizeBytes ? new(file.Role, false, $"file '{file.Path}' has {size} bytes, expected {file.SizeBytes}") : null;
    }

    private RollbackPointCheck HashCheck(RollbackFileInfo file)
    {
        var sha = _hasher.Sha256(Point.FullPath(file.Path));
        return string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase)
            ? new(file.Role, true, $"'{file.Path}' SHA-256 matches")
            : new(file.Role, false, $"file '{file.Path}' was changed (SHA-256 {sha}, expected {file.Sha256})");
    }

    private void Throw(List<RollbackPointCheck> failed)
    {
        if (failed.Count == 0) return;
        var missing = failed.Any(f => f.Message.Contains("missing"));
        throw new OsRollbackException(missing ? "RollbackPointFileMissing" : "RollbackPointTampered", OsErrorCategory.InvalidData,
            $"The rollback point '{Point.Id}' cannot be used: {string.Join("; ", failed.Select(f => $"{f.Name}: {f.Message}"))}.", Point.Id,
            "Run Test-OsRollbackPoint for details; restore the file from a copy, or use another rollback point.");
    }
}
