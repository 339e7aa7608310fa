using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database.Sqlite;

/// <summary>A SQLite database is a file: recorded by its path, compared as the file system compares paths.</summary>
internal sealed class SqliteAddresses : IDatabaseAddresses
{
    public string EngineName => "SQLite";

    public bool DatabasesAreFiles => true;

    public StringComparison NameComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public DatabaseAddress AddressOf(DatabaseTarget target)
    {
        var file = SqliteProvider.File(target);
        return new(DatabaseEngineKind.Sqlite, file.DisplayName, File: file.Path);
    }

    /// <summary>The recorded file; a file has no server to take a login from.</summary>
    public DatabaseTarget? TargetAt(DatabaseAddress address, DatabaseTarget? server = null) =>
        string.IsNullOrEmpty(address.File) ? null : new SqliteTarget(address.File);

    /// <summary>The path only: a catalog has no OSSYS_* tables to fingerprint, and its own tables change with every deploy.</summary>
    public DatabaseIdentity? CatalogIdentity(DatabaseTarget catalog) => new(DatabaseEngineKind.Sqlite, "", SqliteProvider.File(catalog).Path, null, null, null);

    public FactoryDatabaseTargets FactoryDatabases(DatabaseTarget platform, IReadOnlyList<string> catalogNames, IReadOnlyList<string> catalogPaths, string? logging, string? session)
    {
        SqliteProvider.File(platform);
        if (catalogNames.Count > 0) throw FactoryDatabaseAddresses.Mismatch("-CatalogDatabase", "a SQLite platform database (-SqlitePath)", "Give the catalog files with -CatalogSqlitePath.");
        return new(catalogPaths.Select(p => (DatabaseTarget)new SqliteTarget(p)).ToList(),
            logging is null ? null : new SqliteTarget(logging), session is null ? null : new SqliteTarget(session));
    }
}
