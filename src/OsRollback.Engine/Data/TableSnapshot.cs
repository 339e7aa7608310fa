namespace OsRollback.Engine.Data;

// The tables of a schema snapshot: what an engine's schema reader (Database.ISchemaReader) returns, below
// the snapshot itself (Schema/SchemaSnapshot), so the database layer needs nothing above it.

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

/// <summary>What a schema capture reads (<c>Schema/SchemaSnapshotReader</c> over the provider's <see cref="Database.ISchemaReader"/>).</summary>
public sealed class SchemaCaptureOptions
{
    /// <summary>Physical table name patterns (* and ? wildcards); default OSUSR_*.</summary>
    public IReadOnlyList<string> TablePatterns { get; init; } = ["OSUSR_*"];
    /// <summary>Count the rows of each table (SQLite: COUNT(*); SQL Server: partition metadata).</summary>
    public bool IncludeRowCounts { get; init; } = true;
    /// <summary>Read the OSSYS_ENTITY / OSSYS_ENTITY_ATTR / OSSYS_ESPACE mapping when present.</summary>
    public bool IncludeEntityMapping { get; init; } = true;

    /// <summary>Whether a physical table name is one of <see cref="TablePatterns"/>.</summary>
    public bool Includes(string table) => NamePatterns.MatchesAny(table, TablePatterns);
}
