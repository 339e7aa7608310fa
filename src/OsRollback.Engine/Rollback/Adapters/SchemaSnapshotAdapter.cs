using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Rollback.Adapters;

/// <summary><see cref="ISchemaSnapshotter"/> over <see cref="SchemaSnapshotReader"/> and <see cref="SchemaSnapshotFile"/>.</summary>
public sealed class SchemaSnapshotAdapter : ISchemaSnapshotter
{
    public Task<int> CaptureAsync(DatabaseTarget target, string filePath, IOperationReporter reporter, CancellationToken cancellationToken) =>
        CallerThread.Run(() =>
        {
            var snapshot = SchemaSnapshotReader.Capture(target, null, reporter);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(filePath))!);
            SchemaSnapshotFile.Write(filePath, snapshot);
            return snapshot.Tables.Count;
        }, cancellationToken);
}
