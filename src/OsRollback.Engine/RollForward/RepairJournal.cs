using System.Security.Cryptography;
using System.Text;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback;

namespace OsRollback.Engine.RollForward;

/// <summary>
/// Rehearsals and repairs in the catalog, under repairs/&lt;key&gt;/ where the key is the SHA-256 of
/// the script digest, the check digest and the target database: rehearsal.json holds the latest
/// rehearsal, repair.json the repair of that target (written Started before the transaction
/// commits, then Applied), so a repair is applied at most once even if the process is killed.
/// </summary>
public sealed class RepairJournal
{
    public const string RehearsalFileName = "rehearsal.json";
    public const string RepairFileName = "repair.json";

    public RepairJournal(string catalogHome) => Directory = Path.Combine(Path.GetFullPath(catalogHome), "repairs");

    public string Directory { get; }

    public string FolderFor(RepairFiles files, string database)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{files.ScriptSha256}\n{files.CheckSha256}\n{database.ToUpperInvariant()}"))).ToLowerInvariant();
        return Path.Combine(Directory, key[..32]);
    }

    public RepairRecord? ReadRehearsal(RepairFiles files, string database) => Read(Path.Combine(FolderFor(files, database), RehearsalFileName));

    public RepairRecord? ReadRepair(RepairFiles files, string database) => Read(Path.Combine(FolderFor(files, database), RepairFileName));

    /// <summary>Every rehearsal recorded for <paramref name="database"/>, whatever its script (to tell "another script" from "never rehearsed").</summary>
    public IReadOnlyList<RepairRecord> RehearsalsOf(string database)
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.EnumerateFiles(Directory, RehearsalFileName, SearchOption.AllDirectories)
            .Select(Read).OfType<RepairRecord>()
            .Where(r => string.Equals(r.Database, database, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.StartedAt).ToList();
    }

    public string Write(RepairFiles files, RepairRecord record)
    {
        var path = Path.Combine(FolderFor(files, record.Database), record.Mode == RepairMode.Rehearsal ? RehearsalFileName : RepairFileName);
        RollbackJson.WriteAtomic(path, RollbackJson.Serialize(record));
        return path;
    }

    private static RepairRecord? Read(string path) =>
        File.Exists(path) ? RollbackJson.Deserialize<RepairRecord>(File.ReadAllText(path), path, "RepairRecordInvalid", "repair record") : null;
}
