using OsRollback.Engine.Data;
using OsRollback.Engine.Database.FastRevert;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.SqlServer;

/// <summary>The SQL Server provider: backup, verify, restore, safety backup, identity and fast revert of a SQL Server (or Azure SQL) database.</summary>
internal sealed class SqlServerProvider : IDatabaseProvider
{
    private readonly SqlServerBackupEngine engine;
    private readonly Func<SqlServerTarget, string?, ISqlSession> open;
    private readonly SqlServerIdentities _identities;

    public SqlServerProvider(TimeProvider time, Func<SqlServerTarget, string?, ISqlSession> open)
    {
        this.open = open;
        engine = new SqlServerBackupEngine(open, time);
        _identities = new SqlServerIdentities(target => open(target, null));
        FastRevert = new SqlServerFastRevert(open, time);
        InstanceHistory = new SqlServerInstanceHistory(open);
        Operations = new PlatformOperations(new SqlServerEnvironmentLocking(open), new SqlServerPlatformTables(), new SqlServerScratchCopies(time,
            backup: (t, reporter, ct) => BackupAndVerify(t, new BackupOptions { CopyOnly = true, Verify = true }, reporter, ct).Backup,
            restoreAs: (t, backup, name, reporter, ct) => Restore(t, new RestoreOptions { FilePath = backup.FilePath, DatabaseName = name, AllowOtherDatabase = true }, reporter, ct),
            drop: DropScratch));
    }

    public DatabaseEngineKind Kind => DatabaseEngineKind.SqlServer;
    public bool Handles(DatabaseTarget target) => target is SqlServerTarget;
    public string BackupExtension => ".bak";
    public IFastRevert? FastRevert { get; }
    public ITableData TableData { get; } = new SqlServerTableData();
    public ISchemaReader Schema { get; } = new SqlServerSchemaReader();
    public IDatabaseAddresses Addresses { get; } = new SqlServerAddresses();
    public IPlatformOperations Operations { get; }
    public IInstanceBackupHistory? InstanceHistory { get; }
    public BackupTraits BackupTraits { get; } = new(CopyOnlyApplies: true, AlwaysVerified: false);

    /// <summary>The engine behind the SQL Server-only commands (script, Azure copy swap).</summary>
    internal SqlServerBackupEngine Engine => engine;

    public BackupResult Backup(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default) => engine.Backup(Sql(target), options, reporter, ct);
    public VerifiedBackup BackupAndVerify(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default) => engine.BackupAndVerify(Sql(target), options, reporter, ct);
    public BackupVerification Verify(DatabaseTarget? server, VerifyOptions options, IOperationReporter reporter, CancellationToken ct = default) => engine.Verify(Sql(server), options, reporter, ct);

    public QuickCheckResult QuickCheck(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default)
    {
        var checks = new List<BackupCheck>();
        var header = ReadHeader(server, files, ct);
        checks.Add(new BackupCheck("Header", "RESTORE HEADERONLY", header.Database.Length > 0, $"database {header.Database}, checksums {(header.HasChecksum ? "present" : "absent")}"));
        checks.Add(new BackupCheck("Checksum", "HasBackupChecksums", header.HasChecksum, header.HasChecksum ? "written WITH CHECKSUM" : "no page checksums: VERIFYONLY cannot prove the pages"));
        // Server paths this machine can reach: the file must be at least as large as the data it holds (compressed backups are smaller, so only emptiness is refused).
        foreach (var file in files.Where(File.Exists))
        {
            var length = new FileInfo(file).Length;
            checks.Add(new BackupCheck("FileSize", file, length > 0, $"{length:N0} bytes"));
        }
        return new QuickCheckResult(checks.All(c => c.Passed), checks);
    }

    public BackupHeader ReadHeader(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default)
    {
        var devices = files.Select(f => new BackupDevice(f, SqlServerBackupEngine.IsUrl(f))).ToList();
        using var session = open(Sql(server), "master");
        var header = session.ExecuteReader(SqlServerScripts.HeaderOnly(devices), cancellationToken: ct).FirstOrNull()
            ?? throw new OsRollbackException("BackupCorrupt", OsErrorCategory.InvalidData, $"RESTORE HEADERONLY found no backup set in {string.Join(", ", files)}.", server?.DisplayName,
                "Check that the file is a SQL Server backup.");
        var list = session.ExecuteReader(SqlServerScripts.FileListOnly(devices), cancellationToken: ct);
        return new BackupHeader
        {
            Database = header.String("DatabaseName") ?? "",
            ServerName = header.String("ServerName"),
            FamilyGuid = header.Guid("FamilyGUID"),
            BackupStart = header.Date("BackupStartDate") is DateTime d ? new DateTimeOffset(d, TimeSpan.Zero) : null,
            Size = header.Int64("BackupSize"),
            HasChecksum = header.Bool("HasBackupChecksums"),
            Files = list.Select(f => new RestoredFile(f.String("LogicalName") ?? "", f.String("Type") ?? "", f.String("PhysicalName") ?? "")).ToList(),
        };
    }

    public RestorePlan PlanRestore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default) => engine.PlanRestore(Sql(target), options, reporter, ct);

    public RestoreResult Restore(RestorePlan plan, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var target = Sql(plan.Target);
        return engine.Restore(plan, options, o => engine.Backup(target.WithDatabase(plan.TargetDatabase), o, reporter, ct), reporter, ct);
    }

    public RestoreResult RestoreAsNew(DatabaseTarget newTarget, IReadOnlyList<string> files, IOperationReporter reporter, CancellationToken ct = default)
    {
        var target = Sql(newTarget);
        var options = new RestoreOptions { FilePath = files, DatabaseName = target.Database };
        var plan = PlanRestore(target, options, reporter, ct);
        if (plan.TargetExists) throw Exists(plan.TargetDatabase, target.DisplayName);
        return Restore(plan, options, reporter, ct);
    }

    /// <summary>Restores over (or beside, under <see cref="RestoreOptions.DatabaseName"/>) the target, planned and run in one session.</summary>
    public RestoreResult Restore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var sql = Sql(target);
        var name = options.DatabaseName ?? sql.Database;
        return engine.Restore(sql, options, backupOptions => engine.Backup(sql.WithDatabase(name), backupOptions, reporter, ct), reporter, ct);
    }

    public VerifiedBackup VerifySafetyBackup(DatabaseTarget target, BackupResult backup, CancellationToken ct = default) => engine.VerifySafetyBackup(Sql(target), backup, ct);
    public IReadOnlyList<BackupResult> GetHistory(DatabaseTarget target, BackupHistoryQuery query, CancellationToken ct = default) => engine.GetHistory(Sql(target), query, ct);

    /// <summary>The backup files this machine can reach are deleted; msdb history is left to the server's own cleanup.</summary>
    public bool RemoveBackup(BackupResult backup, IOperationReporter reporter)
    {
        var reachable = backup.FilePath.Where(System.IO.File.Exists).ToList();
        if (reachable.Count < backup.FilePath.Length)
        {
            reporter.Warning($"Backup {backup.BackupId} of {backup.Database}: {string.Join(", ", backup.FilePath.Except(reachable))} cannot be reached from this machine and was not deleted.");
            if (reachable.Count == 0) return false;
        }
        foreach (var file in reachable) System.IO.File.Delete(file);
        return true;
    }

    /// <summary>BACKUP ... WITH INIT overwrites a file cut short by a crash: nothing to remove first.</summary>
    public void DiscardPartialBackup(string path) { }

    public ParallelRestore PlanParallel(DatabaseTarget target, string backupPath, string suffix)
    {
        var sql = Sql(target);
        var name = $"{sql.Database}_{suffix}";
        return new ParallelRestore(sql.WithDatabase(name), new RestoreOptions { FilePath = [backupPath], DatabaseName = name, WithReplace = true, AllowOtherDatabase = true });
    }

    public DatabaseIdentity ReadIdentity(DatabaseTarget target, CancellationToken ct = default) => _identities.ReadIdentity(Sql(target), ct);
    public IReadOnlyDictionary<string, string> ReadPublishedModules(DatabaseTarget target, CancellationToken ct = default) => _identities.ReadPublishedModules(Sql(target), ct);
    public IReadOnlyList<IdentityHighWater> ReadHighWater(DatabaseTarget target, CancellationToken ct = default) => _identities.ReadHighWater(Sql(target), ct);
    public IdentityReseedReport Reseed(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken ct = default) =>
        _identities.Reseed(Sql(target), marks, reporter, ct);

    /// <summary>Drops a scratch database on the target's server (from master), and only one that exists.</summary>
    private void DropScratch(SqlServerTarget target, string database)
    {
        using var session = open(target, "master");
        session.ExecuteNonQuery(SqlServerScripts.DropScratch(database));
    }

    internal static OsRollbackException Exists(string name, string display) =>
        new("DatabaseExists", OsErrorCategory.ResourceExists, $"'{name}' exists; a restore as a new database never replaces one.", display,
            "Choose a name that is not in use, or restore over it with -WithReplace (a safety backup is taken first).");

    internal static SqlServerTarget Sql(DatabaseTarget? target) => target as SqlServerTarget
        ?? throw new OsRollbackException("UnsupportedDatabaseTarget", OsErrorCategory.InvalidArgument, "The SQL Server backup engine needs a SQL Server target.", target?.DisplayName,
            "Give -SqlInstance and -Database.");
}
