using System.Globalization;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>SQL Server behind <see cref="IBackupEngine"/>.</summary>
internal sealed class SqlServerEngine(SqlServerBackupEngine engine, Func<SqlServerTarget, string?, ISqlSession> open) : IBackupEngine
{
    public DatabaseEngineKind Kind => DatabaseEngineKind.SqlServer;

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

    internal static OsRollbackException Exists(string name, string display) =>
        new("DatabaseExists", OsErrorCategory.ResourceExists, $"'{name}' exists; a restore as a new database never replaces one.", display,
            "Choose a name that is not in use, or restore over it with -WithReplace (a safety backup is taken first).");

    private static SqlServerTarget Sql(DatabaseTarget? target) => target as SqlServerTarget
        ?? throw new OsRollbackException("UnsupportedDatabaseTarget", OsErrorCategory.InvalidArgument, "The SQL Server backup engine needs a SQL Server target.", target?.DisplayName,
            "Give -SqlInstance and -Database.");
}

/// <summary>SQLite behind <see cref="IBackupEngine"/>.</summary>
internal sealed class SqliteEngine(SqliteBackupEngine engine, SafetyBackupChecker safety) : IBackupEngine
{
    public DatabaseEngineKind Kind => DatabaseEngineKind.Sqlite;

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
        if (System.IO.File.Exists(target.Path)) throw SqlServerEngine.Exists(target.Path, target.Path);
        var options = new RestoreOptions { FilePath = files };
        return Restore(PlanRestore(target, options, reporter, ct), options, reporter, ct);
    }

    private static SqliteTarget File(DatabaseTarget? target) => target as SqliteTarget
        ?? throw new OsRollbackException("UnsupportedDatabaseTarget", OsErrorCategory.InvalidArgument, "The SQLite backup engine needs a SQLite target.", target?.DisplayName, "Give -SqlitePath.");
}

/// <summary>
/// The SQLite quick check (Test-OsDatabaseBackup -Quick, and the cheap re-check): header
/// "SQLite format 3", page size x page count = file size, and the recorded checksum state.
/// Reads 100 bytes and the metadata file, no pages.
/// </summary>
internal static class SqliteQuickCheck
{
    public static QuickCheckResult Run(IReadOnlyList<string> files)
    {
        var file = Path.GetFullPath(files.Single());
        var checks = new List<BackupCheck>();
        if (!System.IO.File.Exists(file))
            return new QuickCheckResult(false, [new BackupCheck("Exists", file, false, "the file does not exist")]);
        var size = new FileInfo(file).Length;
        var header = SqliteHeader.Read(file);
        checks.Add(new BackupCheck("Header", "first 16 bytes are 'SQLite format 3'", header.HasMagic, header.HasMagic ? "SQLite format 3" : "not a SQLite database"));
        checks.Add(new BackupCheck("Size", "page size x page count = file size", header.PageCountValid && header.ExpectedFileSize == size,
            string.Create(CultureInfo.InvariantCulture, $"{header.PageSize} x {header.PageCount} = {header.ExpectedFileSize:N0}; file {size:N0} bytes")));
        var metadata = BackupMetadata.TryRead(file + SqliteBackupEngine.MetadataSuffix);
        var recorded = metadata is { Checksum.Length: > 0 } && metadata.Size == size;
        checks.Add(new BackupCheck("Checksum", "checksum and size recorded in " + Path.GetFileName(file + SqliteBackupEngine.MetadataSuffix), recorded,
            metadata is null ? "no readable metadata" : recorded ? $"{metadata.ChecksumAlgorithm} recorded, size matches" : $"recorded size {metadata.Size:N0} differs"));
        return new QuickCheckResult(checks.All(c => c.Passed), checks);
    }
}
