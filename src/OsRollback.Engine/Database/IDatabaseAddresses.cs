using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Database;

/// <summary>
/// How an engine's databases are written down and found again: what a rollback point records of a
/// target (never a secret), the target a record names, how names compare, and where the other
/// databases of a factory (catalogs, logging, session) live beside the platform database.
/// </summary>
public interface IDatabaseAddresses
{
    /// <summary>The engine's name in messages ("SQL Server", "SQLite").</summary>
    string EngineName { get; }

    /// <summary>The databases and their backups are files this machine reads itself, with no server in between (SQLite).</summary>
    bool DatabasesAreFiles { get; }

    /// <summary>How two display names of this engine's databases compare (file paths are case-sensitive off Windows).</summary>
    StringComparison NameComparison { get; }

    /// <summary>What is recorded to find <paramref name="target"/> again: server and database, or the file.</summary>
    DatabaseAddress AddressOf(DatabaseTarget target);

    /// <summary>
    /// The database an address names: on <paramref name="server"/>'s instance and with its credential when
    /// <paramref name="server"/> is of this engine and the engine names databases on a server, else with
    /// integrated authentication (no password is recorded). Null when the address is incomplete.
    /// </summary>
    DatabaseTarget? TargetAt(DatabaseAddress address, DatabaseTarget? server = null);

    /// <summary>A catalog's identity when it needs no query (SQLite: its path); null when it is read from the database.</summary>
    DatabaseIdentity? CatalogIdentity(DatabaseTarget catalog);

    /// <summary>
    /// The databases of a factory as New-OsRollbackPoint names them, beside <paramref name="platform"/>: databases on
    /// its instance or files. Names of the other kind are refused (<see cref="FactoryDatabaseAddresses.Mismatch"/>) before anything is written.
    /// </summary>
    FactoryDatabaseTargets FactoryDatabases(DatabaseTarget platform, IReadOnlyList<string> catalogNames, IReadOnlyList<string> catalogPaths, string? logging, string? session);
}

/// <summary>Where a database is, as a rollback point records it: a server and database name, or a file. Holds no secret.</summary>
public sealed record DatabaseAddress(DatabaseEngineKind Engine, string DisplayName, string? Server = null, string? Database = null, string? File = null)
{
    /// <summary>The database's own name, without server or folder (for file names).</summary>
    public string Name => Database ?? System.IO.Path.GetFileNameWithoutExtension(File ?? DisplayName);
}

/// <summary>The databases of a factory as New-OsRollbackPoint names them, turned into targets beside the platform database.</summary>
public sealed record FactoryDatabaseTargets(IReadOnlyList<DatabaseTarget> Catalogs, DatabaseTarget? Logging, DatabaseTarget? Session);

/// <summary>What every engine says when a factory database is named the other engine's way.</summary>
public static class FactoryDatabaseAddresses
{
    public static OsRollbackException Mismatch(string parameter, string platform, string action) =>
        new("CatalogParameterMismatch", OsErrorCategory.InvalidArgument, $"{parameter} does not go with {platform}; nothing was written.", parameter, action);
}
