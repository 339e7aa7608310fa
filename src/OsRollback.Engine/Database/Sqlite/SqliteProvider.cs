using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>The SQLite provider: backup files with metadata, quick_check, restore by file copy, identity by path and fingerprint; no fast revert.</summary>
internal sealed class SqliteProvider(TimeProvider time) : IDatabaseProvider
{
    private readonly SqliteBackupEngine engine = new(time);
    private readonly SafetyBackupChecker safety = new(time);

    public DatabaseEngineKind Kind => DatabaseEngineKind.Sqlite;
    public bool Handles(DatabaseTarget target) => target is SqliteTarget;
    public string BackupExtension => SqliteBackupEngine.Extension;
    public IFastRevert? FastRevert => null;
    public ITableData TableData { get; } = new SqliteTableData();
    public ISchemaReader Schema { get; } = new SqliteSchemaReader();
    public IDatabaseAddresses Addresses { get; } = new SqliteAddresses();
    public IPlatformOperations Operations { get; } = new PlatformOperations(new SqliteEnvironmentLocking(), new SqlitePlatformTables(), new SqliteScratchCopies(time));
    public BackupTraits BackupTraits { get; } = new(CopyOnlyApplies: false, AlwaysVerified: true);

    public BackupResult Backup(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default) => engine.Backup(File(target), options, reporter, ct);
    public VerifiedBackup BackupAndVerify(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default) => safety.IssueSqlite(Backup(target, options, reporter, ct));
    public BackupVerification Verify(DatabaseTarget? server, VerifyOptions options, IOperationReporter reporter, CancellationToken ct = default) => engine.Verify(options, reporter, ct);

    public QuickCheckResult QuickCheck(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default) => SqliteQuickCheck.Run(files);

    public BackupHeader ReadHeader(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default)
    {
        var file = Path.GetFullPath(files.Single());
        var metadata = SqliteSafetyCheck.ReadMetadata(file);
        var header = SqliteHeader.Read(file);
        return new BackupHeader
        {
            Database = metadata.Database,
            ServerName = metadata.ServerName,
            BackupStart = metadata.Start,
            Size = header.ExpectedFileSize,
            HasChecksum = !string.IsNullOrEmpty(metadata.Checksum),
            SourcePath = metadata.SqlitePath,
            Files = [new RestoredFile("main", "D", metadata.SqlitePath ?? "")],
        };
    }

    public RestorePlan PlanRestore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default) =>
        SqliteBackupEngine.PlanRestore(File(target), options, reporter);

    public RestoreResult Restore(RestorePlan plan, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var target = File(plan.Target);
        return engine.Restore(plan, options, o => engine.Backup(target, o, reporter, ct), safety, reporter, ct);
    }

    public RestoreResult RestoreAsNew(DatabaseTarget newTarget, IReadOnlyList<string> files, IOperationReporter reporter, CancellationToken ct = default)
    {
        var target = File(newTarget);
        if (System.IO.File.Exists(target.Path)) throw DatabaseExists(target.Path);
        var options = new RestoreOptions { FilePath = files };
        return Restore(PlanRestore(target, options, reporter, ct), options, reporter, ct);
    }

    /// <summary>One plan, as Restore-OsDatabase -WhatIf shows it, then run as planned.</summary>
    public RestoreResult Restore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default) =>
        Restore(PlanRestore(target, options, reporter, ct), options, reporter, ct);

    public VerifiedBackup VerifySafetyBackup(DatabaseTarget target, BackupResult backup, CancellationToken ct = default) => safety.VerifySqlite(backup, File(target).Path);
    public IReadOnlyList<BackupResult> GetHistory(DatabaseTarget target, BackupHistoryQuery query, CancellationToken ct = default) => SqliteBackupEngine.GetHistory(File(target), query);

    /// <summary>The backup file and its metadata file.</summary>
    public bool RemoveBackup(BackupResult backup, IOperationReporter reporter)
    {
        SqliteBackupEngine.Delete(backup);
        return true;
    }

    /// <summary>A copy cut short by a crash is removed with its journal files, never appended to.</summary>
    public void DiscardPartialBackup(string path)
    {
        foreach (var file in new[] { path, path + "-journal", path + "-wal", path + "-shm" })
            if (System.IO.File.Exists(file)) System.IO.File.Delete(file);
    }

    public ParallelRestore PlanParallel(DatabaseTarget target, string backupPath, string suffix)
    {
        var sqlite = File(target);
        var parallel = new SqliteTarget(Path.Combine(Path.GetDirectoryName(sqlite.Path)!, $"{Path.GetFileNameWithoutExtension(sqlite.Path)}_{suffix}{Path.GetExtension(sqlite.Path)}"));
        return new ParallelRestore(parallel, new RestoreOptions { FilePath = [backupPath] }, parallel.Path);
    }

    public DatabaseIdentity ReadIdentity(DatabaseTarget target, CancellationToken ct = default) => SqliteIdentities.ReadIdentity(File(target));
    public IReadOnlyDictionary<string, string> ReadPublishedModules(DatabaseTarget target, CancellationToken ct = default) => SqliteIdentities.ReadPublishedModules(File(target));
    public IReadOnlyList<IdentityHighWater> ReadHighWater(DatabaseTarget target, CancellationToken ct = default) => SqliteIdentities.ReadHighWater(File(target));
    public IdentityReseedReport Reseed(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken ct = default) =>
        SqliteIdentities.Reseed(File(target), marks, reporter);

    private static OsRollbackException DatabaseExists(string path) =>
        new("DatabaseExists", OsErrorCategory.ResourceExists, $"'{path}' exists; a restore as a new database never replaces one.", path,
            "Choose a name that is not in use, or restore over it with -WithReplace (a safety backup is taken first).");

    internal static SqliteTarget File(DatabaseTarget? target) => target as SqliteTarget
        ?? throw new OsRollbackException("UnsupportedDatabaseTarget", OsErrorCategory.InvalidArgument, "The SQLite backup engine needs a SQLite target.", target?.DisplayName, "Give -SqlitePath.");
}
