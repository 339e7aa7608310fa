using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Rollback.Ports;

/// <summary>
/// Captures the schema of the application tables (OSUSR_*: tables, columns, types, row
/// counts, highest identity values) into a file. Adapter: OsRollback.Engine.Schema
/// (SchemaSnapshotReader.Capture + SchemaSnapshotFile.Write).
/// </summary>
public interface ISchemaSnapshotter
{
    /// <summary>Writes the snapshot of <paramref name="target"/> to <paramref name="filePath"/> and returns the number of tables captured.</summary>
    Task<int> CaptureAsync(DatabaseTarget target, string filePath, IOperationReporter reporter, CancellationToken cancellationToken);
}
