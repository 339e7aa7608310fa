using System.Data.Common;
using System.Security;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Data;

/// <summary>Where a database lives: a SQL Server database or a SQLite file.</summary>
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

/// <summary>
/// A SQL Server database. The password travels as a <see cref="SecureString"/> through
/// <see cref="SqlCredential"/>, never inside a connection string.
/// </summary>
public sealed class SqlServerTarget : DatabaseTarget
{
    public SqlServerTarget(string sqlInstance, string database, string? userName = null, SecureString? password = null)
    {
        if (string.IsNullOrWhiteSpace(sqlInstance)) throw new ArgumentException("A SQL Server instance is required.", nameof(sqlInstance));
        SqlInstance = sqlInstance;
        Database = database ?? "master";
        UserName = userName;
        Password = password;
    }

    public string SqlInstance { get; }
    public string Database { get; }
    public string? UserName { get; }
    internal SecureString? Password { get; }

    /// <summary>Seconds to wait for a connection (not for a command).</summary>
    public int ConnectTimeoutSeconds { get; init; } = 15;

    /// <summary>Encrypt the connection (SqlClient's default); turn off only for old servers.</summary>
    public bool Encrypt { get; init; } = true;

    public bool TrustServerCertificate { get; init; }

    public override string DisplayName => $"{SqlInstance}\\{Database}".Replace("\\\\", "\\");
    public override DatabaseEngineKind Engine => DatabaseEngineKind.SqlServer;

    /// <summary>The same server, another database (master for BACKUP/RESTORE, msdb for history).</summary>
    public SqlServerTarget WithDatabase(string database) =>
        new(SqlInstance, database, UserName, Password)
        {
            ConnectTimeoutSeconds = ConnectTimeoutSeconds,
            Encrypt = Encrypt,
            TrustServerCertificate = TrustServerCertificate,
        };

    internal string BuildConnectionString()
    {
        var builder = new SqlConnectionStringBuilder
        {
            DataSource = SqlInstance,
            InitialCatalog = Database,
            ConnectTimeout = ConnectTimeoutSeconds,
            Encrypt = Encrypt ? SqlConnectionEncryptOption.Mandatory : SqlConnectionEncryptOption.Optional,
            TrustServerCertificate = TrustServerCertificate,
            ApplicationName = "OsRollback",
            IntegratedSecurity = UserName is null,
        };
        return builder.ConnectionString;
    }

    public override DbConnection OpenConnection()
    {
        var connection = new SqlConnection(BuildConnectionString());
        if (UserName is not null && Password is not null)
        {
            var password = Password.Copy();
            password.MakeReadOnly();
            connection.Credential = new SqlCredential(UserName, password);
        }
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception ex) when (ex is SqlException or InvalidOperationException)
        {
            connection.Dispose();
            throw new OsRollbackException(
                "DatabaseUnreachable",
                OsErrorCategory.ConnectionError,
                $"Cannot connect to SQL Server '{SqlInstance}', database '{Database}': {ex.Message}",
                DisplayName,
                "Check -SqlInstance and -Database, that the server accepts connections from this machine, and -SqlCredential.",
                ex);
        }
    }
}

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
