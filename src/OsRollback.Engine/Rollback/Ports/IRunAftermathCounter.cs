using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>Counts what a run leaves for the DBA, for its report (read only; optional: without it the report says "not counted").</summary>
public interface IRunAftermathCounter
{
    /// <summary>Tables and columns of <paramref name="database"/> that the rollback point's schema snapshot (<paramref name="schemaSnapshotPath"/>) lacks, with their rows.</summary>
    IReadOnlyList<LeftoverSchema> LeftBehind(string schemaSnapshotPath, DatabaseTarget database, IOperationReporter reporter);

    /// <summary>
    /// Per application table, the rows of the run's parallel database (restored from <paramref name="preRollbackBackup"/>
    /// under <paramref name="parallelSuffix"/>) that differ from <paramref name="database"/>, written since <paramref name="since"/>.
    /// </summary>
    IReadOnlyList<RecoveredTable> Recovered(DatabaseTarget database, string preRollbackBackup, string parallelSuffix, DateTimeOffset? since, IOperationReporter reporter, CancellationToken cancellationToken);
}

/// <summary>Rows of one application table held in the parallel database and no longer (or not so) in the live one.</summary>
public sealed class RecoveredTable
{
    public string Table { get; init; } = "";
    public string? Entity { get; init; }
    /// <summary>Rows only in the parallel database: written after the pre-deploy backup, removed by the restore.</summary>
    public long Inserted { get; init; }
    /// <summary>Rows in both that differ.</summary>
    public long Changed { get; init; }
    /// <summary>Rows only in the live database (deleted before the rollback, or written since it reopened).</summary>
    public long Deleted { get; init; }
    /// <summary>Why the rows of this table were not counted (no primary key, ...); null when counted.</summary>
    public string? Note { get; init; }
}

/// <summary>A table or column the rolled-back version added that stays in the database, with the rows holding data in it.</summary>
public sealed class LeftoverSchema
{
    public string Table { get; init; } = "";
    /// <summary>Null: the whole table was added.</summary>
    public string? Column { get; init; }
    public string? Entity { get; init; }
    public string? Attribute { get; init; }
    public string? Module { get; init; }
    public long? Rows { get; init; }
}
