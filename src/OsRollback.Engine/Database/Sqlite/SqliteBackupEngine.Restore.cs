using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>
/// The SQLite restore: planned once (<see cref="PlanRestore"/>: the backup file, the target's
/// state, the replace rules), then run from that plan (<see cref="Restore"/>), as on SQL Server.
/// </summary>
internal sealed partial class SqliteBackupEngine
{
    public static RestorePlan PlanRestore(SqliteTarget target, RestoreOptions options, IOperationReporter reporter)
    {
        var file = SingleFile(options.FilePath);
        var metadata = BackupMetadata.TryRead(file + MetadataSuffix);
        var name = DatabaseName(target.Path);
        var exists = File.Exists(target.Path);
        if (exists)
        {
            if (metadata is null) reporter.Warning($"{file} has no metadata file, so it cannot be checked to be a backup of {name}.");
            ReplaceRules.CheckReplace(name, metadata?.Database ?? "", target.Path, options);
        }
        else if (!Directory.Exists(System.IO.Path.GetDirectoryName(target.Path)))
        {
            throw new OsRollbackException("RestorePathNotFound", OsErrorCategory.ObjectNotFound,
                $"The folder of '{target.Path}' does not exist.", target.Path, "Create the folder first, or give another -SqlitePath.");
        }
        var check = options.SourceCheck == RestoreSourceCheck.Cheap
            ? "its header, size and recorded checksum (fully verified before)"
            : metadata is null ? "PRAGMA quick_check" : $"its {metadata.ChecksumAlgorithm} checksum and PRAGMA quick_check";
        return new RestorePlan
        {
            Engine = DatabaseEngineKind.Sqlite,
            Target = target,
            Source = [file],
            SourceDatabase = metadata?.Database,
            BackupStart = metadata?.Start,
            TargetDatabase = name,
            TargetExists = exists,
            Moves = [new FileMove("main", target.Path)],
            FileTypes = ["D"],
            SafetyBackupNeeded = SafetyBackupChecker.IsNeeded(exists, true),
            Notes =
            [
                $"Check {file}: {check}.",
                $"SQLite online backup API from {file} into {target.Path}" + (exists ? ", after a verified safety backup of it." : "."),
            ],
        };
    }

    /// <summary>Runs a plan from <see cref="PlanRestore"/>: nothing is re-planned; a target that appeared or vanished since is refused.</summary>
    public RestoreResult Restore(RestorePlan plan, RestoreOptions options, Func<BackupOptions, BackupResult> takeSafetyBackup,
        SafetyBackupChecker safetyPolicy, IOperationReporter reporter, CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var target = (SqliteTarget)plan.Target;
        var file = plan.Source.Single();
        var exists = File.Exists(target.Path);
        if (exists != plan.TargetExists)
        {
            throw new OsRollbackException("RestoreTargetChanged", OsErrorCategory.InvalidOperation,
                $"'{target.Path}' {(exists ? "exists now" : "is gone")}, but the restore was planned when it {(plan.TargetExists ? "existed" : "did not exist")}.", target.Path,
                "Run the restore again so that it is planned against the database as it is now; nothing was changed.");
        }
        var phase = _time.GetTimestamp();
        var phases = new List<string>();
        void Phase(string name) { phases.Add($"{name} {_time.GetElapsedTime(phase).TotalSeconds:0.00} s"); phase = _time.GetTimestamp(); }
        CheckSource(file, options.SourceCheck, reporter, ct);
        Phase(options.SourceCheck == RestoreSourceCheck.Cheap ? "cheap check" : "checksum and quick_check");
        BackupResult? safety = null;
        if (exists)
        {
            var evidence = EnsureSafety(options, plan.TargetDatabase, target.Path, safetyPolicy, reporter, () => takeSafetyBackup(new BackupOptions
            {
                Path = [options.SafetyBackupPath ?? System.IO.Path.GetDirectoryName(file)!],
                Verify = true,
                FileNamePattern = BackupFileNaming.DefaultPattern + "_safety",
            }));
            // Right before the replace: the file that was verified is still that file (100 bytes and the metadata).
            safetyPolicy.RecheckSqlite(evidence, target.Path);
            safety = evidence.Backup;
            Phase("safety backup");
        }
        CopyInto(target, file, exists, options, reporter, ct);
        Phase("copy");
        reporter.Verbose($"Restored {file} into {target.Path} ({string.Join(", ", phases)}).");
        return new RestoreResult
        {
            Engine = DatabaseEngineKind.Sqlite,
            SqlitePath = target.Path,
            Database = plan.TargetDatabase,
            SourceDatabase = plan.SourceDatabase,
            BackupFilePath = [file],
            BackupStart = plan.BackupStart,
            Files = [new RestoredFile("main", "D", target.Path)],
            ReplacedExisting = exists,
            SafetyBackup = safety,
            Start = start,
            End = _time.GetUtcNow(),
        };
    }

    /// <summary>
    /// The backup being restored, before any page is copied: fully (recorded checksum and quick_check side by
    /// side), or cheaply for a backup verified fully before (header, page size x page count, recorded checksum state).
    /// </summary>
    private static void CheckSource(string file, RestoreSourceCheck depth, IOperationReporter reporter, CancellationToken ct)
    {
        reporter.Verbose($"Checking {file} before restoring it ({(depth == RestoreSourceCheck.Cheap ? "header, size, recorded checksum" : "checksum and quick_check")}).");
        if (depth == RestoreSourceCheck.Cheap)
        {
            var quick = SqliteQuickCheck.Run([file]);
            if (quick.Passed) return;
            throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
                $"The backup '{file}' is not the file that was verified: {string.Join("; ", quick.Checks.Where(c => !c.Passed).Select(c => $"{c.Name} {c.Detail}"))}.", file,
                "Do not restore from it; use an older verified backup (Get-OsDatabaseBackup). Nothing was changed.");
        }
        var metadata = BackupMetadata.TryRead(file + MetadataSuffix);
        var checksumTask = metadata?.Checksum is { Length: > 0 } ? Task.Run(() => Checksum(file, metadata.ChecksumAlgorithm), ct) : null;
        var check = IntegrityCheck(file, quick: true);
        if (checksumTask is not null && !string.Equals(checksumTask.GetAwaiter().GetResult(), metadata!.Checksum, StringComparison.OrdinalIgnoreCase))
        {
            throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
                $"The backup '{file}' changed since it was written: its {metadata.ChecksumAlgorithm} checksum does not match {System.IO.Path.GetFileName(file + MetadataSuffix)}.", file,
                "Do not restore from it; use an older verified backup (Get-OsDatabaseBackup).");
        }
        if (check != "ok")
        {
            throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
                $"The backup '{file}' failed its integrity check: {check}", file, "Do not restore from it; use an older verified backup (Get-OsDatabaseBackup).");
        }
    }

    private void CopyInto(SqliteTarget target, string file, bool exists, RestoreOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var activity = $"Restoring {target.Path}";
        // Pooled connections of this process would keep the old file's pages; other processes
        // (the sandbox opens a connection per request, without pooling) see the new content on
        // their next connection. The backup API takes the destination's write lock and retries while it is busy.
        SqliteConnection.ClearAllPools();
        using var contentHash = SourceContentHash.Start(file, options.ExpectedSourceSha256, ct);
        try
        {
            using (var source = Open(file, SqliteOpenMode.ReadOnly))
            using (var destination = Open(target.Path, SqliteOpenMode.ReadWriteCreate))
            {
                Execute(source, MemoryMap);
                // A new file has nothing to protect: no journal while it is written (it is deleted if the
                // restore fails). An existing one keeps its journal, so a failed restore rolls back.
                if (!exists) Execute(destination, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
                CopyPages(source, destination, reporter, activity, options.StatsPercent, options.BusyRetries, 1, ct, options.BusyRetryDelay, contentHash is null ? null : contentHash.Ensure);
                if (!exists) Execute(destination, "PRAGMA journal_mode=DELETE;");
            }
            if (!exists) Flush(target.Path);
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            if (!exists) TryDelete(target.Path);
            throw Map(ex, target.Path, target.Path);
        }
        catch (Exception ex) when (ex is OperationCanceledException or OsRollbackException)
        {
            if (!exists) TryDelete(target.Path);
            throw;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
        reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));
    }

    /// <summary>The safety policy for a SQLite target: take one and issue its evidence, or check what was given (fully, unless this run verified it).</summary>
    private static VerifiedBackup EnsureSafety(RestoreOptions options, string name, string path, SafetyBackupChecker policy, IOperationReporter reporter, Func<BackupResult> take)
    {
        if (options.SafetyBackupPolicy == SafetyBackupPolicy.TakeAndVerify)
        {
            reporter.Verbose($"Taking a safety backup of {path} before replacing it.");
            var taken = take();
            if (!taken.Verified)
            {
                throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidResult,
                    $"The safety backup of '{name}' could not be verified, so the restore was not started.", path,
                    "Check the backup folder and run again; nothing was replaced.");
            }
            return policy.IssueSqlite(taken);
        }
        if (options.SafetyEvidence is { } evidence)
        {
            policy.CheckAcceptable(evidence.Backup, name, path, options.FilePath, options.SafetyBackupMaxAge, localFiles: true);
            return evidence;
        }
        var given = options.SafetyBackup ?? throw ReplaceRules.SafetyMissing(name, path);
        policy.CheckAcceptable(given, name, path, options.FilePath, options.SafetyBackupMaxAge, localFiles: true);
        reporter.Verbose($"Checking the given safety backup {string.Join(", ", given.FilePath)} (metadata, checksum, quick_check, source).");
        return policy.VerifySqlite(given, path);
    }
}
