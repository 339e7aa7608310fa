using System.Data.Common;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Data;

/// <summary>
/// Where a database lives. Each engine's target is in its folder (<c>Database/SqlServer/SqlServerTarget</c>,
/// <c>Database/Sqlite/SqliteTarget</c>); code outside the engine folders asks the target's provider, not its type.
/// </summary>
public abstract class DatabaseTarget
{
    /// <summary>A display name that holds no secret (server\database or the file path).</summary>
    public abstract string DisplayName { get; }

    /// <summary>The engine this target runs on.</summary>
    public abstract DatabaseEngineKind Engine { get; }

    /// <summary>Opens a connection, turning connection failures into an <see cref="OsRollbackException"/>.</summary>
    public abstract DbConnection OpenConnection();

    public override string ToString() => DisplayName;
}

public enum DatabaseEngineKind { SqlServer, Sqlite }
