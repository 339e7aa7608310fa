using System.Globalization;
using System.Text.RegularExpressions;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>Backup, verify, restore and history on SQL Server (and Azure SQL Database copies).</summary>
internal sealed partial class SqlServerBackupEngine
{
    private readonly Func<SqlServerTarget, string?, ISqlSession> _open;
    private readonly TimeProvider _time;
    private readonly SafetyBackupChecker _safety;

    public SqlServerBackupEngine(Func<SqlServerTarget, string?, ISqlSession> open, TimeProvider time)
    {
        _open = open;
        _time = time;
        _safety = new SafetyBackupChecker(time);
    }

    [GeneratedRegex(@"(\d{1,3}) percent processed", RegexOptions.IgnoreCase)]
    private static partial Regex PercentPattern();

    public static SqlServerFacts Probe(ISqlSession session, CancellationToken ct)
    {
        var row = session.ExecuteReader(SqlServerScripts.ProbeServer, cancellationToken: ct).FirstOrNull() ?? new SqlRow();
        return new SqlServerFacts
        {
            EngineEdition = (int)(row.Int64("EngineEdition") ?? 3),
            Edition = row.String("Edition") ?? "",
            MajorVersion = (int)(row.Int64("MajorVersion") ?? 0),
            ServerName = row.String("ServerName") ?? "",
            DefaultBackupPath = row.String("DefaultBackupPath"),
            DefaultDataPath = row.String("DefaultDataPath"),
            DefaultLogPath = row.String("DefaultLogPath"),
            PathSeparator = (row.String("PathSeparator") ?? "\\") == "/" ? '/' : '\\',
        };
    }

    // ---------------------------------------------------------------- backup

    public BackupResult Backup(SqlServerTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        using var session = _open(target, "master");
        var facts = Probe(session, ct);
        reporter.Verbose($"{target.SqlInstance}: engine edition {facts.EngineEdition} ({facts.Edition}), version {facts.MajorVersion}; backup compression {(facts.SupportsCompression ? "supported" : "not supported")}.");
        var info = session.ExecuteReader(SqlServerScripts.DatabaseInfo, [new("@database", target.Database)], cancellationToken: ct).FirstOrNull()
            ?? throw new OsRollbackException("DatabaseNotFound", OsErrorCategory.ObjectNotFound,
                $"The database '{target.Database}' does not exist on '{target.SqlInstance}'.", target.DisplayName, "Check -Database.");
        if (!string.Equals(info.String("state_desc"), "ONLINE", StringComparison.OrdinalIgnoreCase))
        {
            throw new OsRollbackException("DatabaseNotOnline", OsErrorCategory.ResourceUnavailable,
                $"The database '{target.Database}' is {info.String("state_desc")}, not ONLINE; it cannot be backed up.", target.DisplayName,
                "Bring the database online first.");
        }
        if (facts.IsAzureSqlDatabase) return CopyDatabase(session, target, facts, options, reporter, ct);

        var (devices, paths, header) = PlanBackup(target, options, facts, assumed: false);
        var setName = NewBackupSetName(options);
        var compress = options.Compress != false && facts.SupportsCompression;
        var sql = SqlServerScripts.Backup(target.Database, devices, options.CopyOnly, compress, options.StatsPercent, setName, initialize: options.Initialize);
        var activity = $"Backing up {target.Database} on {target.SqlInstance}";
        reporter.Verbose($"Running: {sql}");
        reporter.Progress(new ProgressUpdate(activity, "Starting", 0));
        session.ExecuteNonQuery(sql, longRunning: true, onInfoMessage: m => ReportPercent(m, reporter, activity), cancellationToken: ct);
        reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));

        var result = ReadBackupSet(session, target, setName, paths, ct);
        if (options.Verify)
        {
            var verify = SqlServerScripts.VerifyOnly(devices);
            reporter.Verbose($"Running: {verify}");
            var verifyActivity = $"Verifying the backup of {target.Database}";
            session.ExecuteNonQuery(verify, longRunning: true, onInfoMessage: m => ReportPercent(m, reporter, verifyActivity), cancellationToken: ct);
            reporter.Progress(new ProgressUpdate(verifyActivity, "Done", 100, Completed: true));
            result.Verified = true;
        }
        return result;
    }

    /// <summary>Backup WITH CHECKSUM, VERIFYONLY, then the header identity: the evidence a later restore re-checks cheaply.</summary>
    public VerifiedBackup BackupAndVerify(SqlServerTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var backup = Backup(target, new BackupOptions
        {
            Path = options.Path, FilePath = options.FilePath, Url = options.Url, CopyOnly = options.CopyOnly, Compress = options.Compress,
            Verify = true, Initialize = options.Initialize, FileNamePattern = options.FileNamePattern, StatsPercent = options.StatsPercent,
            CopyPollInterval = options.CopyPollInterval, Timestamp = options.Timestamp,
        }, reporter, ct);
        if (backup.Kind == BackupKind.DatabaseCopy)
            return new VerifiedBackup(SafetyBackupChecker.RunId) { Backup = backup, Database = backup.Database, VerifiedAt = _time.GetUtcNow(), Checks = ["database copy ONLINE"] };
        using var session = _open(target, "master");
        var server = string.IsNullOrEmpty(backup.ServerName) ? target.SqlInstance : backup.ServerName!;
        return _safety.VerifySqlServer(session, backup, target.Database, server, verifyOnlyDone: true, ct);
    }

    /// <summary>The full safety check of a given backup of <paramref name="target"/> (HEADERONLY identity, VERIFYONLY WITH CHECKSUM).</summary>
    public VerifiedBackup VerifySafetyBackup(SqlServerTarget target, BackupResult backup, CancellationToken ct)
    {
        using var session = _open(target, "master");
        var facts = Probe(session, ct);
        var server = string.IsNullOrEmpty(facts.ServerName) ? target.SqlInstance : facts.ServerName;
        return _safety.VerifySqlServer(session, backup, target.Database, server, verifyOnlyDone: false, ct);
    }

    /// <summary>The script Backup would run, without connecting: server facts come from the options or are stated as assumptions.</summary>
    public string ScriptBackup(SqlServerTarget target, BackupOptions options)
    {
        var facts = options.AssumedServer ?? new SqlServerFacts { EngineEdition = 3, Edition = "Enterprise", ServerName = target.SqlInstance };
        var assumptions = new List<string>
        {
            $"Backup of {target.Database} on {target.SqlInstance}, generated by OsRollback without connecting to the server.",
            options.AssumedServer is null
                ? "Assumed: engine edition 3 (Enterprise/Developer), so COMPRESSION is used; pass -EngineEdition or -NoCompression if that is wrong."
                : $"Given: engine edition {facts.EngineEdition}, so {(facts.SupportsCompression && options.Compress != false ? "COMPRESSION is used" : "NO_COMPRESSION")}.",
            "File names follow the pattern " + options.FileNamePattern + " (server name as given, UTC timestamp).",
        };
        if (options.Path.Count == 0 && options.FilePath.Count == 0 && options.Url.Count == 0)
            assumptions.Add("No -Path given: the file goes to the server's default backup folder, which the script reads from SERVERPROPERTY('InstanceDefaultBackupPath').");
        if (facts.IsAzureSqlDatabase)
        {
            var copy = CopyName(target.Database, options.Timestamp ?? _time.GetUtcNow());
            return string.Join(Environment.NewLine, assumptions.Select(SqlText.Comment)) + Environment.NewLine +
                SqlText.Comment("Azure SQL Database cannot BACKUP TO DISK: the rollback backup is a database copy (run in master, then wait until sys.databases shows it ONLINE).") + Environment.NewLine +
                SqlServerScripts.CreateCopy(copy, target.Database);
        }
        var (devices, _, _) = PlanBackup(target, options, facts, assumed: true);
        var compress = options.Compress != false && facts.SupportsCompression;
        var script = SqlServerScripts.Backup(target.Database, devices, options.CopyOnly, compress, options.StatsPercent, NewBackupSetName(options), assumptions, options.Initialize);
        if (options.Verify) script += Environment.NewLine + SqlServerScripts.VerifyOnly(devices);
        return script;
    }

    private (List<BackupDevice> Devices, string[] Paths, string Server) PlanBackup(SqlServerTarget target, BackupOptions options, SqlServerFacts facts, bool assumed)
    {
        var server = string.IsNullOrEmpty(facts.ServerName) ? target.SqlInstance : facts.ServerName;
        var timestamp = options.Timestamp ?? _time.GetUtcNow();
        if (options.FilePath.Count > 0)
            return (options.FilePath.Select(f => new BackupDevice(f, IsUrl(f))).ToList(), options.FilePath.Select(DirectoryOf).Distinct().ToArray(), server);
        var folders = options.Url.Count > 0 ? options.Url.ToList() : options.Path.ToList();
        if (folders.Count == 0)
        {
            if (assumed)
            {
                // Without a connection the server names its own default folder when the script runs.
                var fileName = BackupFileNaming.FileName(options.FileNamePattern, target.Database, server, timestamp, 1, 1, ".bak");
                return ([BackupDevice.InDefaultFolder(fileName)], [], server);
            }
            if (string.IsNullOrEmpty(facts.DefaultBackupPath))
            {
                throw new OsRollbackException("BackupPathRequired", OsErrorCategory.InvalidArgument,
                    $"'{target.SqlInstance}' has no default backup folder.",
                    target.DisplayName, "Give -Path (a folder on the SQL Server machine), -FilePath or -Url.");
            }
            folders.Add(facts.DefaultBackupPath!);
        }
        var devices = new List<BackupDevice>();
        for (var i = 0; i < folders.Count; i++)
        {
            var isUrl = IsUrl(folders[i]);
            var separator = isUrl ? '/' : facts.PathSeparator;
            var name = BackupFileNaming.FileName(options.FileNamePattern, target.Database, server, timestamp, i + 1, folders.Count, ".bak");
            devices.Add(new BackupDevice(BackupFileNaming.Combine(folders[i], name, separator), isUrl));
        }
        return (devices, folders.ToArray(), server);
    }

    private BackupResult CopyDatabase(ISqlSession session, SqlServerTarget target, SqlServerFacts facts, BackupOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var copy = CopyName(target.Database, options.Timestamp ?? start);
        reporter.Verbose($"{target.SqlInstance} is Azure SQL Database (engine edition 5), which cannot BACKUP TO DISK: copying {target.Database} to {copy}.");
        session.ExecuteNonQuery(SqlServerScripts.CreateCopy(copy, target.Database), longRunning: true, cancellationToken: ct);
        WaitForCopy(session, copy, options.CopyPollInterval, reporter, $"Copying {target.Database} to {copy}", ct);
        return new BackupResult
        {
            Database = target.Database,
            SqlInstance = target.SqlInstance,
            ServerName = facts.ServerName,
            Engine = DatabaseEngineKind.SqlServer,
            Kind = BackupKind.DatabaseCopy,
            CopyDatabaseName = copy,
            Start = start,
            End = _time.GetUtcNow(),
            IsCopyOnly = true,
            Verified = true,
            BackupId = copy,
            WrittenByOsRollback = true,
        };
    }

    private void WaitForCopy(ISqlSession session, string copy, TimeSpan interval, IOperationReporter reporter, string activity, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var row = session.ExecuteReader(SqlServerScripts.CopyState, [new("@name", copy)], cancellationToken: ct).FirstOrNull();
            var state = row?.String("state_desc");
            if (row is null || !string.IsNullOrEmpty(row.String("error_desc")) || state is not ("COPYING" or "ONLINE"))
            {
                throw new OsRollbackException("DatabaseCopyFailed", OsErrorCategory.InvalidResult,
                    $"The database copy '{copy}' failed (state {state ?? "missing"}): {row?.String("error_desc")}", copy,
                    "Check the server's sys.dm_database_copies and the elastic pool or service-tier limits, then try again.");
            }
            if (state == "ONLINE") break;
            var percent = (int)(row.Decimal("percent_complete") ?? 0m);
            reporter.Progress(new ProgressUpdate(activity, $"{percent} percent copied", percent));
            if (interval > TimeSpan.Zero) Task.Delay(interval, _time, ct).GetAwaiter().GetResult();
        }
        reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));
    }

    private static string CopyName(string database, DateTimeOffset at) =>
        (database.Length > 100 ? database[..100] : database) + "_osrollback_" + at.UtcDateTime.ToString(BackupFileNaming.TimestampFormat, CultureInfo.InvariantCulture);

    private static BackupResult ReadBackupSet(ISqlSession session, SqlServerTarget target, string setName, string[] paths, CancellationToken ct)
    {
        var rows = session.ExecuteReader(SqlServerScripts.BackupSetByName, [new("@name", setName), new("@database", target.Database)], cancellationToken: ct);
        var result = ToResults(rows, target.SqlInstance, paths).FirstOrDefault();
        return result ?? throw new OsRollbackException("BackupHistoryMissing", OsErrorCategory.InvalidResult,
            $"The backup of '{target.Database}' finished but msdb.dbo.backupset has no row for it.", target.DisplayName,
            "Check that msdb history is not being purged during backups, then run Get-OsDatabaseBackup.");
    }

    internal static IEnumerable<BackupResult> ToResults(IReadOnlyList<SqlRow> rows, string sqlInstance, string[]? paths = null)
    {
        foreach (var set in rows.GroupBy(r => r.Int64("backup_set_id") ?? 0))
        {
            var first = set.First();
            var files = set.Select(r => r.String("physical_device_name") ?? "").Where(f => f.Length > 0).Distinct().ToArray();
            yield return new BackupResult
            {
                BackupId = set.Key.ToString(CultureInfo.InvariantCulture),
                Database = first.String("database_name") ?? "",
                SqlInstance = sqlInstance,
                ServerName = first.String("server_name"),
                Engine = DatabaseEngineKind.SqlServer,
                FilePath = files,
                Path = paths ?? files.Select(DirectoryOf).Distinct().ToArray(),
                Start = AsUtc(first.Date("backup_start_date")),
                End = AsUtc(first.Date("backup_finish_date")),
                Size = first.Int64("backup_size") ?? 0,
                CompressedSize = first.Int64("compressed_backup_size"),
                FirstLsn = first.Decimal("first_lsn"),
                LastLsn = first.Decimal("last_lsn"),
                IsCopyOnly = first.Bool("is_copy_only"),
                HasChecksum = first.Bool("has_backup_checksums"),
                RecoveryModel = first.String("recovery_model"),
                WrittenByOsRollback = first.String("description") == SqlServerScripts.BackupDescription,
            };
        }
    }

    // msdb keeps server-local time without an offset; it is reported as given.
    private static DateTimeOffset AsUtc(DateTime? value) =>
        value is DateTime d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Unspecified), TimeSpan.Zero) : default;

    private static string NewBackupSetName(BackupOptions options) => "OsRollback " + Guid.NewGuid().ToString("N");

    // ---------------------------------------------------------------- verify

    public BackupVerification Verify(SqlServerTarget server, VerifyOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var devices = Devices(options.FilePath, server.DisplayName);
        using var session = _open(server, "master");
        var header = ReadHeader(session, devices, server, ct);
        var verification = new BackupVerification
        {
            FilePath = options.FilePath.ToArray(),
            Engine = DatabaseEngineKind.SqlServer,
            SqlInstance = server.SqlInstance,
            Database = header.String("DatabaseName"),
            BackupStart = header.Date("BackupStartDate") is DateTime d ? new DateTimeOffset(d, TimeSpan.Zero) : null,
            Size = header.Int64("BackupSize"),
        };
        verification.Checks.Add(new BackupCheck("Header", "RESTORE HEADERONLY", true,
            $"database {header.String("DatabaseName")}, backup type {header.String("BackupType")}, started {header.Date("BackupStartDate"):u}, checksums {(header.Bool("HasBackupChecksums") ? "present" : "absent")}"));
        var files = session.ExecuteReader(SqlServerScripts.FileListOnly(devices), cancellationToken: ct);
        verification.Files = files.Select(f => $"{f.String("LogicalName")} ({f.String("Type")}): {f.String("PhysicalName")}").ToArray();
        verification.Checks.Add(new BackupCheck("FileList", "RESTORE FILELISTONLY", files.Count > 0, $"{files.Count} files"));
        var activity = $"Verifying {string.Join(", ", options.FilePath)}";
        session.ExecuteNonQuery(SqlServerScripts.VerifyOnly(devices), longRunning: true, onInfoMessage: m => ReportPercent(m, reporter, activity), cancellationToken: ct);
        verification.Checks.Add(new BackupCheck("Verify", "RESTORE VERIFYONLY WITH CHECKSUM", true, "the backup set is complete and every page checksum matches"));

        if (options.TestRestore)
        {
            var facts = Probe(session, ct);
            var source = header.String("DatabaseName") ?? "db";
            var scratch = "OsRollbackTest_" + (source.Length > 80 ? source[..80] : source) + "_" + Guid.NewGuid().ToString("N")[..8];
            verification.ScratchDatabase = scratch;
            var moves = MapFiles(files, scratch, renameFiles: true, options.DataDirectory ?? facts.DefaultDataPath, options.LogDirectory ?? facts.DefaultLogPath, facts.PathSeparator, server.DisplayName);
            try
            {
                var restoreActivity = $"Test restore of {source} as {scratch}";
                session.ExecuteNonQuery(SqlServerScripts.Restore(scratch, devices, moves, replace: false, stats: 5, setSingleUser: false),
                    longRunning: true, onInfoMessage: m => ReportPercent(m, reporter, restoreActivity), cancellationToken: ct);
                verification.Checks.Add(new BackupCheck("TestRestore", $"RESTORE DATABASE as {scratch} WITH MOVE (renamed files), CHECKSUM", true, $"restored into {moves.Count} files"));
                var messages = new List<string>();
                session.ExecuteNonQuery(SqlServerScripts.CheckDb(scratch), longRunning: true, onInfoMessage: messages.Add, cancellationToken: ct);
                verification.Checks.Add(new BackupCheck("CheckDb", "DBCC CHECKDB WITH NO_INFOMSGS, ALL_ERRORMSGS", messages.Count == 0,
                    messages.Count == 0 ? "no consistency errors" : string.Join(" ", messages)));
            }
            finally
            {
                try { session.ExecuteNonQuery(SqlServerScripts.DropScratch(scratch), longRunning: true, cancellationToken: CancellationToken.None); }
                catch (OsRollbackException ex) { reporter.Warning($"The scratch database {scratch} could not be dropped: {ex.Message}"); }
            }
        }
        verification.IsValid = verification.Checks.All(c => c.Passed);
        verification.Duration = _time.GetElapsedTime(started);
        return verification;
    }

    private static SqlRow ReadHeader(ISqlSession session, IReadOnlyList<BackupDevice> devices, SqlServerTarget server, CancellationToken ct)
    {
        var headers = session.ExecuteReader(SqlServerScripts.HeaderOnly(devices), cancellationToken: ct);
        return headers.FirstOrNull() ?? throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData,
            $"RESTORE HEADERONLY found no backup set in {string.Join(", ", devices.Select(d => d.Location))}.", server.DisplayName,
            "Check that the file is a SQL Server backup.");
    }

    // ---------------------------------------------------------------- restore

    public RestoreResult Restore(SqlServerTarget target, RestoreOptions options, Func<BackupOptions, BackupResult> takeSafetyBackup, IOperationReporter reporter, CancellationToken ct)
    {
        using var session = _open(target, "master");
        var (plan, facts) = PlanRestore(session, target, options, reporter, ct);
        return Execute(session, plan, facts, options, takeSafetyBackup, reporter, ct);
    }

    /// <summary>Runs a plan made by <see cref="PlanRestore(SqlServerTarget, RestoreOptions, IOperationReporter, CancellationToken)"/> (nothing is re-planned).</summary>
    public RestoreResult Restore(RestorePlan plan, RestoreOptions options, Func<BackupOptions, BackupResult> takeSafetyBackup, IOperationReporter reporter, CancellationToken ct)
    {
        var target = (SqlServerTarget)plan.Target;
        using var session = _open(target, "master");
        var facts = Probe(session, ct);
        return Execute(session, plan, facts, options, takeSafetyBackup, reporter, ct);
    }

    private RestoreResult Execute(ISqlSession session, RestorePlan plan, SqlServerFacts facts, RestoreOptions options, Func<BackupOptions, BackupResult> takeSafetyBackup, IOperationReporter reporter, CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var target = (SqlServerTarget)plan.Target;
        var name = plan.TargetDatabase;
        BackupResult? safety = null;
        if (plan.SafetyBackupNeeded)
        {
            var server = string.IsNullOrEmpty(facts.ServerName) ? target.SqlInstance : facts.ServerName;
            safety = EnsureSafetyBackup(session, options, name, server, target.DisplayName, () => takeSafetyBackup(new BackupOptions
            {
                Path = options.SafetyBackupPath is null ? [] : [options.SafetyBackupPath],
                CopyOnly = true,
                Verify = true,
            }), reporter, ct).Backup;
        }
        else if (plan.TargetExists)
        {
            reporter.Warning($"{name} is {plan.TargetState}, not ONLINE (for example after a restore that was cut short): no safety backup is taken, " +
                "because nothing readable is left to protect, and SINGLE_USER is not set (not possible on a database that is not online). Restoring WITH REPLACE.");
        }
        var sql = plan.Statements[0];
        var activity = $"Restoring {name} on {target.SqlInstance}";
        reporter.Verbose($"Running: {sql}");
        reporter.Progress(new ProgressUpdate(activity, "Starting", 0));
        try
        {
            session.ExecuteNonQuery(sql, longRunning: true, onInfoMessage: m => ReportPercent(m, reporter, activity), cancellationToken: ct);
        }
        finally
        {
            RestoreMultiUser(session, name, reporter);
        }
        reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));
        return new RestoreResult
        {
            Engine = DatabaseEngineKind.SqlServer,
            SqlInstance = target.SqlInstance,
            Database = name,
            SourceDatabase = plan.SourceDatabase,
            BackupFilePath = plan.Source.ToArray(),
            BackupStart = plan.BackupStart,
            Files = plan.Moves.Select((m, i) => new RestoredFile(m.LogicalName, plan.FileTypes[i], m.PhysicalName)).ToList(),
            ReplacedExisting = plan.TargetExists,
            SafetyBackup = safety,
            Start = start,
            End = _time.GetUtcNow(),
        };
    }

    /// <summary>The restore plan (reads the backup's header and file list and the target's state; changes nothing).</summary>
    public RestorePlan PlanRestore(SqlServerTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        using var session = _open(target, "master");
        return PlanRestore(session, target, options, reporter, ct).Plan;
    }

    private static (RestorePlan Plan, SqlServerFacts Facts) PlanRestore(ISqlSession session, SqlServerTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var name = options.DatabaseName ?? target.Database;
        SqlText.ValidateName(name);
        var devices = Devices(options.FilePath, target.DisplayName);
        var facts = Probe(session, ct);
        var header = ReadHeader(session, devices, target, ct);
        var source = header.String("DatabaseName") ?? "";
        var files = session.ExecuteReader(SqlServerScripts.FileListOnly(devices), cancellationToken: ct);
        var exists = Convert.ToInt32(session.ExecuteScalar(SqlServerScripts.DatabaseExists, [new("@database", name)], cancellationToken: ct), CultureInfo.InvariantCulture) == 1;
        SharedServerFeatures? shared = null;
        if (exists)
        {
            CheckReplace(name, source, target.DisplayName, options);
            if (!facts.IsAzureSqlDatabase)
            {
                shared = SharedServerFeatures.Read(session, name, ct);
                shared.ThrowIfRestoreUnsafe(target.DisplayName);
                if (shared.IsEncrypted) reporter.Warning($"{name} is encrypted with TDE; its certificate is in master, so the restore can read a backup protected by it.");
            }
        }
        var moves = MapFiles(files, name, renameFiles: !string.Equals(source, name, StringComparison.OrdinalIgnoreCase),
            options.DestinationDataDirectory ?? facts.DefaultDataPath, options.DestinationLogDirectory ?? facts.DefaultLogPath, facts.PathSeparator, target.DisplayName,
            exists ? ReadFilesInPlace(session, name, options, ct) : null, reporter);
        var state = exists ? ReadState(session, name, ct) : null;
        var online = IsOnline(state);
        var notes = new List<string> { $"Restore of {source} from {string.Join(", ", options.FilePath)} as {name} on {target.SqlInstance}, generated by OsRollback." };
        if (exists && online) notes.Add("The database exists: take and verify a copy-only safety backup of it first (Backup-OsDatabase -Verify).");
        if (exists && !online) notes.Add($"The database is {state}, not ONLINE: no safety backup (nothing readable is left to protect) and no SINGLE_USER (not possible on it).");
        var plan = new RestorePlan
        {
            Engine = DatabaseEngineKind.SqlServer,
            Target = target,
            Source = options.FilePath.ToArray(),
            SourceDatabase = source,
            BackupStart = header.Date("BackupStartDate") is DateTime d ? new DateTimeOffset(d, TimeSpan.Zero) : null,
            TargetDatabase = name,
            TargetExists = exists,
            TargetState = state,
            TargetOnline = online,
            Moves = moves,
            FileTypes = files.Select(f => f.String("Type") ?? "").ToList(),
            SafetyBackupNeeded = Safety.SafetyBackupChecker.IsNeeded(exists, online),
            SharedFeatures = shared,
            Statements = [SqlServerScripts.Restore(name, devices, moves, replace: exists, options.StatsPercent, setSingleUser: exists && online), SqlServerScripts.SetMultiUser(name)],
            Notes = notes,
        };
        return (plan, facts);
    }

    /// <summary>The restore script: the plan's notes as comments and its statements.</summary>
    public string ScriptRestore(SqlServerTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct) =>
        Render(PlanRestore(target, options, reporter, ct));

    internal static string Render(RestorePlan plan) =>
        string.Join(Environment.NewLine, plan.Notes.Select(SqlText.Comment).Concat(plan.Statements));

    /// <summary>Azure SQL Database: swap names so the copy becomes the database; the replaced one is kept under a new name.</summary>
    public RestoreResult RestoreCopy(SqlServerTarget target, string copyName, RestoreOptions options, IOperationReporter reporter, CancellationToken ct)
    {
        var start = _time.GetUtcNow();
        var name = options.DatabaseName ?? target.Database;
        using var session = _open(target, "master");
        var exists = Convert.ToInt32(session.ExecuteScalar(SqlServerScripts.DatabaseExists, [new("@database", name)], cancellationToken: ct), CultureInfo.InvariantCulture) == 1;
        string? kept = null;
        if (exists)
        {
            if (!options.WithReplace) throw ReplaceRefused(name, target.DisplayName);
            kept = name.Length > 100 ? name[..100] : name;
            kept += "_replaced_" + start.UtcDateTime.ToString(BackupFileNaming.TimestampFormat, CultureInfo.InvariantCulture);
            reporter.Verbose($"Renaming {name} to {kept} (kept as the safety copy).");
            session.ExecuteNonQuery(SqlServerScripts.Rename(name, kept), longRunning: true, cancellationToken: ct);
        }
        try
        {
            session.ExecuteNonQuery(SqlServerScripts.Rename(copyName, name), longRunning: true, cancellationToken: ct);
        }
        catch (OsRollbackException) when (kept is not null)
        {
            session.ExecuteNonQuery(SqlServerScripts.Rename(kept, name), longRunning: true, cancellationToken: CancellationToken.None);
            throw;
        }
        return new RestoreResult
        {
            Engine = DatabaseEngineKind.SqlServer,
            SqlInstance = target.SqlInstance,
            Database = name,
            SourceDatabase = copyName,
            ReplacedExisting = exists,
            SafetyBackup = kept is null ? null : new BackupResult { Database = name, SqlInstance = target.SqlInstance, Kind = BackupKind.DatabaseCopy, CopyDatabaseName = kept, Verified = true, Start = start, End = start, BackupId = kept, WrittenByOsRollback = true },
            Start = start,
            End = _time.GetUtcNow(),
        };
    }

    /// <summary>sys.databases.state_desc of an existing database (null when it cannot be read).</summary>
    private static string? ReadState(ISqlSession session, string name, CancellationToken ct) =>
        session.ExecuteReader(SqlServerScripts.DatabaseInfo, [new("@database", name)], cancellationToken: ct).FirstOrNull()?.String("state_desc");

    /// <summary>ONLINE, or unknown (then the database is treated as online: the safety backup is attempted).</summary>
    private static bool IsOnline(string? state) => state is null || string.Equals(state, "ONLINE", StringComparison.OrdinalIgnoreCase);

    internal static void CheckReplace(string name, string source, string display, RestoreOptions options)
    {
        if (!options.WithReplace) throw ReplaceRefused(name, display);
        if (source.Length > 0 && !string.Equals(source, name, StringComparison.OrdinalIgnoreCase) && !options.AllowOtherDatabase)
        {
            throw new OsRollbackException("BackupOfAnotherDatabase", OsErrorCategory.InvalidData,
                $"The backup holds the database '{source}', but it would replace '{name}'.", display,
                "Check -FilePath. To restore it beside the original use another -DatabaseName; to replace a different database on purpose add -Force.");
        }
    }

    private static OsRollbackException ReplaceRefused(string name, string display) =>
        new("DatabaseExists", OsErrorCategory.ResourceExists,
            $"The database '{name}' exists; a restore would replace it.", display,
            "Add -WithReplace to replace it (a verified safety backup is taken first), or restore under another name with -DatabaseName.");

    /// <summary>
    /// The safety policy on SQL Server: take a copy-only backup (BACKUP ... CHECKSUM + VERIFYONLY) and
    /// prove from its header that it is of this database; or check a given one fully (HEADERONLY
    /// identity + VERIFYONLY WITH CHECKSUM), or cheaply when this run issued its evidence.
    /// </summary>
    internal VerifiedBackup EnsureSafetyBackup(ISqlSession session, RestoreOptions options, string database, string serverName, string display, Func<BackupResult> take, IOperationReporter reporter, CancellationToken ct)
    {
        if (options.SafetyBackupPolicy == SafetyBackupPolicy.TakeAndVerify)
        {
            reporter.Verbose($"Taking a copy-only safety backup of {database} before replacing it.");
            var taken = take();
            if (!taken.Verified)
            {
                throw new OsRollbackException("SafetyBackupNotVerified", OsErrorCategory.InvalidResult,
                    $"The safety backup of '{database}' could not be verified, so the restore was not started.", display,
                    "Check the backup folder and run again; nothing was replaced.");
            }
            // VERIFYONLY just ran; the header proves it is this database (taken a moment ago: no second look).
            var evidence = _safety.VerifySqlServer(session, taken, database, serverName, verifyOnlyDone: true, ct);
            reporter.Verbose($"Safety backup verified: {string.Join(", ", taken.FilePath)}.");
            return evidence;
        }
        if (options.SafetyEvidence is { } given)
        {
            _safety.CheckAcceptable(given.Backup, database, display, options.FilePath, options.SafetyBackupMaxAge);
            return _safety.RecheckSqlServer(session, given, database, serverName, ct);
        }
        var backup = options.SafetyBackup ?? throw SafetyMissing(database, display);
        _safety.CheckAcceptable(backup, database, display, options.FilePath, options.SafetyBackupMaxAge);
        reporter.Verbose($"Checking the given safety backup {string.Join(", ", backup.FilePath)} (HEADERONLY identity, VERIFYONLY WITH CHECKSUM).");
        return _safety.VerifySqlServer(session, backup, database, serverName, verifyOnlyDone: false, ct);
    }

    internal static OsRollbackException SafetyMissing(string database, string display) =>
        new("SafetyBackupMissing", OsErrorCategory.InvalidOperation,
            $"Replacing '{database}' needs a safety backup of it, and none was given.", display,
            "Pass a verified backup of the current database with -SafetyBackup, or let the cmdlet take one (omit -SafetyBackup).");

    private static void RestoreMultiUser(ISqlSession session, string name, IOperationReporter reporter)
    {
        try
        {
            session.ExecuteNonQuery(SqlServerScripts.SetMultiUser(name), longRunning: true, cancellationToken: CancellationToken.None);
        }
        catch (OsRollbackException ex)
        {
            reporter.Warning($"Could not set {name} back to MULTI_USER: {ex.Message} Run ALTER DATABASE ... SET MULTI_USER once the server is reachable.");
        }
    }

    /// <summary>
    /// The current physical path of each file of an existing database, by logical name, for the
    /// kinds of file whose destination folder was not given (data: -DestinationDataDirectory,
    /// log: -DestinationLogDirectory): a restore over it leaves those files where they are.
    /// </summary>
    private static Dictionary<string, string>? ReadFilesInPlace(ISqlSession session, string name, RestoreOptions options, CancellationToken ct)
    {
        if (options.DestinationDataDirectory is not null && options.DestinationLogDirectory is not null) return null;
        var inPlace = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in session.ExecuteReader(SqlServerScripts.DatabaseFiles, [new("@database", name)], cancellationToken: ct))
        {
            var logical = row.String("name");
            var physical = row.String("physical_name");
            if (string.IsNullOrEmpty(logical) || string.IsNullOrEmpty(physical)) continue;
            var isLog = string.Equals(row.String("type_desc"), "LOG", StringComparison.OrdinalIgnoreCase);
            if ((isLog ? options.DestinationLogDirectory : options.DestinationDataDirectory) is null) inPlace.TryAdd(logical, physical);
        }
        return inPlace;
    }

    /// <summary>
    /// Maps every file of the backup to a physical path (WITH MOVE): the current path of the
    /// replaced database's file with the same logical name when <paramref name="inPlace"/> has
    /// one, otherwise the given or default folder.
    /// </summary>
    internal static List<FileMove> MapFiles(IReadOnlyList<SqlRow> files, string database, bool renameFiles, string? dataDirectory, string? logDirectory, char separator, string display,
        IReadOnlyDictionary<string, string>? inPlace = null, IOperationReporter? reporter = null)
    {
        if (files.Count == 0)
        {
            throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData, "RESTORE FILELISTONLY returned no files.", display,
                "Check that the file is a complete SQL Server backup (all stripes given with -FilePath).");
        }
        var moves = new List<FileMove>();
        var dataIndex = 0;
        foreach (var file in files)
        {
            var logical = file.String("LogicalName") ?? "";
            var type = file.String("Type") ?? "D";
            var original = file.String("PhysicalName") ?? logical;
            var isLog = type == "L";
            var isPrimary = type == "D" && dataIndex++ == 0;
            if (inPlace is not null && inPlace.TryGetValue(logical, out var current))
            {
                moves.Add(new FileMove(logical, current));
                continue;
            }
            var folder = (isLog ? logDirectory : dataDirectory) ?? DirectoryOf(original);
            string fileName;
            if (!renameFiles) fileName = FileNameOf(original);
            else if (isLog) fileName = BackupFileNaming.Sanitize(database) + "_log.ldf";
            else if (isPrimary) fileName = BackupFileNaming.Sanitize(database) + ".mdf";
            else fileName = BackupFileNaming.Sanitize(database) + "_" + BackupFileNaming.Sanitize(logical) + (type == "D" ? ".ndf" : "");
            var path = BackupFileNaming.Combine(folder, fileName, separator);
            if (inPlace is not null) reporter?.Verbose($"{database} has no file named '{logical}': it is restored to {path}.");
            moves.Add(new FileMove(logical, path));
        }
        return moves;
    }

    // ---------------------------------------------------------------- history and retention

    public IReadOnlyList<BackupResult> GetHistory(SqlServerTarget target, BackupHistoryQuery query, CancellationToken ct)
    {
        using var session = _open(target, "msdb");
        var rows = session.ExecuteReader(SqlServerScripts.History,
        [
            new("@database", target.Database),
            new("@since", query.Since?.UtcDateTime),
            new("@includeCopyOnly", query.IncludeCopyOnly ? 1 : 0),
            new("@onlyOwn", query.OnlyOwn ? 1 : 0),
            new("@description", SqlServerScripts.BackupDescription),
        ], cancellationToken: ct);
        IEnumerable<BackupResult> results = ToResults(rows, target.SqlInstance);
        if (query.Path.Count > 0)
            results = results.Where(r => r.FilePath.Any(f => query.Path.Any(p => IsUnderFolder(f, p))));
        if (query.Last is int last) results = results.Take(last);
        return results.ToList();
    }

    // ---------------------------------------------------------------- helpers

    private static void ReportPercent(string message, IOperationReporter reporter, string activity)
    {
        var match = PercentPattern().Match(message);
        if (match.Success)
        {
            var percent = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            reporter.Progress(new ProgressUpdate(activity, $"{percent} percent processed", Math.Clamp(percent, 0, 100)));
        }
        else
        {
            reporter.Verbose(message);
        }
    }

    private static List<BackupDevice> Devices(IReadOnlyList<string> files, string display)
    {
        if (files.Count == 0)
            throw new OsRollbackException("BackupFileRequired", OsErrorCategory.InvalidArgument, "No backup file was given.", display, "Give -FilePath, or pipe the output of Backup-OsDatabase or Get-OsDatabaseBackup.");
        return files.Select(f => new BackupDevice(f, IsUrl(f))).ToList();
    }

    /// <summary>Whether a server file path lies in a folder (D:\Backup holds D:\Backup\x.bak, not D:\Backup_old\x.bak).</summary>
    internal static bool IsUnderFolder(string file, string folder)
    {
        var prefix = folder.TrimEnd('\\', '/');
        return file.Length > prefix.Length && file.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && file[prefix.Length] is '\\' or '/';
    }

    internal static bool IsUrl(string location) => location.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    internal static string DirectoryOf(string path)
    {
        var i = path.LastIndexOfAny(['/', '\\']);
        return i <= 0 ? path : path[..i];
    }

    internal static string FileNameOf(string path)
    {
        var i = path.LastIndexOfAny(['/', '\\']);
        return i < 0 ? path : path[(i + 1)..];
    }
}
