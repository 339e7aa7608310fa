using System.Globalization;
using System.Text.RegularExpressions;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.SqlServer;

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
