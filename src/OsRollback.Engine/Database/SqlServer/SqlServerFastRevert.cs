using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>
/// The SQL Server fast-revert engine: a database snapshot and a marked transaction at rollback-point
/// time, then the revert (tail-log backup → drop other snapshots → RESTORE FROM DATABASE_SNAPSHOT →
/// full backup) or the restore of the full backup and log chain to the mark.
/// </summary>
public sealed class SqlServerFastRevert : IFastRevert
{
    private readonly Func<SqlServerTarget, string?, ISqlSession> _open;
    private readonly TimeProvider _time;

    public SqlServerFastRevert(Func<SqlServerTarget, string?, ISqlSession>? openSqlSession = null, TimeProvider? time = null)
    {
        _open = openSqlSession ?? ((target, database) => SqlClientSession.Open(target, database));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// At rollback-point time: a snapshot where the edition and disks allow it, and in FULL recovery a
    /// marked transaction. What could not be done is said in <see cref="RollbackPointSnapshot.Notes"/> (and a warning), never thrown:
    /// the full backup of the rollback point stays the fallback.
    /// </summary>
    public RollbackPointSnapshot CreateAtRollbackPoint(SqlServerTarget target, FastRevertOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        var notes = new List<string>();
        using var master = _open(target, "master");
        var rows = master.ExecuteReader(FastRevertScripts.Probe, [new("@database", target.Database)], cancellationToken: ct);
        if (rows.Count == 0)
            throw new OsRollbackException("DatabaseNotFound", OsErrorCategory.ObjectNotFound, $"The database '{target.Database}' does not exist on '{target.SqlInstance}'.", target.DisplayName, "Check -Database.");
        var first = rows[0];
        var recovery = first.String("recovery_model_desc") ?? "";
        string? snapshot = null;
        var sparse = new List<SparseFile>();
        if (SnapshotUnsupported(first) is { } why)
        {
            notes.Add("No snapshot: " + why);
        }
        else
        {
            var name = (target.Database.Length > 90 ? target.Database[..90] : target.Database) + "_osrollback_snap_" + now.UtcDateTime.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);
            var data = rows.Where(r => !string.Equals(r.String("type_desc"), "LOG", StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var file in data)
            {
                var physical = file.String("physical_name") ?? "";
                var folder = options.SparseFolder ?? SqlServerBackupEngine.DirectoryOf(physical);
                var separator = physical.Contains('/') ? '/' : '\\';
                sparse.Add(new SparseFile(file.String("logical_name") ?? "", BackupFileNaming.Combine(folder, BackupFileNaming.Sanitize(name) + "_" + BackupFileNaming.Sanitize(file.String("logical_name") ?? "") + ".ss", separator)));
            }
            if (DiskTooSmall(data, options, out var warning)) notes.Add("No snapshot: " + warning);
            else
            {
                if (warning is not null) { notes.Add(warning); reporter.Warning(warning); }
                master.ExecuteNonQuery(FastRevertScripts.CreateSnapshot(name, target.Database, sparse), longRunning: true, cancellationToken: ct);
                snapshot = name;
            }
        }
        string? mark = null;
        if (string.Equals(recovery, "FULL", StringComparison.OrdinalIgnoreCase))
        {
            mark = FastRevertScripts.MarkName(now);
            using var db = _open(target, target.Database);
            db.ExecuteNonQuery(FastRevertScripts.EnsureMarkTable, cancellationToken: ct);
            db.ExecuteNonQuery(FastRevertScripts.MarkTransaction(mark, $"OsRollback rollback point of {target.Database} at {now:u}"), cancellationToken: ct);
        }
        else notes.Add($"No marked transaction: the recovery model is {recovery}, so there are no log backups to stop at it.");
        foreach (var note in notes.Where(n => n.StartsWith("No ", StringComparison.Ordinal))) reporter.Verbose(note);
        return new RollbackPointSnapshot(target.Database, snapshot, snapshot is null ? [] : sparse, mark, recovery, notes);
    }

    /// <summary>What the chooser needs, read from the server now.</summary>
    public RevertFacts ReadFacts(SqlServerTarget target, RollbackPointSnapshot point, decimal? fullBackupLastLsn, long databaseBytes, CancellationToken ct = default)
    {
        using var master = _open(target, "master");
        var probe = master.ExecuteReader(FastRevertScripts.Probe, [new("@database", target.Database)], cancellationToken: ct);
        var snapshots = master.ExecuteReader(FastRevertScripts.Snapshots, [new("@database", target.Database)], cancellationToken: ct).Select(r => r.String("name") ?? "").ToList();
        var exists = point.SnapshotName is not null && snapshots.Contains(point.SnapshotName, StringComparer.OrdinalIgnoreCase);
        long? changed = exists
            ? master.ExecuteReader(FastRevertScripts.SnapshotSizeOnDisk, [new("@snapshot", point.SnapshotName)], cancellationToken: ct).FirstOrNull()?.Int64("size_on_disk_bytes")
            : null;
        var chain = fullBackupLastLsn is decimal lsn ? CheckLogChain(master, target.Database, lsn, ct) : (LogChainState.Unknown, (long?)null);
        return new RevertFacts
        {
            Engine = DatabaseEngineKind.SqlServer,
            IsAzureSqlDatabase = probe.FirstOrNull()?.Int64("EngineEdition") == 5,
            SnapshotName = point.SnapshotName,
            SnapshotExists = exists,
            OtherSnapshots = snapshots.Where(s => !string.Equals(s, point.SnapshotName, StringComparison.OrdinalIgnoreCase)).ToList(),
            SnapshotBytesOnDisk = changed,
            HasReadOnlyOrCompressedFilegroups = probe.FirstOrNull()?.Bool("has_read_only_files") ?? false,
            RecoveryModel = probe.FirstOrNull()?.String("recovery_model_desc") ?? point.RecoveryModel,
            MarkName = point.MarkName,
            LogChain = chain.Item1,
            LogChainBytes = chain.Item2,
            DatabaseBytes = databaseBytes,
        };
    }

    /// <summary>The log backups after the full backup must follow each other without an LSN gap (each first_lsn &lt;= the previous last_lsn).</summary>
    internal static (LogChainState, long?) CheckLogChain(ISqlSession session, string database, decimal fromLsn, CancellationToken ct)
    {
        var sets = session.ExecuteReader(FastRevertScripts.LogChain, [new("@database", database), new("@fromLsn", fromLsn)], cancellationToken: ct)
            .GroupBy(r => r.Int64("backup_set_id")).Select(g => g.First()).ToList();
        if (sets.Count == 0) return (LogChainState.Broken, null);
        var previous = fromLsn;
        foreach (var set in sets)
        {
            if ((set.Decimal("first_lsn") ?? decimal.MaxValue) > previous) return (LogChainState.Broken, null);
            previous = set.Decimal("last_lsn") ?? previous;
        }
        return (LogChainState.Complete, null);
    }

    /// <summary>
    /// The revert: SINGLE_USER, tail-log backup (FULL recovery; database stays ONLINE), drop other
    /// snapshots, RESTORE FROM DATABASE_SNAPSHOT, MULTI_USER, then a full backup (the revert rebuilt
    /// the log, so the old chain ends here). A failure before the revert leaves the database as it was.
    /// </summary>
    public RevertResult RevertToSnapshot(SqlServerTarget target, RollbackPointSnapshot point, FastRevertOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var snapshot = point.SnapshotName ?? throw SnapshotMissing(target, "(none recorded)");
        var steps = new List<string>();
        var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);
        using var master = _open(target, "master");
        var snapshots = master.ExecuteReader(FastRevertScripts.Snapshots, [new("@database", target.Database)], cancellationToken: ct).Select(r => r.String("name") ?? "").ToList();
        if (!snapshots.Contains(snapshot, StringComparer.OrdinalIgnoreCase)) throw SnapshotMissing(target, snapshot);
        var others = snapshots.Where(s => !string.Equals(s, snapshot, StringComparison.OrdinalIgnoreCase)).ToList();
        if (others.Count > 0 && !options.DropOtherSnapshots)
        {
            throw new OsRollbackException("RevertRefusedOtherSnapshots", OsErrorCategory.InvalidOperation,
                $"'{target.Database}' has other snapshots ({string.Join(", ", others)}); SQL Server reverts only a database with a single snapshot. Nothing was changed.", target.DisplayName,
                "Drop the other snapshots (or allow it with DropOtherSnapshots), then revert again.");
        }
        var folder = options.BackupFolder ?? throw new OsRollbackException("BackupPathRequired", OsErrorCategory.InvalidArgument,
            "The revert writes a tail-log backup and a full backup; no folder was given.", target.DisplayName, "Give the server folder for them (FastRevertOptions.BackupFolder).");
        var full = string.Equals(point.RecoveryModel, "FULL", StringComparison.OrdinalIgnoreCase);
        var script = RevertScript.For(target.Database, snapshot, others, full, folder, stamp);
        Run(master, script.SingleUser, steps, ct);
        try
        {
            if (script.TailLogBackup is { } tail) Run(master, tail, steps, ct);
            foreach (var drop in script.DropOtherSnapshots) Run(master, drop, steps, ct);
            Run(master, script.Revert, steps, ct);
        }
        finally
        {
            try { Run(master, script.MultiUser, steps, CancellationToken.None); }
            catch (OsRollbackException ex) { reporter.Warning($"Could not set {target.Database} back to MULTI_USER: {ex.Message}"); }
        }
        try
        {
            Run(master, script.FullBackupAfter, steps, ct);
        }
        catch (OsRollbackException ex)
        {
            // The revert is done and cannot be undone; the missing base of a new log chain is a warning with the fix.
            reporter.Warning($"{target.Database} was reverted, but the full backup after it failed ({ex.ErrorId}: {ex.Message}). Take a full backup now: the old log chain ended at the revert.");
            return new RevertResult(target.Database, RestorePathKind.SnapshotRevert, steps, null);
        }
        return new RevertResult(target.Database, RestorePathKind.SnapshotRevert, steps,
            new BackupResult { Database = target.Database, SqlInstance = target.SqlInstance, Engine = DatabaseEngineKind.SqlServer, FilePath = [script.FullBackupAfterFile], HasChecksum = true, WrittenByOsRollback = true });
    }

    /// <summary>
    /// The log-chain path: the full backup WITH NORECOVERY, REPLACE, then each log backup up to the mark
    /// (STOPBEFOREMARK), the last WITH RECOVERY. Refused when msdb shows an LSN gap after the full backup.
    /// </summary>
    public RevertResult RestoreToMark(SqlServerTarget target, BackupResult fullBackup, RollbackPointSnapshot point, IOperationReporter reporter, CancellationToken ct = default)
    {
        var mark = point.MarkName ?? throw new OsRollbackException("MarkMissing", OsErrorCategory.ObjectNotFound,
            $"The rollback point of '{target.Database}' wrote no marked transaction.", target.DisplayName, "Use the snapshot revert or the full restore.");
        var steps = new List<string>();
        using var master = _open(target, "master");
        var logs = master.ExecuteReader(FastRevertScripts.LogChain, [new("@database", target.Database), new("@fromLsn", fullBackup.LastLsn ?? 0m)], cancellationToken: ct);
        var (state, _) = CheckLogChain(master, target.Database, fullBackup.LastLsn ?? 0m, ct);
        if (state != LogChainState.Complete)
        {
            throw new OsRollbackException("LogChainBroken", OsErrorCategory.InvalidData,
                $"msdb shows a gap in the log backups of '{target.Database}' after the full backup (LSN {fullBackup.LastLsn}); a restore to the mark {mark} is impossible. Nothing was changed.", target.DisplayName,
                "Use the full restore of the rollback point (or the snapshot revert), and check that no other tool takes log backups elsewhere.");
        }
        var sets = logs.GroupBy(r => r.Int64("backup_set_id")).Select(g => g.Select(r => new BackupDevice(r.String("physical_device_name") ?? "")).ToList()).ToList();
        Run(master, FastRevertScripts.RestoreFullNoRecovery(target.Database, fullBackup.FilePath.Select(f => new BackupDevice(f, SqlServerBackupEngine.IsUrl(f))).ToList()), steps, ct);
        for (var i = 0; i < sets.Count; i++) Run(master, FastRevertScripts.RestoreLogToMark(target.Database, sets[i], mark, recover: i == sets.Count - 1), steps, ct);
        return new RevertResult(target.Database, RestorePathKind.LogChainToMark, steps, null);
    }

    /// <summary>Retention: the snapshot goes with its rollback point (Remove-OsRollbackPoint).</summary>
    public void DropRollbackPointSnapshot(SqlServerTarget target, RollbackPointSnapshot point, CancellationToken ct = default)
    {
        if (point.SnapshotName is null) return;
        using var master = _open(target, "master");
        master.ExecuteNonQuery(FastRevertScripts.DropSnapshot(point.SnapshotName), longRunning: true, cancellationToken: ct);
    }

    private static void Run(ISqlSession session, string sql, List<string> steps, CancellationToken ct)
    {
        session.ExecuteNonQuery(sql, longRunning: true, cancellationToken: ct);
        steps.Add(sql);
    }

    private static string? SnapshotUnsupported(SqlRow probe)
    {
        var edition = probe.Int64("EngineEdition") ?? 3;
        if (edition == 5) return "Azure SQL Database has no database snapshots.";
        if (edition == 8) return "Azure SQL Managed Instance does not support database snapshots.";
        var major = probe.Int64("MajorVersion") ?? 0;
        var level = probe.String("ProductLevel") ?? "";
        // Snapshots are in every edition from SQL Server 2016 SP1; before that Enterprise/Developer only.
        if (edition != 3 && (major < 13 || (major == 13 && level == "RTM"))) return $"edition {edition} before SQL Server 2016 SP1 has no database snapshots.";
        if (probe.Bool("has_read_only_files")) return "the database has read-only files, which a revert refuses.";
        return null;
    }

    /// <summary>
    /// A snapshot's sparse files grow by every page changed after it, up to the data size. A volume
    /// without room for that gets a warning; one below <see cref="FastRevertOptions.MinimumFreeFraction"/> of it gets no snapshot.
    /// </summary>
    private static bool DiskTooSmall(IReadOnlyList<SqlRow> dataFiles, FastRevertOptions options, out string? warning)
    {
        warning = null;
        var need = dataFiles.Sum(f => f.Int64("size_bytes") ?? 0);
        var free = dataFiles.Select(f => f.Int64("available_bytes") ?? long.MaxValue).DefaultIfEmpty(long.MaxValue).Min();
        if (free < need * options.MinimumFreeFraction)
        {
            warning = $"the volume has {free:N0} bytes free, less than {options.MinimumFreeFraction:P0} of the {need:N0} bytes of data a snapshot may grow to; a snapshot could fill the disk.";
            return true;
        }
        if (free < need) warning = $"Size warning: the snapshot may grow to {need:N0} bytes if every page changes; the volume has {free:N0} bytes free. Drop the rollback point (and its snapshot) once the deploy is accepted.";
        return false;
    }

    private static OsRollbackException SnapshotMissing(SqlServerTarget target, string snapshot) =>
        new("SnapshotMissing", OsErrorCategory.ObjectNotFound,
            $"The snapshot {snapshot} of '{target.Database}' does not exist (dropped, or the database was restored since). Nothing was changed.", target.DisplayName,
            "Use the log chain to the mark or the full restore of the rollback point (the path chooser picks the next one).");

    // ---------------------------------------------------------------- IFastRevert (the provider's optional capability)

    RollbackPointSnapshot IFastRevert.CreateAtRollbackPoint(DatabaseTarget target, FastRevertOptions options, IOperationReporter reporter, CancellationToken ct) =>
        CreateAtRollbackPoint(SqlServerProvider.Sql(target), options, reporter, ct);

    RevertFacts IFastRevert.ReadFacts(DatabaseTarget target, RollbackPointSnapshot point, decimal? fullBackupLastLsn, long databaseBytes, CancellationToken ct) =>
        ReadFacts(SqlServerProvider.Sql(target), point, fullBackupLastLsn, databaseBytes, ct);

    RevertResult IFastRevert.RevertToSnapshot(DatabaseTarget target, RollbackPointSnapshot point, FastRevertOptions options, IOperationReporter reporter, CancellationToken ct) =>
        RevertToSnapshot(SqlServerProvider.Sql(target), point, options, reporter, ct);

    RevertResult IFastRevert.RestoreToMark(DatabaseTarget target, string fullBackupPath, decimal? fullBackupLastLsn, RollbackPointSnapshot point, IOperationReporter reporter, CancellationToken ct)
    {
        var sql = SqlServerProvider.Sql(target);
        var full = new BackupResult { Database = sql.Database, SqlInstance = sql.SqlInstance, Engine = DatabaseEngineKind.SqlServer, FilePath = [fullBackupPath], LastLsn = fullBackupLastLsn };
        return RestoreToMark(sql, full, point, reporter, ct);
    }

    SharedServerFeatures IFastRevert.ReadSharedServer(DatabaseTarget target, CancellationToken ct)
    {
        var sql = SqlServerProvider.Sql(target);
        using var master = _open(sql, "master");
        return SharedServerFeatures.Read(master, sql.Database, ct);
    }

    void IFastRevert.DropRollbackPointSnapshot(DatabaseTarget target, RollbackPointSnapshot point, CancellationToken ct) =>
        DropRollbackPointSnapshot(SqlServerProvider.Sql(target), point, ct);
}
