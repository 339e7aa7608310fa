using OsRollback.Engine.Data;
using OsRollback.Engine.Database.Safety;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>
/// One backup engine per database engine (SQL Server, SQLite): back up, verify, quick-check, read
/// the header and file list, plan a restore, and restore (over the original or as a new
/// database). The safety rule around a replace is <see cref="SafetyBackupChecker"/>, shared by all.
/// </summary>
public interface IBackupEngine
{
    DatabaseEngineKind Kind { get; }
    BackupResult Backup(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default);
    /// <summary>Backup, full verification, and the evidence a later restore in this run re-checks only cheaply.</summary>
    VerifiedBackup BackupAndVerify(DatabaseTarget target, BackupOptions options, IOperationReporter reporter, CancellationToken ct = default);
    /// <summary>The full check (Test-OsDatabaseBackup). <paramref name="server"/>: the SQL Server that reads the backup; null for SQLite.</summary>
    BackupVerification Verify(DatabaseTarget? server, VerifyOptions options, IOperationReporter reporter, CancellationToken ct = default);
    /// <summary>A check that reads no data pages: header, size, recorded checksum state.</summary>
    QuickCheckResult QuickCheck(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default);
    BackupHeader ReadHeader(DatabaseTarget? server, IReadOnlyList<string> files, CancellationToken ct = default);
    /// <summary>Computed once; shown by -WhatIf, written by -OutputScriptOnly, run by <see cref="Restore(RestorePlan, RestoreOptions, IOperationReporter, CancellationToken)"/>.</summary>
    RestorePlan PlanRestore(DatabaseTarget target, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default);
    RestoreResult Restore(RestorePlan plan, RestoreOptions options, IOperationReporter reporter, CancellationToken ct = default);
    /// <summary>Restore under a new name / into a new file: never replaces anything, so needs no safety backup.</summary>
    RestoreResult RestoreAsNew(DatabaseTarget newTarget, IReadOnlyList<string> files, IOperationReporter reporter, CancellationToken ct = default);
}

/// <summary>What a backup says about itself, read without reading its data.</summary>
public sealed record BackupHeader
{
    public string Database { get; init; } = "";
    public string? ServerName { get; init; }
    public Guid? FamilyGuid { get; init; }
    public DateTimeOffset? BackupStart { get; init; }
    public long? Size { get; init; }
    public bool HasChecksum { get; init; }
    /// <summary>SQLite: the database that was backed up (from the metadata).</summary>
    public string? SourcePath { get; init; }
    /// <summary>Logical name, type and original physical path of each file (SQL Server FILELISTONLY; SQLite: main).</summary>
    public IReadOnlyList<RestoredFile> Files { get; init; } = [];
}

/// <summary>The outcome of a quick check: each check with its result.</summary>
public sealed record QuickCheckResult(bool Passed, IReadOnlyList<BackupCheck> Checks)
{
    public override string ToString() => $"{(Passed ? "Passed" : "FAILED")}: {string.Join("; ", Checks.Select(c => $"{c.Name} {c.Detail}"))}";
}
