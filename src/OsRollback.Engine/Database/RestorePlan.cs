using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// A restore, computed once from the backup's header and file list and the target's state, and
/// then shown by -WhatIf, written by -OutputScriptOnly and run by the restore itself.
/// </summary>
public sealed class RestorePlan
{
    public DatabaseEngineKind Engine { get; init; }
    public required DatabaseTarget Target { get; init; }
    /// <summary>The backup file(s) (all stripes).</summary>
    public IReadOnlyList<string> Source { get; init; } = [];
    /// <summary>The database the backup holds (header DatabaseName / SQLite metadata).</summary>
    public string? SourceDatabase { get; init; }
    public DateTimeOffset? BackupStart { get; init; }
    /// <summary>The database restored into.</summary>
    public string TargetDatabase { get; init; } = "";
    public bool TargetExists { get; init; }
    /// <summary>sys.databases.state_desc of an existing target (null: ONLINE or unknown).</summary>
    public string? TargetState { get; init; }
    public bool TargetOnline { get; init; } = true;
    /// <summary>Logical file → physical path (WITH MOVE); the database file for SQLite.</summary>
    public IReadOnlyList<FileMove> Moves { get; init; } = [];
    /// <summary>Types of the files in <see cref="Moves"/> (D, L, ...), same order.</summary>
    public IReadOnlyList<string> FileTypes { get; init; } = [];
    /// <summary>Whether a safety backup of the target is needed before it is replaced (see <see cref="Safety.SafetyBackupChecker.IsNeeded"/>).</summary>
    public bool SafetyBackupNeeded { get; init; }
    /// <summary>What ties the target to other servers (SQL Server; checked before the plan was made).</summary>
    public SharedServerFeatures? SharedFeatures { get; init; }
    /// <summary>The statements of the restore itself, in order (SQL Server), run as planned.</summary>
    public IReadOnlyList<string> Statements { get; init; } = [];
    /// <summary>Script comments: what is assumed and what happens before the statements.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>One line for -WhatIf / ShouldProcess.</summary>
    public string Describe()
    {
        var source = string.Join(", ", Source);
        if (!TargetExists) return $"Restore {source} as the new database {TargetDatabase}";
        var safety = SafetyBackupNeeded ? "after a verified safety backup of it" : $"without a safety backup (it is {TargetState}, nothing readable to protect)";
        return $"Replace the existing database {TargetDatabase} with {source} ({safety})";
    }

    public override string ToString() => Describe();
}
