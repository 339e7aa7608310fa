using Newtonsoft.Json;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback;

/// <summary>One restore of a rollback point's backup over its environment's database.</summary>
public sealed record RollbackPointRestore(DateTimeOffset At, string By, string PlanId)
{
    public override string ToString() => $"{At:u} by {By} (plan {PlanId})";
}

/// <summary>
/// The restores of a rollback point: an append-only file (restores.jsonl) beside the manifest,
/// outside its checksum, so a restore does not make the plans that pin the manifest invalid. A
/// later Database plan from a restored point, or a plan made before its restore, is refused
/// unless -Force (the data written since was already lost once and recovered, or not).
/// </summary>
public static class RollbackPointRestores
{
    public const string FileName = "restores.jsonl";

    public static IReadOnlyList<RollbackPointRestore> Read(RollbackPoint point)
    {
        var path = Path.Combine(point.Path, FileName);
        if (!File.Exists(path)) return [];
        var list = new List<RollbackPointRestore>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try { if (JsonConvert.DeserializeObject<RollbackPointRestore>(line, RollbackJson.Settings) is { } r) list.Add(r); }
            catch (JsonException) { /* a line cut short by a crash */ }
        }
        return list;
    }

    /// <summary>Records a restore once per plan (a resumed run does not record it twice).</summary>
    public static void Record(RollbackPoint point, RollbackPointRestore restore)
    {
        if (Read(point).Any(r => r.PlanId == restore.PlanId)) return;
        var path = Path.Combine(point.Path, FileName);
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(restore, Formatting.None, RollbackJson.Settings) + "\n"));
            stream.Flush(flushToDisk: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OsRollbackException("RollbackPointWriteFailed", OsErrorCategory.WriteError,
                $"The restore could not be recorded on the rollback point '{point.Id}' ({path}): {ex.Message}", path,
                "Free space or fix the permissions of the rollback point folder, then -Resume.", ex);
        }
    }

    /// <summary>Refuses (or, with <paramref name="force"/>, warns about) a restore the point already had that the plan did not know of.</summary>
    public static void EnsureNotRestoredSince(RollbackPoint point, DateTimeOffset since, string? exceptPlanId, bool force, IOperationReporter reporter, List<string>? warnings = null)
    {
        var earlier = Read(point).Where(r => r.PlanId != exceptPlanId && r.At >= since).ToList();
        if (earlier.Count == 0) return;
        var text = string.Join("; ", earlier);
        var message = $"The backup of the rollback point '{point.Id}' was already restored over {point.Environment}: {text}.";
        if (!force)
        {
            throw new OsRollbackException("RollbackPointAlreadyRestored", OsErrorCategory.InvalidOperation, message, point.Id,
                "Data written since that restore would be lost again. Take a new rollback point, or, if this is intended, repeat with -Force.");
        }
        reporter.Warning(message + " Going ahead because of -Force.");
        warnings?.Add(message);
    }
}
