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
