using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>SQL Server: the restore plan (computed once) and its execution over or beside a database.</summary>
internal sealed partial class SqlServerBackupEngine
{
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
        // RESTORE reads the file on the server: the approved content is checked here, before it starts.
        if (options.ExpectedSourceSha256 is { Length: > 0 } approved) SourceContentHash.Ensure(plan.Source.Single(), approved, ct);
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
            ReplaceRules.CheckReplace(name, source, target.DisplayName, options);
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

    /// <summary>sys.databases.state_desc of an existing database (null when it cannot be read).</summary>
    private static string? ReadState(ISqlSession session, string name, CancellationToken ct) =>
        session.ExecuteReader(SqlServerScripts.DatabaseInfo, [new("@database", name)], cancellationToken: ct).FirstOrNull()?.String("state_desc");

    /// <summary>ONLINE, or unknown (then the database is treated as online: the safety backup is attempted).</summary>
    private static bool IsOnline(string? state) => state is null || string.Equals(state, "ONLINE", StringComparison.OrdinalIgnoreCase);

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
}
