using OsRollback.Engine.Data;

namespace OsRollback.Engine.Drift;

public enum TableCompareStatus { Compared, NoPrimaryKey, PrimaryKeyMismatch, OnlyInReference, OnlyInCurrent }

/// <summary>
/// StreamingMerge reads both sides ordered by key and merges them in .NET (any engine, any two
/// servers). SqlExcept (two SQLite files) attaches the reference and lets SQLite compute both
/// set differences (EXCEPT, binary collation), so only differing rows are read and merged on the
/// key. Both stream, ordered by key, in constant memory.
/// </summary>
public enum DataCompareMethod { Auto, StreamingMerge, SqlExcept }

public enum RowDifferenceKind { Inserted, Changed, Deleted }

/// <summary>What <see cref="DataComparer"/> compares.</summary>
public sealed class DataCompareOptions
{
    /// <summary>Physical table name patterns (* and ?); empty = every OSUSR_* table.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];
    /// <summary>Entity name patterns (OSSYS_ENTITY.NAME).</summary>
    public IReadOnlyList<string> Entities { get; init; } = [];
    /// <summary>Module name patterns (the eSpace owning the entity).</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];
    /// <summary>
    /// Only rows created or updated at or after this time (tables with created/updated
    /// columns); tables without such columns are compared whole.
    /// </summary>
    public DateTime? Since { get; init; }
    /// <summary>Physical table name patterns that select the application tables; default OSUSR_*.</summary>
    public IReadOnlyList<string> TablePatterns { get; init; } = ["OSUSR_*"];
    /// <summary>How rows are matched; Auto = SqlExcept for two SQLite files, StreamingMerge otherwise.</summary>
    public DataCompareMethod Method { get; init; } = DataCompareMethod.Auto;
    /// <summary>Rows between progress updates.</summary>
    public int ProgressInterval { get; init; } = 50_000;
}

/// <summary>
/// The comparison of one table between the database now (production, after the restore) and
/// the reference (the parallel database restored from the pre-rollback backup).
/// Inserted: rows only in the reference (written after the deploy, lost by the restore);
/// Changed: rows in both that differ; Deleted: rows only in the database now.
/// </summary>
public sealed class TableDataDifference
{
    public string Table { get; init; } = "";
    public string? Schema { get; init; }
    public string? Entity { get; init; }
    public string? Module { get; init; }
    public TableCompareStatus Status { get; init; }
    public long Inserted { get; set; }
    public long Changed { get; set; }
    public long Deleted { get; set; }
    public long Unchanged { get; set; }
    /// <summary>Differing rows left out by the time filter.</summary>
    public long OutsideTimeFilter { get; set; }
    public IReadOnlyList<string> KeyColumns { get; init; } = [];
    public IReadOnlyList<string> Columns { get; init; } = [];
    public IReadOnlyList<string> ColumnsOnlyInReference { get; init; } = [];
    public IReadOnlyList<string> ColumnsOnlyInCurrent { get; init; } = [];
    /// <summary>The created/updated columns the time filter used; empty without a filter or when the table has none.</summary>
    public IReadOnlyList<string> TimeColumns { get; init; } = [];
    public string Database { get; init; } = "";
    public string ReferenceDatabase { get; init; } = "";
    public TimeSpan Duration { get; set; }
    public string? Message { get; init; }
    public bool HasDifferences => Inserted + Changed + Deleted > 0;

    internal TableSnapshot? CurrentTable { get; init; }
    internal TableSnapshot? ReferenceTable { get; init; }
}

/// <summary>One differing row. Values are keyed by column name.</summary>
public sealed class DataRowDifference
{
    public string Table { get; init; } = "";
    public RowDifferenceKind Kind { get; init; }
    /// <summary>The key as text: "ID=42" or "TENANT=1, CODE='A'".</summary>
    public string Key { get; init; } = "";
    public IReadOnlyDictionary<string, object?> KeyValues { get; init; } = new Dictionary<string, object?>();
    /// <summary>Columns whose values differ (Changed rows only).</summary>
    public IReadOnlyList<string> ChangedColumns { get; init; } = [];
    /// <summary>The row in the reference (parallel) database; null for Deleted.</summary>
    public IReadOnlyDictionary<string, object?>? ReferenceValues { get; init; }
    /// <summary>The row in the database now; null for Inserted.</summary>
    public IReadOnlyDictionary<string, object?>? CurrentValues { get; init; }
}
