using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Tests.Architecture.SkeletonEngine;

/// <summary>
/// A third engine, for the test only: a database that is one text file. It shows what a new engine
/// is: this folder (its target and its <see cref="IDatabaseProvider"/>) plus one line in the
/// provider factory. Only what the test drives is implemented; the rest says so.
/// </summary>
internal sealed class MemoryTarget(string path) : DatabaseTarget
{
    /// <summary>A real engine adds its value to <see cref="DatabaseEngineKind"/> (recorded in rollback points and backups).</summary>
    public const DatabaseEngineKind Kind = (DatabaseEngineKind)100;

    public string Path { get; } = path;
    public override string DisplayName => Path;
    public override DatabaseEngineKind Engine => Kind;
    public override System.Data.Common.DbConnection OpenConnection() => throw new NotSupportedException("The memory engine has no SQL connection.");
}

internal sealed class MemoryProvider(TimeProvider time) : IDatabaseProvider, IDatabaseAddresses, ISchemaReader
{
    public DatabaseEngineKind Kind => MemoryTarget.Kind;
    public bool Handles(DatabaseTarget target) => target is MemoryTarget;
    public string BackupExtension => ".memory";
    public IFastRevert? FastRevert => null;
    public ITableData TableData => throw new NotSupportedException("The memory engine holds no tables: its data cannot be compared, exported or imported.");
    public ISchemaReader Schema => this;
    public IDatabaseAddresses Addresses => this;

    // Addresses: a memory database is a file, recorded by its path.
    public string EngineName => "memory";
    public bool DatabasesAreFiles => true;
    public StringComparison NameComparison => StringComparison.Ordinal;
    public DatabaseAddress AddressOf(DatabaseTarget target) => new(Kind, target.DisplayName, File: Memory(target).Path);
    public DatabaseTarget? TargetAt(DatabaseAddress address, DatabaseTarget? server = null) => address.File is { } file ? new MemoryTarget(file) : null;
    public DatabaseIdentity? CatalogIdentity(DatabaseTarget catalog) => ReadIdentity(catalog);

    public BackupResult Backup(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var file = options.FilePath.Single();
        File.Copy(Memory(target).Path, file, overwrite: true);
        var now = time.GetUtcNow();
        return new BackupResult { Database = Memory(target).Path, FilePath = [file], Engine = Kind, Start = now, End = now, Verified = true, Size = new FileInfo(file).Length };
    }

    public VerifiedBackup BackupAndVerify(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        var backup = Backup(target, options, reporter, ct);
        return new VerifiedBackup(VerifiedBackup.ThisRun) { Backup = backup, Database = backup.Database, VerifiedAt = time.GetUtcNow() };
    }

    public RestoreResult Restore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default)
    {
        File.Copy(options.FilePath.Single(), Memory(target).Path, overwrite: options.WithReplace);
        return new RestoreResult { Engine = Kind, Database = Memory(target).Path, BackupFilePath = [.. options.FilePath] };
    }

    public ParallelRestore PlanParallel(DatabaseTarget target, string backupPath, string suffix) =>
        new(new MemoryTarget(Memory(target).Path + "_" + suffix), new RestoreOptions { FilePath = [backupPath] }, Memory(target).Path + "_" + suffix);

    public void DiscardPartialBackup(string path) => File.Delete(path);

    public DatabaseIdentity ReadIdentity(DatabaseTarget target, CancellationToken ct = default) => new(Kind, "", Memory(target).Path, null, null, null);

    public IReadOnlyList<IdentityHighWater> ReadHighWater(DatabaseTarget target, CancellationToken ct = default) =>
        [new IdentityHighWater("OSUSR_MEMORY", null, File.ReadAllLines(Memory(target).Path).Length, true)];

    public IdentityReseedReport Reseed(DatabaseTarget target, IReadOnlyList<IdentityHighWater> marks, IOperationReporter reporter, CancellationToken ct = default) => new(0, []);

    public IReadOnlyList<BackupResult> GetHistory(DatabaseTarget target, BackupHistoryQuery query, CancellationToken ct = default) => [];

    public BackupVerification Verify(DatabaseTarget? server, VerifyOptions options, IOperationReporter reporter, CancellationToken ct = default) => throw NotInSkeleton();
    public QuickCheckResult QuickCheck(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default) => throw NotInSkeleton();
    public BackupHeader ReadHeader(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default) => throw NotInSkeleton();
    public RestorePlan PlanRestore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default) => throw NotInSkeleton();
    public RestoreResult Restore(RestorePlan plan, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default) => throw NotInSkeleton();
    public RestoreResult RestoreAsNew(DatabaseTarget newTarget, IReadOnlyList<string> files, IOperationReporter reporter, CancellationToken ct = default) => throw NotInSkeleton();
    public VerifiedBackup VerifySafetyBackup(DatabaseTarget target, BackupResult backup, CancellationToken ct = default) => throw NotInSkeleton();
    public bool RemoveBackup(BackupResult backup, IOperationReporter reporter) => throw NotInSkeleton();
    public IReadOnlyDictionary<string, string> ReadPublishedModules(DatabaseTarget target, CancellationToken ct = default) => throw NotInSkeleton();
    public FactoryDatabaseTargets FactoryDatabases(DatabaseTarget platform, IReadOnlyList<string> catalogNames, IReadOnlyList<string> catalogPaths, string? logging, string? session) => throw NotInSkeleton();
    public System.Data.Common.DbConnection OpenReadOnly(DatabaseTarget target) => throw NotInSkeleton();
    public List<TableSnapshot> ReadTables(System.Data.Common.DbConnection connection, SchemaCaptureOptions options) => throw NotInSkeleton();
    public IPlatformOperations Operations => throw NotInSkeleton();

    private static MemoryTarget Memory(DatabaseTarget target) => (MemoryTarget)target;
    private static NotSupportedException NotInSkeleton() => new("The skeleton engine implements only what the test drives.");
}
