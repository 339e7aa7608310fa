using System.Data.Common;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// Reads the shape of a database's tables from the engine's own catalog (SQL Server: the sys views; SQLite:
/// sqlite_master and the pragma table functions), read only. The OutSystems entity mapping on top is the
/// same SQL on every engine (<c>Schema/SchemaSnapshotReader</c>).
/// </summary>
public interface ISchemaReader
{
    /// <summary>A connection that cannot change the database (SQLite: never creates a missing file).</summary>
    DbConnection OpenReadOnly(DatabaseTarget target);

    /// <summary>
    /// The tables <see cref="SchemaCaptureOptions.Includes"/> names, in name order, with columns, keys, indexes,
    /// foreign keys, the highest identity handed out and (with <see cref="SchemaCaptureOptions.IncludeRowCounts"/>) row counts.
    /// Throws the engine's <see cref="DbException"/> when the catalog cannot be read.
    /// </summary>
    List<TableSnapshot> ReadTables(DbConnection connection, SchemaCaptureOptions options);
}
