using OsRollback.Engine.Database;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.RollForward;

/// <summary>What a statement of a repair script or check does, as the engine's own analysis sees it.</summary>
public enum RepairStatementKind { Insert, Update, Delete, Merge, Query }

/// <summary>One statement of a repair script or a check, with the application table it writes (none for a query).</summary>
public sealed record RepairStatement(int Number, string Text, RepairStatementKind Kind, string? Table)
{
    /// <summary>The first line of the statement, for reports (the full text is in the script file).</summary>
    public string Summary => RepairRules.Summary(Text);
}

/// <summary>A repair script and its checks after analysis: only DML on application tables, checks that are queries.</summary>
public sealed record RepairAnalysis(IReadOnlyList<RepairStatement> Statements, IReadOnlyList<RepairStatement> Checks)
{
    public IReadOnlyList<string> TablesWritten => Statements.Select(s => s.Table!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}

/// <summary>Rows one statement changed.</summary>
public sealed record RepairStatementResult(int Number, string Statement, string Table, long RowsChanged);

/// <summary>What one check returned (no row = passed); the first rows are kept for the report.</summary>
public sealed record RepairCheckResult(int Number, string Check, long RowCount, IReadOnlyList<IReadOnlyDictionary<string, object?>> SampleRows)
{
    public bool Passed => RowCount == 0;
}

/// <summary>Rows changed in one table.</summary>
public sealed record RepairTableChange(string Table, long RowsChanged);

/// <summary>Where a repair ran: the parallel copy of a rehearsal, the target, or nowhere (-WhatIf, script only).</summary>
public enum RepairMode { Rehearsal, Repair }

/// <summary>The outcome of Invoke-OsDataRepair, rehearsal or repair.</summary>
public sealed record DataRepairResult
{
    public RepairMode Mode { get; init; }
    public string Database { get; init; } = "";
    /// <summary>The database the statements ran on (the parallel copy of a rehearsal, or the target).</summary>
    public string RanOn { get; init; } = "";
    public string ScriptSha256 { get; init; } = "";
    public string CheckSha256 { get; init; } = "";
    /// <summary>Committed: the repair is in the database it ran on. False when a check found rows (everything rolled back).</summary>
    public bool Committed { get; init; }
    public bool ChecksPassed => Checks.All(c => c.Passed);
    public IReadOnlyList<RepairStatementResult> Statements { get; init; } = [];
    public IReadOnlyList<RepairCheckResult> Checks { get; init; } = [];
    public IReadOnlyList<RepairTableChange> Tables => Statements.GroupBy(s => s.Table, StringComparer.OrdinalIgnoreCase)
        .Select(g => new RepairTableChange(g.Key, g.Sum(s => s.RowsChanged))).ToList();
    public long RowsChanged => Statements.Sum(s => s.RowsChanged);
    public string? SafetyBackupPath { get; init; }
    /// <summary>The parallel copy kept after a rehearsal (-KeepParallelDatabase), or the existing one given.</summary>
    public string? ParallelDatabase { get; init; }
    public bool Forced { get; init; }
    /// <summary>The repair had been applied to this target before: nothing was run this time.</summary>
    public bool AlreadyApplied { get; init; }
    public string? RecordPath { get; init; }
    public override string ToString() => $"{Mode} on {RanOn}: {RowsChanged} rows changed, checks {(ChecksPassed ? "passed" : "FAILED")}";
}

/// <summary>The record of a rehearsal or a repair in the catalog (repairs/&lt;key&gt;/).</summary>
public sealed class RepairRecord
{
    public int FormatVersion { get; init; } = 1;
    public RepairMode Mode { get; init; }
    /// <summary>Started, Applied, ChecksFailed, Failed (Repair); Passed, ChecksFailed (Rehearsal).</summary>
    public string State { get; set; } = "";
    public string ScriptSha256 { get; init; } = "";
    public string CheckSha256 { get; init; } = "";
    public string ScriptPath { get; init; } = "";
    public string CheckPath { get; init; } = "";
    public string Database { get; init; } = "";
    public DatabaseIdentity? DatabaseIdentity { get; init; }
    public string? RanOn { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }
    public bool Forced { get; init; }
    public List<string> Warnings { get; init; } = new();
    public string? SafetyBackupPath { get; set; }
    public List<RepairTableChange> Tables { get; set; } = new();
    public List<RepairCheckResult> Checks { get; set; } = new();
}
