namespace OsRollback.Engine.RollForward;

/// <summary>A version that was deployed to the environment and rolled back: the base a fix starts from.</summary>
public sealed class RollForwardBase
{
    public string Application { get; init; } = "";
    public string ApplicationKey { get; init; } = "";
    /// <summary>The version tag that was deployed and rolled back (the base to fix from).</summary>
    public string Version { get; init; } = "";
    /// <summary>Its LifeTime version key (null when LifeTime was not asked: no connection).</summary>
    public string? VersionKey { get; init; }
    public DateTimeOffset? CreatedOn { get; init; }
    /// <summary>The version the rollback went back to.</summary>
    public string RolledBackTo { get; init; } = "";
    public string Strategy { get; init; } = "";
    public DateTimeOffset? RolledBackAt { get; init; }
    public override string ToString() => $"{Application} {Version} (rolled back to {RolledBackTo})";
}

/// <summary>A table or column the rolled-back version added that is still in the database, and the rows holding data in it.</summary>
public sealed class RollForwardLeftover
{
    public string Table { get; init; } = "";
    public string? Column { get; init; }
    public string? Entity { get; init; }
    public string? Attribute { get; init; }
    public string? Module { get; init; }
    /// <summary>Rows with a non-NULL value in the column (the table's rows for a table).</summary>
    public long? RowsWithData { get; init; }
    public override string ToString() => Column is null ? Table : $"{Table}.{Column}";
}

/// <summary>Rows of one table that differ from the rollback point's backup (the base).</summary>
public sealed class RollForwardTableChange
{
    /// <summary>SinceRollbackPoint (production now), BeforeRollback (the parallel database after a Database run).</summary>
    public string Period { get; init; } = "";
    public string Table { get; init; } = "";
    public string? Entity { get; init; }
    public long Inserted { get; init; }
    public long Changed { get; init; }
    public long Deleted { get; init; }
    public string? Note { get; init; }
}

/// <summary>Whether a fix version is a sound roll-forward from the base.</summary>
public sealed class RollForwardFixCheck
{
    public string Application { get; init; } = "";
    public string Version { get; init; } = "";
    public string? VersionKey { get; init; }
    public string BaseVersion { get; init; } = "";
    /// <summary>The version number is higher than the rolled-back one (null: not comparable, see Reason).</summary>
    public bool? IsNewer { get; init; }
    /// <summary>Created after the rolled-back version (null: a creation date is unknown).</summary>
    public bool? CreatedAfter { get; init; }
    /// <summary>Unknown (with the reason) or NothingLeft: whether the fix's modules still define the leftover entities and attributes.</summary>
    public string DefinesLeftovers { get; init; } = "Unknown";
    public string Reason { get; init; } = "";
}

/// <summary>Test-OsRollForward: what a fix must start from and what it will find in the database.</summary>
public sealed class RollForwardReport
{
    public string RollbackPointId { get; init; } = "";
    public string Environment { get; init; } = "";
    public string Database { get; init; } = "";
    public string? Strategy { get; init; }
    public IReadOnlyList<RollForwardBase> Base { get; init; } = [];
    public IReadOnlyList<RollForwardLeftover> LeftBehind { get; init; } = [];
    public IReadOnlyList<RollForwardTableChange> Changes { get; init; } = [];
    /// <summary>Why the row changes are missing or partial (no base readable, ...).</summary>
    public string? ChangesNote { get; init; }
    public IReadOnlyList<RollForwardFixCheck> Fixes { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public long RowsInLeftovers => LeftBehind.Sum(l => l.RowsWithData ?? 0);
    public bool Ready => Base.Count > 0 && Fixes.Count > 0 && Fixes.All(f => f.IsNewer == true && f.CreatedAfter == true);
    public string ToMarkdown() => RollForwardMarkdown.Write(this);
}
