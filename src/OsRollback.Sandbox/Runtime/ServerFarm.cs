using Microsoft.Data.Sqlite;
using OsRollback.Sandbox.Data;
using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Runtime;

/// <summary>
/// The application servers of each environment, as OutSystems' platform-database restore procedure
/// sees them (docs-support restore-database.md). Their IIS and OutSystems services can be stopped
/// (the applications and Service Center answer 503) and started again. Each publish stamps the
/// platform database with a generation (SQLite user_version) that the servers remember as deployed;
/// a database restored from an older backup carries an older stamp, and publishing is refused until
/// the Configuration Tool is applied on the deployment controller (which also leaves every module
/// with pending settings, refused for publishing until they are applied). Publishing wakes the
/// module's timers scheduled "When Published" (docs-product class-timer.md).
/// </summary>
public sealed class ServerFarm
{
    private sealed class Servers
    {
        public bool Stopped;
        public long DeployedGeneration;
        public bool PendingSettings;
        public List<string> Operations { get; } = [];
    }

    private readonly Dictionary<string, Servers> _byEnvironment = new(StringComparer.OrdinalIgnoreCase);
    private readonly Catalog _catalog;

    public ServerFarm(Catalog catalog, IReadOnlyDictionary<string, PlatformDatabase> databases)
    {
        _catalog = catalog;
        foreach (var environment in catalog.Environments)
            _byEnvironment[environment.Key] = new Servers { DeployedGeneration = Generation(databases[environment.Key].Path) };
    }

    /// <summary>The environment whose stopped servers answer this path (an application page or Service Center), if any.</summary>
    public EnvironmentDef? StoppedFor(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0) return null;
        var environment = segments[0].Equals("ServiceCenter", StringComparison.OrdinalIgnoreCase)
            ? _catalog.Environments.FirstOrDefault(e => e.Slug.Equals("production", StringComparison.OrdinalIgnoreCase))
            : _catalog.Environments.FirstOrDefault(e => e.Slug.Equals(segments[0], StringComparison.OrdinalIgnoreCase));
        return environment is not null && _byEnvironment[environment.Key].Stopped ? environment : null;
    }

    /// <summary>Why Service Center refuses to publish in this environment now (null: it publishes).</summary>
    public string? PublishRefusal(EnvironmentDef environment, PlatformDatabase database)
    {
        var servers = _byEnvironment[environment.Key];
        if (Generation(database.Path) < servers.DeployedGeneration)
            return "The platform database is older than what the servers deployed (it was restored): apply the Configuration Tool settings on the deployment controller, then on each front-end, before publishing.";
        if (servers.PendingSettings)
            return "Modules have pending settings: apply the pending settings of all modules before publishing.";
        return null;
    }

    public void Stop(EnvironmentDef environment, string server) => Record(environment, s => s.Stopped = true, $"stop {server}");

    public void Start(EnvironmentDef environment, string server) => Record(environment, s => s.Stopped = false, $"start {server}");

    /// <summary>The Configuration Tool applied on a server: on the deployment controller it installs Service Center over the database as it is now; services restart.</summary>
    public void Configure(EnvironmentDef environment, PlatformDatabase database, string server, bool deploymentController) => Record(environment, s =>
    {
        if (deploymentController)
        {
            if (Generation(database.Path) != s.DeployedGeneration) s.PendingSettings = true;
            s.DeployedGeneration = Generation(database.Path);
        }
        s.Stopped = false;
    }, $"configure {server}{(deploymentController ? " (deployment controller)" : "")}");

    public void ApplySettings(EnvironmentDef environment, string server) => Record(environment, s => s.PendingSettings = false, $"apply-settings {server}");

    /// <summary>After a publish: stamps the database with the next generation, which the servers deployed, and wakes the published modules' When Published timers.</summary>
    public void Published(EnvironmentDef environment, PlatformDatabase database, IEnumerable<string> moduleNames, DateTime now)
    {
        var servers = _byEnvironment[environment.Key];
        using var connection = Open(database.Path);
        var next = Math.Max(Generation(connection), servers.DeployedGeneration) + 1;
        Execute(connection, $"PRAGMA user_version = {next}");
        servers.DeployedGeneration = next;
        foreach (var name in moduleNames)
        {
            foreach (var table in new[] { "OSSYS_CYCLIC_JOB_SHARED", "OSSYS_CYCLIC_JOB" })
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"""
                    UPDATE {table} SET NEXT_RUN = $now WHERE META_CYCLIC_JOB_ID IN (
                      SELECT m.ID FROM OSSYS_META_CYCLIC_JOB m JOIN OSSYS_ESPACE e ON e.ID = m.ESPACE_ID
                      WHERE e.NAME = $name AND m.IS_ACTIVE = 1 AND m.DEFAULT_SCHEDULE LIKE '%When Published%')
                    """;
                command.Parameters.AddWithValue("$now", now.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue("$name", name);
                command.ExecuteNonQuery();
            }
        }
    }

    public object Describe(EnvironmentDef environment, PlatformDatabase database)
    {
        var s = _byEnvironment[environment.Key];
        return new
        {
            environment = environment.Name,
            stopped = s.Stopped,
            configurationRequired = Generation(database.Path) < s.DeployedGeneration,
            pendingSettings = s.PendingSettings,
            deployedGeneration = s.DeployedGeneration,
            databaseGeneration = Generation(database.Path),
            operations = s.Operations.ToList(),
        };
    }

    public bool IsStopped(EnvironmentDef environment) => _byEnvironment[environment.Key].Stopped;

    private void Record(EnvironmentDef environment, Action<Servers> change, string operation)
    {
        var servers = _byEnvironment[environment.Key];
        change(servers);
        servers.Operations.Add(operation);
    }

    private static long Generation(string path)
    {
        using var connection = Open(path);
        return Generation(connection);
    }

    private static long Generation(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
