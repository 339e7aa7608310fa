using System.Management.Automation;
using OsRollback.Cmdlets.Parameters;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;

namespace OsRollback.Cmdlets.Infrastructure;

/// <summary>
/// The one database-parameter block of every cmdlet that takes a database, named as dbatools names
/// them: -SqlInstance (any form of <see cref="DatabaseInstanceParameter"/>), -Database,
/// -SqlCredential, -TrustServerCertificate, -ConnectTimeout, or -SqlitePath; and the one way they
/// become the engine's targets. A cmdlet that works on one database uses <see cref="GetDatabaseTarget"/>;
/// the backup cmdlets widen -SqlInstance, -Database and -SqlitePath to arrays taken from the
/// pipeline (Database/DatabaseSafetyCmdlet) and run once per <see cref="NamedTargets"/> item.
/// Cmdlets comparing two databases add the reference's parameters on top.
/// </summary>
public abstract class OsDatabaseCmdlet : OsCmdlet
{
    public const string SqlServerSet = "SqlServer";
    public const string SqliteSet = "Sqlite";

    /// <summary>An instance name, a connection string, or an object naming one (dbatools, SMO).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SqlServerSet)]
    [ValidateNotNull]
    public DatabaseInstanceParameter SqlInstance { get; set; } = null!;

    /// <summary>Optional when -SqlInstance is a connection string or a database object that names it.</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    [Parameter(ParameterSetName = SqlServerSet)]
    [Credential]
    public PSCredential? SqlCredential { get; set; }

    /// <summary>Accept the server certificate without validation (development instances).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    public SwitchParameter TrustServerCertificate { get; set; }

    /// <summary>Seconds to wait for a SQL Server connection (SqlClient keeps retrying a refused one until then).</summary>
    [Parameter(ParameterSetName = SqlServerSet)]
    [ValidateRange(1, 600)]
    public int ConnectTimeout { get; set; } = 15;

    [Parameter(Mandatory = true, ParameterSetName = SqliteSet)]
    [ValidateNotNullOrEmpty]
    public string SqlitePath { get; set; } = "";

    protected bool HasDatabaseTarget => ParameterSetName is SqlServerSet or SqliteSet;

    /// <summary>The instances given to -SqlInstance (one here; the backup cmdlets take several).</summary>
    private protected virtual IReadOnlyList<DatabaseInstanceParameter> GivenInstances => [SqlInstance];

    /// <summary>The databases given to -Database; empty when none was (the instance may name one).</summary>
    private protected virtual IReadOnlyList<string> GivenDatabases => Database is null ? [] : [Database];

    /// <summary>The SQLite files given to -SqlitePath.</summary>
    private protected virtual IReadOnlyList<string> GivenSqlitePaths => [SqlitePath];

    /// <summary>The target named by the bound parameters (DatabaseNameRequired when an instance names no database).</summary>
    protected DatabaseTarget GetDatabaseTarget() => Run(_ => NamedTargets().Single().Target());

    /// <summary>
    /// One item per SQLite file, or per instance x database, each built when its turn comes (so an
    /// instance without a database is that item's DatabaseNameRequired only). An item's instance is
    /// kept so a cmdlet can work on a whole instance when no database is named.
    /// </summary>
    private protected IEnumerable<NamedTarget> NamedTargets()
    {
        if (ParameterSetName == SqliteSet)
            return GivenSqlitePaths.Select(p => new NamedTarget(null, () => new SqliteTarget(GetUnresolvedProviderPathFromPSPath(p))));
        var databases = GivenDatabases.Count > 0 ? GivenDatabases.Select(d => (string?)d).ToArray() : [null];
        return GivenInstances.SelectMany(instance => databases.Select(database =>
            new NamedTarget(database is null && instance.Database is null && !instance.IsSqlite ? instance : null, () => Target(instance, database, null))));
    }

    /// <summary>A database on -SqlInstance or on another instance, with this cmdlet's connection options (reference and base databases).</summary>
    protected DatabaseTarget TargetOn(DatabaseInstanceParameter? instance, string? database, PSCredential? credential) =>
        Run(_ => Target(instance, database, credential));

    private DatabaseTarget Target(DatabaseInstanceParameter? instance, string? database, PSCredential? credential) =>
        DatabaseTargets.From(this, instance ?? SqlInstance, database, credential ?? SqlCredential, TrustServerCertificate.IsPresent, BoundConnectTimeout);

    /// <summary>The instance itself, for work on all its databases (no database is named).</summary>
    private protected DatabaseTarget InstanceTarget(DatabaseInstanceParameter instance) =>
        DatabaseTargets.Instance(instance, SqlCredential, TrustServerCertificate.IsPresent, BoundConnectTimeout);

    /// <summary>The reference (or base) database of a comparison: a second SQLite file, or a database on -SqlInstance or another instance.</summary>
    protected DatabaseTarget ReferenceTarget(string? sqlitePath, DatabaseInstanceParameter? instance, string? database, PSCredential? credential) =>
        ParameterSetName == SqliteSet
            ? new SqliteTarget(GetUnresolvedProviderPathFromPSPath(sqlitePath!))
            : TargetOn(instance, database, credential);

    /// <summary>
    /// A database named beside the target (-LoggingDatabase, -SessionDatabase): beside a SQLite file it is
    /// a path, resolved as PowerShell resolves paths; beside a SQL Server database, a name on its instance.
    /// </summary>
    protected string? BesideTarget(DatabaseTarget target, string? nameOrPath) =>
        nameOrPath is not null && target is SqliteTarget ? GetUnresolvedProviderPathFromPSPath(nameOrPath) : nameOrPath;

    private int? BoundConnectTimeout => MyInvocation.BoundParameters.ContainsKey(nameof(ConnectTimeout)) ? ConnectTimeout : null;
}

/// <summary>One item of a database cmdlet: how to build its target, and the instance when the item names no database.</summary>
internal sealed record NamedTarget(DatabaseInstanceParameter? InstanceWithoutDatabase, Func<DatabaseTarget> Target);

/// <summary>
/// Turns the bound database parameters into the engine's target, in one place for every cmdlet:
/// explicit parameters win over what a connection string says; the password stays a SecureString.
/// </summary>
internal static class DatabaseTargets
{
    private const int DefaultConnectTimeout = 15;

    public static DatabaseTarget From(PSCmdlet cmdlet, DatabaseInstanceParameter instance, string? database, PSCredential? credential, bool trustServerCertificate, int? connectTimeout)
    {
        if (instance.IsSqlite) return new SqliteTarget(cmdlet.GetUnresolvedProviderPathFromPSPath(instance.SqlitePath!));
        var name = database ?? instance.Database
            ?? throw new OsRollbackException("DatabaseNameRequired", OsErrorCategory.InvalidArgument,
                $"No database was named for instance {instance}.", instance.ToString(),
                "Give -Database, or a -SqlInstance connection string with Initial Catalog (Database=...).");
        return SqlServer(instance.SqlInstance!, name, credential, instance, trustServerCertificate, connectTimeout);
    }

    /// <summary>A SQL Server instance as a whole, connected to master (the items that name no database and no SQLite file).</summary>
    public static SqlServerTarget Instance(DatabaseInstanceParameter instance, PSCredential? credential, bool trustServerCertificate, int? connectTimeout) =>
        SqlServer(instance.SqlInstance!, "master", credential, instance, trustServerCertificate, connectTimeout);

    /// <summary>A command only SQL Server has (a T-SQL script, an Azure SQL Database copy): any other target is refused before anything runs.</summary>
    public static SqlServerTarget SqlServerOnly(DatabaseTarget target, string what) => target as SqlServerTarget
        ?? throw new OsRollbackException("SqlServerOnly", OsErrorCategory.InvalidArgument, $"{what} needs a SQL Server database; {target.DisplayName} is not one.", target.DisplayName,
            "Give a SQL Server instance to -SqlInstance, or leave the parameter out for a SQLite database.");

    private static SqlServerTarget SqlServer(string server, string database, PSCredential? credential, DatabaseInstanceParameter given, bool trust, int? timeout) =>
        new(server, database, credential?.UserName ?? given.UserName, credential is null ? given.Password : credential.Password)
        {
            TrustServerCertificate = trust || given.TrustServerCertificate,
            ConnectTimeoutSeconds = timeout ?? given.ConnectTimeout ?? DefaultConnectTimeout,
        };
}
