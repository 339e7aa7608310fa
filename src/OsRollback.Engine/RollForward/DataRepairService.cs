using Microsoft.Data.Sqlite;
using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Adapters;
using OsRollback.Engine.Drift;
using OsRollback.Engine.Rollback;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.RollForward;

public sealed class DataRepairOptions
{
    /// <summary>The catalog that records rehearsals and repairs (OSROLLBACK_HOME by default).</summary>
    public string CatalogHome { get; init; } = RollbackCatalog.Resolve(null).Home;
    /// <summary>An existing parallel database to rehearse on (left as it was: the rehearsal is rolled back there).</summary>
    public DatabaseTarget? ParallelDatabase { get; init; }
    /// <summary>Keep the fresh parallel copy after the rehearsal (for QA, or to look at the repaired rows).</summary>
    public bool KeepParallelDatabase { get; init; }
    /// <summary>Repair without a passing rehearsal of this script and check (recorded as a warning in the journal).</summary>
    public bool Force { get; init; }
    /// <summary>When given, the target must be this rollback point's database.</summary>
    public RollbackPoint? RollbackPoint { get; init; }
    /// <summary>Folder of the safety backup (default: the repair's folder in the catalog).</summary>
    public string? SafetyBackupDirectory { get; init; }
    public ISafetyBackup SafetyBackup { get; init; } = new BackupServiceSafetyBackup();
    public IParallelCopies ParallelCopies { get; init; } = new ParallelCopies();
    public IDatabaseIdentitySource Identity { get; init; } = new DatabaseIdentityReader();
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// A data repair: a SQL script and the checks that return the rows still wrong. Rehearsed on a
/// parallel copy (never the target), recorded in the catalog; then run on the target only after a
/// passing rehearsal of the same files, a verified safety backup, in one transaction that is rolled
/// back if any check returns a row; applied at most once per target.
/// </summary>
public static class DataRepairService
{
    /// <summary>The engine's own analysis of the script and checks against the target; nothing runs.</summary>
    public static RepairAnalysis Analyze(DatabaseTarget target, RepairFiles files)
    {
        if (!RepairDialect.IsSqlite(target.Engine)) return TSqlRepairAnalyzer.Analyze(files);
        using var connection = (SqliteConnection)((SqliteTarget)target).OpenConnection(SqliteOpenMode.ReadOnly);
        return SqliteRepairAnalyzer.Analyze(connection, files);
    }

    public static DataRepairResult Rehearse(DatabaseTarget target, RepairFiles files, DataRepairOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default)
    {
        var analysis = Analyze(target, files);
        var identity = IdentityOf(target, options, cancellationToken);
        var journal = new RepairJournal(options.CatalogHome);
        var started = options.Time.GetUtcNow();
        using var copy = options.ParallelDatabase is { } given
            ? ParallelCopy.Existing(given)
            : options.ParallelCopies.Create(target, journal.FolderFor(files, target.DisplayName), reporter, cancellationToken);
        copy.Keep = options.KeepParallelDatabase;
        if (options.ParallelDatabase is not null) EnsureNotTarget(target, copy.Target, identity, options, cancellationToken);
        reporter.Verbose($"Rehearsing the repair on {copy.Target.DisplayName}.");
        RepairRunner.Outcome outcome;
        using (var connection = copy.Target.OpenConnection())
            // An existing parallel database is left as it was; a fresh copy keeps the repaired rows (when kept).
            outcome = RepairRunner.Run(connection, analysis, commitWhenChecksPass: copy.Fresh, copy.Target.DisplayName, beforeCommit: null, cancellationToken);
        var passed = outcome.Checks.All(c => c.Passed);
        var record = new RepairRecord
        {
            Mode = RepairMode.Rehearsal, State = passed ? "Passed" : "ChecksFailed",
            ScriptSha256 = files.ScriptSha256, CheckSha256 = files.CheckSha256, ScriptPath = files.ScriptPath, CheckPath = files.CheckPath,
            Database = target.DisplayName, DatabaseIdentity = identity, RanOn = copy.Target.DisplayName,
            StartedAt = started, FinishedAt = options.Time.GetUtcNow(),
            Tables = Tables(outcome).ToList(), Checks = outcome.Checks.ToList(),
        };
        var recordPath = journal.Write(files, record);
        foreach (var check in outcome.Checks.Where(c => !c.Passed))
            reporter.Warning($"Rehearsal: check {check.Number} still returns {check.RowCount} rows ({check.Check}); the repair will be refused on {target.DisplayName} until a rehearsal passes.");
        return Result(RepairMode.Rehearsal, target, copy.Target, files, outcome, recordPath) with
        {
            ParallelDatabase = copy.Fresh && !copy.Keep ? null : copy.Target.DisplayName,
        };
    }

    public static DataRepairResult Repair(DatabaseTarget target, RepairFiles files, DataRepairOptions options, IOperationReporter reporter, CancellationToken cancellationToken = default)
    {
        var analysis = Analyze(target, files);
        var identity = IdentityOf(target, options, cancellationToken);
        var journal = new RepairJournal(options.CatalogHome);
        if (journal.ReadRepair(files, target.DisplayName) is { } earlier && AlreadyDone(earlier, target, reporter) is { } done) return done;
        var warnings = RequireRehearsal(journal, files, target, identity, options, reporter);

        var started = options.Time.GetUtcNow();
        var backup = options.SafetyBackup.Take(target, options.SafetyBackupDirectory ?? journal.FolderFor(files, target.DisplayName), reporter);
        var record = new RepairRecord
        {
            Mode = RepairMode.Repair, State = "Started",
            ScriptSha256 = files.ScriptSha256, CheckSha256 = files.CheckSha256, ScriptPath = files.ScriptPath, CheckPath = files.CheckPath,
            Database = target.DisplayName, DatabaseIdentity = identity, RanOn = target.DisplayName,
            StartedAt = started, Forced = options.Force && warnings.Count > 0, Warnings = warnings, SafetyBackupPath = backup,
        };
        RepairRunner.Outcome outcome;
        using (var connection = target.OpenConnection())
            // Started is written once every check passed, just before the commit: a kill before it leaves
            // nothing committed and nothing recorded; a kill after it is never run twice (RepairOutcomeUnknown).
            outcome = RepairRunner.Run(connection, analysis, commitWhenChecksPass: true, target.DisplayName, beforeCommit: () => journal.Write(files, record), cancellationToken);
        record.FinishedAt = options.Time.GetUtcNow();
        record.Tables = Tables(outcome).ToList();
        record.Checks = outcome.Checks.ToList();
        record.State = outcome.Committed ? "Applied" : "ChecksFailed";
        var recordPath = journal.Write(files, record);
        if (!outcome.Committed) throw CheckFailed(target, outcome, backup);
        return Result(RepairMode.Repair, target, target, files, outcome, recordPath) with { SafetyBackupPath = backup, Forced = record.Forced };
    }

    private static DataRepairResult? AlreadyDone(RepairRecord earlier, DatabaseTarget target, IOperationReporter reporter)
    {
        switch (earlier.State)
        {
            case "Applied":
                reporter.Warning($"This repair was applied to {target.DisplayName} at {earlier.FinishedAt:u}; it is applied at most once, so nothing was run.");
                return new DataRepairResult
                {
                    Mode = RepairMode.Repair, Database = target.DisplayName, RanOn = target.DisplayName, ScriptSha256 = earlier.ScriptSha256, CheckSha256 = earlier.CheckSha256,
                    Committed = false, AlreadyApplied = true, Checks = earlier.Checks, SafetyBackupPath = earlier.SafetyBackupPath,
                    Statements = earlier.Tables.Select((t, i) => new RepairStatementResult(i + 1, "(applied earlier)", t.Table, t.RowsChanged)).ToList(),
                };
            case "Started":
                throw new OsRollbackException("RepairOutcomeUnknown", OsErrorCategory.InvalidOperation,
                    $"A run of this repair on {target.DisplayName} stopped between its checks passing and its commit being recorded (started {earlier.StartedAt:u}); it may be applied. It is not run again.",
                    target.DisplayName, $"Run the -Check queries on the target: no row means the repair is in. The safety backup taken before it is {earlier.SafetyBackupPath}. Rename the repair folder in the catalog only if you are sure it was not applied.");
            default:
                return null; // ChecksFailed: nothing was committed, the repair may run again
        }
    }

    /// <summary>The same script and check must have been rehearsed for this target with passing checks; -Force overrides, with the reason in the journal.</summary>
    private static List<string> RequireRehearsal(RepairJournal journal, RepairFiles files, DatabaseTarget target, DatabaseIdentity identity, DataRepairOptions options, IOperationReporter reporter)
    {
        var rehearsal = journal.ReadRehearsal(files, target.DisplayName);
        OsRollbackException? refusal = null;
        if (rehearsal is null)
        {
            refusal = journal.RehearsalsOf(target.DisplayName) is [var other, ..]
                ? new OsRollbackException("RepairRehearsalOfAnotherScript", OsErrorCategory.InvalidOperation,
                    $"The rehearsal recorded for {target.DisplayName} ({other.StartedAt:u}) was of another script or check (script {other.ScriptSha256[..12]}, check {other.CheckSha256[..12]}; given {files.ScriptSha256[..12]}, {files.CheckSha256[..12]}). Nothing was changed.",
                    target.DisplayName, "Rehearse these exact files first (Invoke-OsDataRepair -Rehearse), then run the repair.")
                : new OsRollbackException("RepairNotRehearsed", OsErrorCategory.InvalidOperation,
                    $"This repair was never rehearsed for {target.DisplayName}. Nothing was changed.", target.DisplayName,
                    "Rehearse it on a parallel copy first (Invoke-OsDataRepair -Rehearse), then run it again; -Force skips the rehearsal.");
        }
        else if (rehearsal.State != "Passed")
        {
            refusal = new OsRollbackException("RepairRehearsalFailed", OsErrorCategory.InvalidOperation,
                $"The rehearsal of this repair on {rehearsal.RanOn} ({rehearsal.StartedAt:u}) left rows that its checks still return. Nothing was changed.", target.DisplayName,
                "Fix the script until a rehearsal passes, then run the repair.");
        }
        else if (rehearsal.DatabaseIdentity is { } rehearsed && !rehearsed.IsSameDatabaseAs(identity))
        {
            refusal = new OsRollbackException("RepairRehearsalOfAnotherDatabase", OsErrorCategory.InvalidOperation,
                $"The rehearsal was of {rehearsed}, but {target.DisplayName} is now {identity}. Nothing was changed.", target.DisplayName,
                "Rehearse again on a copy of the database as it is now.");
        }
        if (refusal is null) return [];
        if (!options.Force) throw refusal;
        var warning = $"Forced without a passing rehearsal ({refusal.ErrorId}): {refusal.Message}";
        reporter.Warning(warning);
        return [warning];
    }

    private static DatabaseIdentity IdentityOf(DatabaseTarget target, DataRepairOptions options, CancellationToken cancellationToken)
    {
        var identity = options.Identity.ReadIdentityAsync(target, cancellationToken).GetAwaiter().GetResult();
        if (options.RollbackPoint is { } point) RollbackPointDatabaseCheck.EnsureSameDatabase(point, identity);
        return identity;
    }

    /// <summary>An existing parallel database must not be the target itself.</summary>
    private static void EnsureNotTarget(DatabaseTarget target, DatabaseTarget parallel, DatabaseIdentity identity, DataRepairOptions options, CancellationToken cancellationToken)
    {
        if (!options.Identity.ReadIdentityAsync(parallel, cancellationToken).GetAwaiter().GetResult().IsSameDatabaseAs(identity)) return;
        throw new OsRollbackException("RehearsalOnTarget", OsErrorCategory.InvalidArgument,
            $"The parallel database {parallel.DisplayName} is the target {target.DisplayName}: a rehearsal never runs on the target. Nothing was changed.", parallel.DisplayName,
            "Give a restored copy with -ParallelDatabase/-ParallelSqlitePath, or leave it out to let the rehearsal make a fresh copy.");
    }

    private static OsRollbackException CheckFailed(DatabaseTarget target, RepairRunner.Outcome outcome, string backup)
    {
        var failed = outcome.Checks.Where(c => !c.Passed).ToList();
        var detail = string.Join("; ", failed.Select(c => $"check {c.Number} ({c.Check}) returned {c.RowCount} rows: {RowsText(c)}"));
        return new OsRollbackException("RepairCheckFailed", OsErrorCategory.InvalidResult,
            $"The repair of {target.DisplayName} was rolled back: {detail}. Nothing was changed (safety backup {backup}).", failed[0],
            "Rehearse the corrected script again (-Rehearse) until its checks return no row, then run it.");
    }

    private static string RowsText(RepairCheckResult check) =>
        string.Join(" | ", check.SampleRows.Take(5).Select(r => string.Join(", ", r.Select(kv => $"{kv.Key}={kv.Value ?? "NULL"}")))) + (check.RowCount > 5 ? " | ..." : "");

    private static IEnumerable<RepairTableChange> Tables(RepairRunner.Outcome outcome) =>
        outcome.Statements.GroupBy(s => s.Table, StringComparer.OrdinalIgnoreCase).Select(g => new RepairTableChange(g.Key, g.Sum(s => s.RowsChanged)));

    private static DataRepairResult Result(RepairMode mode, DatabaseTarget target, DatabaseTarget ranOn, RepairFiles files, RepairRunner.Outcome outcome, string recordPath) => new()
    {
        Mode = mode, Database = target.DisplayName, RanOn = ranOn.DisplayName, ScriptSha256 = files.ScriptSha256, CheckSha256 = files.CheckSha256,
        Committed = outcome.Committed, Statements = outcome.Statements, Checks = outcome.Checks, RecordPath = recordPath,
    };
}
