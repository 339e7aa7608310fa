using Microsoft.Data.Sqlite;

namespace OsRollback.Engine.Tests.Support;

/// <summary>
/// Builds a small SQLite database with the OSSYS_* tables the metamodel reader uses, as the
/// platform contract describes them (only the columns the engine reads, plus IS_ACTIVE).
/// </summary>
public sealed class PlatformDatabaseBuilder : IDisposable
{
    private const string Schema = """
        CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT, IS_ACTIVE INTEGER NOT NULL, IS_SYSTEM INTEGER NOT NULL DEFAULT 0, VERSION_ID INTEGER);
        CREATE TABLE OSSYS_ESPACE_VERSION (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER NOT NULL);
        CREATE TABLE OSSYS_EXTENSION (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT, IS_ACTIVE INTEGER NOT NULL, VERSION_ID INTEGER);
        CREATE TABLE OSSYS_MODULE (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER, EXTENSION_ID INTEGER);
        CREATE TABLE OSSYS_ESPACE_REFERENCE (ID INTEGER PRIMARY KEY, CONSUMER_VERSION_ID INTEGER NOT NULL, PRODUCER_NAME TEXT NOT NULL, PRODUCER_KIND TEXT, PUBLISHED_PROD_VERSION_ID INTEGER);
        CREATE TABLE OSSYS_APPLICATION (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, KEY TEXT, IS_ACTIVE INTEGER NOT NULL);
        CREATE TABLE OSSYS_APP_DEFINITION_MODULE (ID INTEGER PRIMARY KEY, APPLICATION_ID INTEGER NOT NULL, MODULE_ID INTEGER NOT NULL);
        """;

    private readonly SqliteConnection _connection;
    private int _nextId = 1;

    public PlatformDatabaseBuilder(string path)
    {
        Path = path;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        _connection.Open();
        Execute(Schema);
    }

    public string Path { get; }

    public int Application(string name, bool active = true)
    {
        var id = _nextId++;
        Execute("INSERT INTO OSSYS_APPLICATION (ID, NAME, KEY, IS_ACTIVE) VALUES ($id, $name, $key, $active)",
            ("$id", id), ("$name", name), ("$key", Guid.NewGuid().ToString()), ("$active", active ? 1 : 0));
        return id;
    }

    /// <summary>Adds an eSpace with a published version that references the given producers.</summary>
    public void ESpace(string name, int? applicationId, bool active = true, params (string Name, string Kind)[] producers)
    {
        var id = _nextId++;
        var versionId = _nextId++;
        var moduleId = _nextId++;
        Execute("INSERT INTO OSSYS_ESPACE (ID, NAME, SS_KEY, IS_ACTIVE, VERSION_ID) VALUES ($id, $name, $key, $active, $version)",
            ("$id", id), ("$name", name), ("$key", Guid.NewGuid().ToString()), ("$active", active ? 1 : 0), ("$version", versionId));
        Execute("INSERT INTO OSSYS_ESPACE_VERSION (ID, ESPACE_ID) VALUES ($v, $e)", ("$v", versionId), ("$e", id));
        // An older version with a stale reference, which must not count.
        var oldVersion = _nextId++;
        Execute("INSERT INTO OSSYS_ESPACE_VERSION (ID, ESPACE_ID) VALUES ($v, $e)", ("$v", oldVersion), ("$e", id));
        Execute("INSERT INTO OSSYS_ESPACE_REFERENCE (CONSUMER_VERSION_ID, PRODUCER_NAME, PRODUCER_KIND) VALUES ($v, 'Removed_Long_Ago', 'eSpace')", ("$v", oldVersion));
        foreach (var (producer, kind) in producers)
            Execute("INSERT INTO OSSYS_ESPACE_REFERENCE (CONSUMER_VERSION_ID, PRODUCER_NAME, PRODUCER_KIND) VALUES ($v, $p, $k)", ("$v", versionId), ("$p", producer), ("$k", kind));
        Execute("INSERT INTO OSSYS_MODULE (ID, ESPACE_ID) VALUES ($m, $e)", ("$m", moduleId), ("$e", id));
        if (applicationId is int app)
            Execute("INSERT INTO OSSYS_APP_DEFINITION_MODULE (APPLICATION_ID, MODULE_ID) VALUES ($a, $m)", ("$a", app), ("$m", moduleId));
    }

    public void Extension(string name, int? applicationId)
    {
        var id = _nextId++;
        var moduleId = _nextId++;
        Execute("INSERT INTO OSSYS_EXTENSION (ID, NAME, SS_KEY, IS_ACTIVE, VERSION_ID) VALUES ($id, $name, $key, 1, $v)",
            ("$id", id), ("$name", name), ("$key", Guid.NewGuid().ToString()), ("$v", _nextId++));
        Execute("INSERT INTO OSSYS_MODULE (ID, EXTENSION_ID) VALUES ($m, $x)", ("$m", moduleId), ("$x", id));
        if (applicationId is int app)
            Execute("INSERT INTO OSSYS_APP_DEFINITION_MODULE (APPLICATION_ID, MODULE_ID) VALUES ($a, $m)", ("$a", app), ("$m", moduleId));
    }

    public void Close() => _connection.Dispose();

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
