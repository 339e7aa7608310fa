using System.Data.Common;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Diagnostics;

// The target lives in its engine's folder; its namespace stays Data, where every caller and script already finds it.
namespace OsRollback.Engine.Data;

/// <summary>A SQLite database file (the sandbox's platform database, drills and tests).</summary>
public sealed class SqliteTarget : DatabaseTarget
{
    public SqliteTarget(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("A SQLite file path is required.", nameof(path));
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }
    public override string DisplayName => Path;
    public override DatabaseEngineKind Engine => DatabaseEngineKind.Sqlite;

    /// <summary>Read-only connections refuse to create a missing file.</summary>
    public DbConnection OpenConnection(SqliteOpenMode mode)
    {
        ThrowIfNotSqlite(Path);
        if (mode != SqliteOpenMode.ReadWriteCreate && !File.Exists(Path))
        {
            throw new OsRollbackException(
                "DatabaseFileNotFound",
                OsErrorCategory.ObjectNotFound,
                $"The SQLite database '{Path}' does not exist.",
                Path,
                "Check the path given to -SqlitePath.");
        }
        var connection = new SqliteConnection(BuildConnectionString(mode));
        try
        {
            connection.Open();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new OsRollbackException(
                "DatabaseUnreachable",
                OsErrorCategory.ConnectionError,
                $"Cannot open the SQLite database '{Path}': {ex.Message}",
                Path,
                "Check that the file is a SQLite database and that it is not locked by another process.",
                ex);
        }
    }

    public override DbConnection OpenConnection() => OpenConnection(SqliteOpenMode.ReadWrite);

    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>
    /// SQLite opens any file lazily and fails only at the first query with a raw SqliteException:
    /// a file that is neither empty nor starts with the SQLite header is refused up front.
    /// </summary>
    private static void ThrowIfNotSqlite(string path)
    {
        if (Directory.Exists(path))
        {
            throw new OsRollbackException("NotASqliteDatabase", OsErrorCategory.InvalidArgument,
                $"'{path}' is a folder, not a SQLite database file.", path, "Give -SqlitePath the database file itself.");
        }
        if (!File.Exists(path)) return;
        var header = new byte[SqliteHeader.Length];
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return; // the open below reports locks and permissions as it always has
        }
        if (read == 0 || header.AsSpan(0, read).SequenceEqual(SqliteHeader.AsSpan(0, read)) && read == header.Length) return;
        throw new OsRollbackException("NotASqliteDatabase", OsErrorCategory.InvalidData,
            $"'{path}' is not a SQLite database (it does not start with the SQLite header).", path,
            "Check the path given to -SqlitePath: it must name the platform database file (for the sandbox, platform.db in its data directory).");
    }

    internal string BuildConnectionString(SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = Path, Mode = mode, Pooling = false }.ConnectionString;
}
