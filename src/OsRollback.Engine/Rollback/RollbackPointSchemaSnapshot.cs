
using OsRollback.Engine.Schema;

namespace OsRollback.Engine.Rollback;

/// <summary>The schema snapshot of a rollback point, used only after it matched the point's checksums.</summary>
public static class RollbackPointSchemaSnapshot
{
    public static SchemaSnapshot Read(RollbackPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        RollbackPointVerifier.EnsureIntact(point, RollbackFileRoles.SchemaSnapshot);
        var file = point.Manifest.File(RollbackFileRoles.SchemaSnapshot);
        return SchemaSnapshotFile.Read(file is null ? Path.Combine(point.Path, SchemaSnapshotFile.DefaultFileName) : point.FullPath(file.Path));
    }

    /// <summary>The rollback point a snapshot path belongs to (its folder, its rollback-point.json, or the snapshot inside it), or null for a bare snapshot file.</summary>
    public static RollbackPoint? PointOf(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Directory.Exists(full) ? full : Path.GetDirectoryName(full);
        return folder is not null && File.Exists(Path.Combine(folder, RollbackCatalog.ManifestFileName)) ? RollbackCatalog.Load(folder) : null;
    }
}
