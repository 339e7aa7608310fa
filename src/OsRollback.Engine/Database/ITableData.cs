using System.Data.Common;
using OsRollback.Engine.Data;

namespace OsRollback.Engine.Database;

/// <summary>
/// What comparing, exporting and importing application rows needs from an engine: its quoting and
/// literals, the statements it writes (ordered reads, transactions, identity insert, schema clean-up),
/// read-only connections, which database a recorded name is, and where an import's safety backup
/// goes. One implementation per engine (<c>SqlServer/</c>, <c>Sqlite/</c>); the drift code asks the
/// provider for it and never asks which engine it has.
/// </summary>
public interface ITableData
{
    /// <summary>A delimited identifier (a name with any character, its closing quote doubled).</summary>
    string Quote(string identifier);

    /// <summary>A table name, schema-qualified where the engine has schemas (its default schema when none is known).</summary>
    string QuoteTable(string? schema, string table);

    /// <summary>A value as a SQL literal, for scripts a DBA reviews (values travel as parameters everywhere else).</summary>
    string Literal(object? value);

    /// <summary>The statement that opens a transaction in a script ("BEGIN TRANSACTION;").</summary>
    string BeginTransaction { get; }

    /// <summary>The statement that commits it ("COMMIT TRANSACTION;").</summary>
    string CommitTransaction { get; }

    /// <summary>
    /// The statement (without a semicolon) that lets explicit values into a table's identity column
    /// (<paramref name="on"/>) or stops it again; null when the engine writes explicit keys as they are.
    /// </summary>
    string? IdentityInsert(string? schema, string table, bool on);

    /// <summary>Every row of <paramref name="columns"/>, ordered by <paramref name="key"/> in code point order (as the streaming merge expects).</summary>
    string SelectOrdered(string? schema, string table, IReadOnlyList<string> columns, IReadOnlyList<KeyColumn> key);

    /// <summary>Drops an index of a table.</summary>
    string DropIndex(string index, string? schema, string table);

    /// <summary>The statements that drop a column (with what must go first); <paramref name="number"/> keeps their variables apart in one script.</summary>
    IReadOnlyList<string> DropColumn(string? schema, string table, string column, int number);

    /// <summary>A connection that reads the target and never creates or changes it.</summary>
    DbConnection OpenReadOnly(DatabaseTarget target);

    /// <summary>True when <paramref name="recordedName"/> (a name recorded in a file or a rollback point) is the database <paramref name="target"/> reaches.</summary>
    bool IsSameDatabase(DatabaseTarget target, string recordedName);

    /// <summary>A backup file this engine wrote, as a database read in place; null when it must be restored before its rows can be read.</summary>
    DatabaseTarget? BackupAsDatabase(string backupFile);

    /// <summary>
    /// True when a backup is a file this machine writes into a folder it names (an import's safety
    /// backup then goes beside the delta); false when the server writes it into its own backup folder.
    /// </summary>
    bool BackupsAreLocalFiles { get; }

    /// <summary>The file name of the safety backup taken before an import at <paramref name="now"/>.</summary>
    string SafetyBackupFileName(DatabaseTarget target, DateTimeOffset now);

    /// <summary>A backup file someone gave as the safety backup of <paramref name="target"/>, as the safety check reads it.</summary>
    BackupResult GivenSafetyBackup(DatabaseTarget target, string file);

    /// <summary>Set differences of two databases computed by the engine itself; null when it cannot (rows are then merged as they stream).</summary>
    ISetDifference? SetDifference { get; }
}

/// <summary>A key column of an ordered read: its name and what decides its order (type, identity); <see cref="DataType"/> null when the column is unknown.</summary>
public sealed record KeyColumn(string Name, string? DataType, bool IsIdentity = false);

/// <summary>
/// Two databases compared inside the engine: the reference is attached to the current database's
/// (read-only) connection, and each side's rows missing from the other are selected, ordered by key.
/// </summary>
public interface ISetDifference
{
    /// <summary>Attaches <paramref name="reference"/> to <paramref name="current"/> (once per connection).</summary>
    void Attach(DbConnection current, DatabaseTarget reference);

    /// <summary>One set difference of a table, key columns first, every value compared in binary, ordered by key.</summary>
    string ExceptQuery(string table, IReadOnlyList<string> columns, int keyCount, bool fromReference);
}
