using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Execution;
using OsRollback.Engine.Rollback.Planning;

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
/// The history is tamper-evident: each line carries the SHA-256 of the line before it (the first,
/// the manifest's SHA-256), so an edited or removed line breaks the chain, and every run journal of
/// the point that finished a restore of the platform database must be listed, so a deleted file or
/// a removed last line is noticed (RestoreHistoryTampered), never read as "not restored".
/// </summary>
public static class RollbackPointRestores
{
    public const string FileName = "restores.jsonl";

    /// <summary>A line of restores.jsonl: the restore and the SHA-256 of the line before it.</summary>
    private sealed record Line(DateTimeOffset At, string By, string PlanId, string? Previous);

    private static readonly string[] RestoreKinds = [RollbackStepKind.RestoreDatabase, RollbackStep.KindOf(typeof(RevertToSnapshotStep)), RollbackStep.KindOf(typeof(RestoreToMarkStep))];

    public static IReadOnlyList<RollbackPointRestore> Read(RollbackPoint point)
    {
        var (restores, _) = ReadChain(point);
        var unlisted = RestoresInJournals(point).Where(planId => !restores.Any(r => r.PlanId == planId)).ToList();
        if (unlisted.Count > 0)
            throw Tampered(point, $"the run journals of plan(s) {string.Join(", ", unlisted)} finished a restore that {FileName} does not list (the file or lines of it were deleted)");
        return restores;
    }

    /// <summary>Records a restore once per plan (a resumed run does not record it twice), chained to the line before it.</summary>
    public static void Record(RollbackPoint point, RollbackPointRestore restore)
    {
        var (restores, last) = ReadChain(point);
        if (restores.Any(r => r.PlanId == restore.PlanId)) return;
        var path = Path.Combine(point.Path, FileName);
        var line = JsonConvert.SerializeObject(new Line(restore.At, restore.By, restore.PlanId, last), Formatting.None, RollbackJson.Settings);
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
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

    /// <summary>The restores and the SHA-256 of the last line; a broken chain is RestoreHistoryTampered.</summary>
    private static (List<RollbackPointRestore> Restores, string Last) ReadChain(RollbackPoint point)
    {
        var path = Path.Combine(point.Path, FileName);
        var list = new List<RollbackPointRestore>();
        var last = point.ManifestSha256;
        if (!File.Exists(path)) return (list, last);
        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        var chained = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            if (raw.Length == 0) continue;
            Line? line = null;
            try { line = JsonConvert.DeserializeObject<Line>(raw, RollbackJson.Settings); }
            catch (JsonException) when (i == lines.Length - 1)
            {
                continue; // the last line, cut short by a crash before its newline: the resumed run records it again
            }
            catch (JsonException)
            {
                throw Tampered(point, $"line {i + 1} is not a restore record");
            }
            if (line is null) continue;
            // Lines written before the chain existed carry no Previous; they may only come before the first chained line.
            if (line.Previous is not null || chained)
            {
                if (!string.Equals(line.Previous, last, StringComparison.OrdinalIgnoreCase))
                    throw Tampered(point, $"line {i + 1} does not follow the line before it (a line was edited, removed or inserted)");
                chained = true;
            }
            last = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(raw))).ToLowerInvariant();
            list.Add(new RollbackPointRestore(line.At, line.By, line.PlanId));
        }
        return (list, last);
    }

    /// <summary>The plans whose run journal (runs/&lt;plan id&gt;/journal.jsonl) finished a restore of the platform database of this point.</summary>
    private static IEnumerable<string> RestoresInJournals(RollbackPoint point)
    {
        var runs = Path.Combine(point.Path, "runs");
        if (!Directory.Exists(runs)) yield break;
        foreach (var folder in Directory.GetDirectories(runs))
        {
            var finished = RollbackJournal.ReadEntries(Path.Combine(folder, RollbackJournal.FileName))
                .Where(e => e.Event == JournalEvent.Finished && RestoreKinds.Contains(e.Kind)).ToList();
            if (finished.Count == 0) continue;
            if (RestoresPlatformDatabase(folder, finished)) yield return Path.GetFileName(folder);
        }
    }

    /// <summary>True unless the run's plan copy shows every finished restore was of a catalog (those are not recorded).</summary>
    private static bool RestoresPlatformDatabase(string runFolder, List<JournalEntry> finished)
    {
        var planCopy = Path.Combine(runFolder, "plan.json");
        if (!File.Exists(planCopy)) return true;
        RollbackPlan plan;
        try { plan = RollbackPlanFile.FromJson(File.ReadAllText(planCopy), planCopy); }
        catch (OsRollbackException) { return true; }
        return finished.Any(e => plan.Steps.FirstOrDefault(s => s.Number == e.Step) is not RestoreDatabaseStep { Database: not null });
    }

    private static OsRollbackException Tampered(RollbackPoint point, string problem) =>
        new("RestoreHistoryTampered", OsErrorCategory.SecurityError,
            $"The restore history of the rollback point '{point.Id}' ({FileName}) was changed: {problem}. Whether its backup was already restored cannot be known.", point.Id,
            "Treat the point as restored: take a new rollback point (New-OsRollbackPoint) and plan from it. Restore the original restores.jsonl from a copy if you have one.");
}
