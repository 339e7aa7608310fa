using System.Data.Common;
using System.Security;
using Microsoft.Data.SqlClient;
using OsRollback.Engine.Diagnostics;

// The target lives in its engine's folder; its namespace stays Data, where every caller and script already finds it.
namespace OsRollback.Engine.Data;

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
