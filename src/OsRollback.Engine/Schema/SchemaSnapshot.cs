using OsRollback.Engine.Data;

namespace OsRollback.Engine.Schema;

/// <summary>
/// The shape of the application tables (OSUSR_*) of one database at one moment: tables,
/// columns, keys, indexes, foreign keys, row counts, identity high-water marks, and the
/// OutSystems entity/attribute/module each table and column belongs to. Stored in rollback
/// points as schema-snapshot.json (<see cref="SchemaSnapshotFile"/>).
/// </summary>
public sealed class SchemaSnapshot
{
    /// <summary>Version of the file format; readers refuse newer major versions.</summary>
    public int FormatVersion { get; set; } = SchemaSnapshotFile.CurrentFormatVersion;
    public DateTimeOffset CapturedAt { get; set; }
    /// <summary>Where it was captured (server\database or file path; never a secret).</summary>
    public string Source { get; set; } = "";
    public DatabaseEngineKind Engine { get; set; }
    public List<TableSnapshot> Tables { get; set; } = new();

    public TableSnapshot? FindTable(string name) =>
        Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed class TableSnapshot
{
    /// <summary>SQL Server schema (dbo); null on SQLite.</summary>
    public string? Schema { get; set; }
    public string Name { get; set; } = "";
    public List<ColumnSnapshot> Columns { get; set; } = new();
    /// <summary>Primary key columns in key order; empty when the table has none.</summary>
    public List<string> PrimaryKey { get; set; } = new();
    public List<IndexSnapshot> Indexes { get; set; } = new();
    public List<ForeignKeySnapshot> ForeignKeys { get; set; } = new();
    /// <summary>Rows when captured; null when counts were not taken.</summary>
    public long? RowCount { get; set; }
    /// <summary>The identity (autonumber) column, if any.</summary>
    public string? IdentityColumn { get; set; }
    /// <summary>The highest identity value used when captured.</summary>
    public long? HighestIdentity { get; set; }
    /// <summary>The OutSystems entity stored in this table (OSSYS_ENTITY.NAME), when known.</summary>
    public string? Entity { get; set; }
    /// <summary>The module (eSpace) that owns the entity, when known.</summary>
    public string? Module { get; set; }
    /// <summary>False when the platform marks the entity as deleted (the table stays).</summary>
    public bool? EntityIsActive { get; set; }

    public ColumnSnapshot? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed class ColumnSnapshot
{
    public string Name { get; set; } = "";
    /// <summary>Type name as the engine declares it (nvarchar, int, decimal; INTEGER, TEXT on SQLite).</summary>
    public string DataType { get; set; } = "";
    /// <summary>Length in characters (or bytes for binary); -1 for max; null when not applicable.</summary>
    public int? MaxLength { get; set; }
    public int? Precision { get; set; }
    public int? Scale { get; set; }
    public bool IsNullable { get; set; }
    public bool IsIdentity { get; set; }
    /// <summary>The OutSystems attribute stored in this column (OSSYS_ENTITY_ATTR.NAME), when known.</summary>
    public string? Attribute { get; set; }
    public bool? AttributeIsActive { get; set; }

    /// <summary>The declaration as a DBA reads it: nvarchar(50), decimal(37,8), int.</summary>
    public string Definition
    {
        get
        {
            var type = DataType;
            if (MaxLength is int length) type += length == -1 ? "(max)" : $"({length})";
            else if (Precision is int p && Scale is int s) type += $"({p},{s})";
            return type + (IsNullable ? " NULL" : " NOT NULL");
        }
    }
}

public sealed class IndexSnapshot
{
    public string Name { get; set; } = "";
    public List<string> Columns { get; set; } = new();
    public bool IsUnique { get; set; }
    public bool IsPrimaryKey { get; set; }
}

public sealed class ForeignKeySnapshot
{
    public string? Name { get; set; }
    public List<string> Columns { get; set; } = new();
    public string ReferencedTable { get; set; } = "";
    public List<string> ReferencedColumns { get; set; } = new();
}

/// <summary>What <see cref="SchemaSnapshotReader.Capture"/> reads.</summary>
public sealed class SchemaCaptureOptions
{
    /// <summary>Physical table name patterns (* and ? wildcards); default OSUSR_*.</summary>
    public IReadOnlyList<string> TablePatterns { get; init; } = ["OSUSR_*"];
    /// <summary>Count the rows of each table (SQLite: COUNT(*); SQL Server: partition metadata).</summary>
    public bool IncludeRowCounts { get; init; } = true;
    /// <summary>Read the OSSYS_ENTITY / OSSYS_ENTITY_ATTR / OSSYS_ESPACE mapping when present.</summary>
    public bool IncludeEntityMapping { get; init; } = true;
}
