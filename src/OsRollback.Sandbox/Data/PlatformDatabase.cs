using System.Globalization;
using Microsoft.Data.Sqlite;
using OsRollback.Sandbox.Model;

namespace OsRollback.Sandbox.Data;

/// <summary>What runs in one environment, read from its platform database.</summary>
public sealed class RunningState
{
    /// <summary>Published module version number (Service Center's) by module key.</summary>
    public Dictionary<string, int> ModuleVersions { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Published application version key by application key.</summary>
    public Dictionary<string, string> AppVersions { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// One environment's SQLite platform database: the OSSYS_* tables of the contract and the
/// OSUSR_* application tables. Every operation opens its own connection with pooling off and
/// closes it, so OsRollback can back up or restore the file while the sandbox runs, and the
/// sandbox sees a restored file at the next request.
/// Publishing never drops a table or a column: an entity or attribute that the published
/// version no longer has is marked IS_ACTIVE = 0, as the platform does.
/// </summary>
public sealed class PlatformDatabase
{
    public const string Schema = """
        CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT NOT NULL, DESCRIPTION TEXT, IS_ACTIVE INTEGER NOT NULL DEFAULT 1, IS_SYSTEM INTEGER NOT NULL DEFAULT 0, VERSION_ID INTEGER);
        CREATE TABLE OSSYS_ESPACE_VERSION (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER NOT NULL, VERSION INTEGER NOT NULL, SS_KEY TEXT, HASH TEXT, LABEL TEXT, UPLOADED_DATE TEXT, UPLOADED_BY TEXT);
        CREATE TABLE OSSYS_EXTENSION (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL DEFAULT 1, VERSION_ID INTEGER);
        CREATE TABLE OSSYS_EXTENSION_VERSION (ID INTEGER PRIMARY KEY, EXTENSION_ID INTEGER NOT NULL, VERSION INTEGER NOT NULL, SS_KEY TEXT, HASH TEXT, LABEL TEXT, UPLOADED_DATE TEXT, UPLOADED_BY TEXT);
        CREATE TABLE OSSYS_MODULE (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER, EXTENSION_ID INTEGER);
        CREATE TABLE OSSYS_ESPACE_REFERENCE (ID INTEGER PRIMARY KEY, CONSUMER_VERSION_ID INTEGER NOT NULL, PRODUCER_NAME TEXT NOT NULL, PRODUCER_KIND TEXT, PUBLISHED_PROD_VERSION_ID INTEGER);
        CREATE TABLE OSSYS_APPLICATION (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, KEY TEXT NOT NULL, DESCRIPTION TEXT, URL_PATH TEXT, IS_ACTIVE INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE OSSYS_APP_DEFINITION_MODULE (ID INTEGER PRIMARY KEY, APPLICATION_ID INTEGER NOT NULL, MODULE_ID INTEGER NOT NULL);
        CREATE TABLE OSSYS_SOLUTION (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT, DESCRIPTION TEXT, APPLICATION_ID INTEGER, IS_ACTIVE INTEGER NOT NULL DEFAULT 1, PUBLISHED_VERSION_ID INTEGER);
        CREATE TABLE OSSYS_SOLUTION_VERSION (ID INTEGER PRIMARY KEY, SOLUTION_ID INTEGER NOT NULL, VERSION TEXT NOT NULL, SS_KEY TEXT, CREATED_ON TEXT, CREATED_BY TEXT);
        CREATE TABLE OSSYS_ENTITY (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT, PHYSICAL_TABLE_NAME TEXT NOT NULL, ESPACE_ID INTEGER NOT NULL, IS_ACTIVE INTEGER NOT NULL, IS_SYSTEM INTEGER NOT NULL DEFAULT 0, IS_EXTERNAL INTEGER NOT NULL DEFAULT 0, DATA_KIND TEXT);
        CREATE TABLE OSSYS_ENTITY_ATTR (ID INTEGER PRIMARY KEY, ENTITY_ID INTEGER NOT NULL, NAME TEXT NOT NULL, SS_KEY TEXT, DATABASE_NAME TEXT NOT NULL, TYPE TEXT NOT NULL, IS_IDENTIFIER INTEGER NOT NULL DEFAULT 0, IS_AUTONUMBER INTEGER NOT NULL DEFAULT 0, IS_MANDATORY INTEGER NOT NULL DEFAULT 0, LENGTH INTEGER, IS_ACTIVE INTEGER NOT NULL);
        CREATE TABLE OSSYS_META_CYCLIC_JOB (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER NOT NULL, NAME TEXT NOT NULL, SS_KEY TEXT, DEFAULT_SCHEDULE TEXT, IS_ACTIVE INTEGER NOT NULL, IS_SHARED INTEGER NOT NULL DEFAULT 1, TIMEOUT INTEGER);
        CREATE TABLE OSSYS_CYCLIC_JOB_SHARED (ID INTEGER PRIMARY KEY, META_CYCLIC_JOB_ID INTEGER NOT NULL, SCHEDULE TEXT, NEXT_RUN TEXT, LAST_RUN TEXT, IS_RUNNING_SINCE TEXT, IS_RUNNING_BY TEXT);
        CREATE TABLE OSSYS_CYCLIC_JOB (ID INTEGER PRIMARY KEY, META_CYCLIC_JOB_ID INTEGER NOT NULL, TENANT_ID INTEGER NOT NULL, SCHEDULE TEXT, NEXT_RUN TEXT, LAST_RUN TEXT, IS_RUNNING_SINCE TEXT, IS_RUNNING_BY TEXT);
        CREATE TABLE OSSYS_BPM_PROCESS_STATUS (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL);
        INSERT INTO OSSYS_BPM_PROCESS_STATUS (ID, NAME) VALUES (1, 'Active'), (2, 'Closed'), (3, 'Suspended'), (4, 'Terminated');
        CREATE TABLE OSSYS_BPM_PROCESS_DEFINITION (ID INTEGER PRIMARY KEY, ESPACE_ID INTEGER NOT NULL, NAME TEXT NOT NULL, SS_KEY TEXT, IS_ACTIVE INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE OSSYS_BPM_PROCESS (ID INTEGER PRIMARY KEY, LABEL TEXT, PROCESS_DEF_ID INTEGER NOT NULL, PARENT_PROCESS_ID INTEGER, TOP_PROCESS_ID INTEGER, STATUS_ID INTEGER NOT NULL, CREATED TEXT, LAST_MODIFIED TEXT);
        """;

    private readonly Catalog _catalog;

    public PlatformDatabase(string path, Catalog catalog, EnvironmentDef environment)
    {
        Path = path;
        _catalog = catalog;
        Environment = environment;
    }

    public string Path { get; }
    public EnvironmentDef Environment { get; }

    public static string FormatDate(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = 30 }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Creates the file with the seeded state: tags published in order up to the environment's initial tag, data and timers.</summary>
    public void Create(DateTime now)
    {
        using (var connection = Open())
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, Schema);
            var id = 1;
            foreach (var app in _catalog.Apps)
            {
                var appId = id++;
                Execute(connection, "INSERT INTO OSSYS_APPLICATION (ID, NAME, KEY, DESCRIPTION, URL_PATH, IS_ACTIVE) VALUES ($id, $name, $key, $d, $u, 1)",
                    ("$id", appId), ("$name", app.Name), ("$key", app.Key), ("$d", app.Description), ("$u", app.UrlPath));
                Execute(connection, "INSERT INTO OSSYS_SOLUTION (NAME, SS_KEY, DESCRIPTION, APPLICATION_ID, IS_ACTIVE) VALUES ($name, $key, $d, $a, 1)",
                    ("$name", app.Name), ("$key", app.Key), ("$d", "Application " + app.Name), ("$a", appId));
                foreach (var module in app.Modules)
                {
                    var objectId = id++;
                    var moduleId = id++;
                    if (module.IsExtension)
                    {
                        Execute(connection, "INSERT INTO OSSYS_EXTENSION (ID, NAME, SS_KEY, IS_ACTIVE) VALUES ($id, $n, $k, 1)", ("$id", objectId), ("$n", module.Name), ("$k", module.Key));
                        Execute(connection, "INSERT INTO OSSYS_MODULE (ID, EXTENSION_ID) VALUES ($m, $x)", ("$m", moduleId), ("$x", objectId));
                    }
                    else
                    {
                        Execute(connection, "INSERT INTO OSSYS_ESPACE (ID, NAME, SS_KEY, DESCRIPTION, IS_ACTIVE, IS_SYSTEM) VALUES ($id, $n, $k, $d, 1, 0)",
                            ("$id", objectId), ("$n", module.Name), ("$k", module.Key), ("$d", module.Name + " of " + app.Name));
                        Execute(connection, "INSERT INTO OSSYS_MODULE (ID, ESPACE_ID) VALUES ($m, $e)", ("$m", moduleId), ("$e", objectId));
                    }
                    Execute(connection, "INSERT INTO OSSYS_APP_DEFINITION_MODULE (APPLICATION_ID, MODULE_ID) VALUES ($a, $m)", ("$a", appId), ("$m", moduleId));
                }
            }
            tx.Commit();
        }
        var initial = SeedFactory.InitialTagIndex(Environment);
        for (var i = 0; i <= initial; i++)
        {
            var versions = _catalog.Apps.Select(a => a.Versions[i]).ToList();
            Publish(versions.SelectMany(v => v.ModuleVersions), versions, _catalog.Apps[0].Versions[i].CreatedOn.AddHours(Environment.Order));
        }
        SeedData(now);
        SeedProcesses(now);
        using (var connection = Open())
        {
            using var tx = connection.BeginTransaction();
            foreach (var timer in _catalog.Modules.SelectMany(m => m.Timers))
            {
                if (timer.Tenants is null)
                    Execute(connection, "INSERT INTO OSSYS_CYCLIC_JOB_SHARED (META_CYCLIC_JOB_ID, SCHEDULE, NEXT_RUN, LAST_RUN) SELECT ID, DEFAULT_SCHEDULE, $next, $last FROM OSSYS_META_CYCLIC_JOB WHERE SS_KEY = $k",
                        ("$next", FormatDate(now + Interval(timer.Schedule))), ("$last", FormatDate(now)), ("$k", timer.Key));
                // Tenants get different next runs, so a resume that mixed them up would show.
                else foreach (var tenant in timer.Tenants)
                    Execute(connection, "INSERT INTO OSSYS_CYCLIC_JOB (META_CYCLIC_JOB_ID, TENANT_ID, SCHEDULE, NEXT_RUN, LAST_RUN) SELECT ID, $t, DEFAULT_SCHEDULE, $next, $last FROM OSSYS_META_CYCLIC_JOB WHERE SS_KEY = $k",
                        ("$t", tenant), ("$next", FormatDate(now + Interval(timer.Schedule) + TimeSpan.FromMinutes(tenant))), ("$last", FormatDate(now)), ("$k", timer.Key));
            }
            tx.Commit();
        }
    }

    /// <summary>
    /// Orders' business processes with instances in flight (Active, Suspended) and ended ones
    /// (Closed, Terminated), so a plan that rolls Orders back can name them.
    /// </summary>
    private void SeedProcesses(DateTime now)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        foreach (var (name, key, statuses) in new[]
        {
            ("OrderFulfilment", "bpm-order-fulfilment", new[] { 1, 1, 1, 3, 2, 2 }),
            ("OrderApproval", "bpm-order-approval", new[] { 1, 1, 4 }),
            ("OrderArchive", "bpm-order-archive", new[] { 2 }),
        })
        {
            Execute(connection, "INSERT INTO OSSYS_BPM_PROCESS_DEFINITION (ESPACE_ID, NAME, SS_KEY, IS_ACTIVE) SELECT ID, $n, $k, 1 FROM OSSYS_ESPACE WHERE NAME = 'Orders_BL'",
                ("$n", name), ("$k", key));
            foreach (var status in statuses)
                Execute(connection, "INSERT INTO OSSYS_BPM_PROCESS (LABEL, PROCESS_DEF_ID, STATUS_ID, CREATED, LAST_MODIFIED) SELECT $n, ID, $s, $c, $c FROM OSSYS_BPM_PROCESS_DEFINITION WHERE SS_KEY = $k",
                    ("$n", name), ("$s", status), ("$c", FormatDate(now)), ("$k", key));
        }
        Execute(connection, "UPDATE OSSYS_BPM_PROCESS SET TOP_PROCESS_ID = ID");
        tx.Commit();
    }

    /// <summary>
    /// Publishes module versions and sets the published application versions: explicit ones
    /// first, otherwise the tag whose module versions all run now (an application whose modules
    /// match no tag keeps its base version and shows as modified).
    /// </summary>
    public void Publish(IEnumerable<ModuleVersionDef> moduleVersions, IEnumerable<AppVersionDef> appVersions, DateTime now)
    {
        var modules = moduleVersions.ToList();
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        foreach (var version in modules) PublishModule(connection, version, now);
        var explicitApps = appVersions.ToList();
        foreach (var appVersion in explicitApps) SetAppVersion(connection, appVersion, now);
        var touched = modules.Select(m => m.Module.App).Distinct().Where(a => explicitApps.All(v => v.App != a)).ToList();
        if (touched.Count > 0)
        {
            var running = ReadModuleVersions(connection);
            foreach (var app in touched)
            {
                var match = app.Versions.LastOrDefault(v => v.ModuleVersions.All(mv => running.TryGetValue(mv.Module.Key, out var n) && n == mv.Number));
                if (match is not null) SetAppVersion(connection, match, now);
            }
        }
        tx.Commit();
    }

    /// <summary>
    /// The scheduler: runs every active timer whose NEXT_RUN has come and that is not running
    /// (IS_RUNNING_SINCE empty): sets LAST_RUN, moves NEXT_RUN on by its schedule and writes an
    /// OSUSR_AUD_AUDIT_LOG row ("Timer &lt;name&gt; ran"). A timer whose NEXT_RUN was moved far
    /// away (Suspend-OsTimer) therefore does not run. Returns the names of the timers that ran.
    /// </summary>
    public List<string> RunDueTimers(DateTime now)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        var due = new List<(string Table, long Id, string Name, string Schedule)>();
        using (var command = connection.CreateCommand())
        {
            // Shared timers and the per-tenant rows of multi-tenant modules' timers.
            command.CommandText = """
                SELECT 'OSSYS_CYCLIC_JOB_SHARED', s.ID, m.NAME, COALESCE(s.SCHEDULE, m.DEFAULT_SCHEDULE, '') FROM OSSYS_CYCLIC_JOB_SHARED s
                JOIN OSSYS_META_CYCLIC_JOB m ON m.ID = s.META_CYCLIC_JOB_ID
                WHERE m.IS_ACTIVE = 1 AND s.IS_RUNNING_SINCE IS NULL AND s.NEXT_RUN IS NOT NULL AND s.NEXT_RUN <= $now
                UNION ALL
                SELECT 'OSSYS_CYCLIC_JOB', t.ID, m.NAME, COALESCE(t.SCHEDULE, m.DEFAULT_SCHEDULE, '') FROM OSSYS_CYCLIC_JOB t
                JOIN OSSYS_META_CYCLIC_JOB m ON m.ID = t.META_CYCLIC_JOB_ID
                WHERE m.IS_ACTIVE = 1 AND m.IS_SHARED = 0 AND t.IS_RUNNING_SINCE IS NULL AND t.NEXT_RUN IS NOT NULL AND t.NEXT_RUN <= $now
                """;
            command.Parameters.AddWithValue("$now", FormatDate(now));
            using var reader = command.ExecuteReader();
            while (reader.Read()) due.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
        }
        if (due.Count == 0) return [];
        var audit = TableColumns(connection, "OSUSR_AUD_AUDIT_LOG").Count > 0;
        foreach (var (table, id, name, schedule) in due)
        {
            Execute(connection, $"UPDATE {table} SET LAST_RUN = $now, NEXT_RUN = $next WHERE ID = $id",
                ("$now", FormatDate(now)), ("$next", FormatDate(now + Interval(schedule))), ("$id", id));
            if (audit)
                Execute(connection, "INSERT INTO OSUSR_AUD_AUDIT_LOG (ACTION, USERNAME, DETAILS, CREATED_ON, UPDATED_ON) VALUES ($a, 'scheduler', $d, $now, $now)",
                    ("$a", $"Timer {name} ran"), ("$d", $"Scheduled run of {name} in {Environment.Name}."), ("$now", FormatDate(now)));
        }
        tx.Commit();
        return due.Select(d => d.Name).ToList();
    }

    /// <summary>The period of a seeded schedule ("every 5 minutes", "every 1 hour", "daily 02:00").</summary>
    public static TimeSpan Interval(string schedule)
    {
        var parts = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 3 && parts[0] == "every" && int.TryParse(parts[1], out var n) && n > 0)
            return parts[2].StartsWith("minute", StringComparison.Ordinal) ? TimeSpan.FromMinutes(n) : TimeSpan.FromHours(n);
        return TimeSpan.FromDays(1);
    }

    public RunningState ReadRunning()
    {
        using var connection = Open();
        var state = new RunningState();
        foreach (var (key, number) in ReadModuleVersions(connection)) state.ModuleVersions[key] = number;
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.KEY, v.SS_KEY FROM OSSYS_APPLICATION a
            JOIN OSSYS_SOLUTION s ON s.APPLICATION_ID = a.ID
            JOIN OSSYS_SOLUTION_VERSION v ON v.ID = s.PUBLISHED_VERSION_ID
            WHERE a.IS_ACTIVE = 1
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read()) state.AppVersions[reader.GetString(0)] = reader.GetString(1);
        return state;
    }

    /// <summary>Versions of one module present in this environment (Service Center's Module_GetVersions).</summary>
    public List<(int Version, string CreatedOn, string Hash, string Key)> ModuleVersionRows(ModuleDef module)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = module.IsExtension
            ? "SELECT v.VERSION, v.UPLOADED_DATE, v.HASH, v.SS_KEY FROM OSSYS_EXTENSION_VERSION v JOIN OSSYS_EXTENSION x ON x.ID = v.EXTENSION_ID WHERE x.SS_KEY = $k ORDER BY v.VERSION"
            : "SELECT v.VERSION, v.UPLOADED_DATE, v.HASH, v.SS_KEY FROM OSSYS_ESPACE_VERSION v JOIN OSSYS_ESPACE e ON e.ID = v.ESPACE_ID WHERE e.SS_KEY = $k ORDER BY v.VERSION";
        command.Parameters.AddWithValue("$k", module.Key);
        using var reader = command.ExecuteReader();
        var rows = new List<(int, string, string, string)>();
        while (reader.Read()) rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return rows;
    }

    private static Dictionary<string, int> ReadModuleVersions(SqliteConnection connection)
    {
        var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.SS_KEY, v.VERSION FROM OSSYS_ESPACE e JOIN OSSYS_ESPACE_VERSION v ON v.ID = e.VERSION_ID WHERE e.IS_ACTIVE = 1
            UNION ALL
            SELECT x.SS_KEY, v.VERSION FROM OSSYS_EXTENSION x JOIN OSSYS_EXTENSION_VERSION v ON v.ID = x.VERSION_ID WHERE x.IS_ACTIVE = 1
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read()) result[reader.GetString(0)] = reader.GetInt32(1);
        return result;
    }

    private static void SetAppVersion(SqliteConnection connection, AppVersionDef version, DateTime now)
    {
        var solutionId = Convert.ToInt64(Scalar(connection, "SELECT ID FROM OSSYS_SOLUTION WHERE SS_KEY = $k", ("$k", version.App.Key)));
        var versionId = Scalar(connection, "SELECT ID FROM OSSYS_SOLUTION_VERSION WHERE SOLUTION_ID = $s AND SS_KEY = $k", ("$s", solutionId), ("$k", version.Key));
        if (versionId is null)
        {
            Execute(connection, "INSERT INTO OSSYS_SOLUTION_VERSION (SOLUTION_ID, VERSION, SS_KEY, CREATED_ON, CREATED_BY) VALUES ($s, $v, $k, $c, 'lifetime')",
                ("$s", solutionId), ("$v", version.Tag), ("$k", version.Key), ("$c", FormatDate(now)));
            versionId = Scalar(connection, "SELECT last_insert_rowid()");
        }
        Execute(connection, "UPDATE OSSYS_SOLUTION SET PUBLISHED_VERSION_ID = $v WHERE ID = $s", ("$v", versionId!), ("$s", solutionId));
    }

    private void PublishModule(SqliteConnection connection, ModuleVersionDef version, DateTime now)
    {
        var module = version.Module;
        var (table, versionTable, fk) = module.IsExtension ? ("OSSYS_EXTENSION", "OSSYS_EXTENSION_VERSION", "EXTENSION_ID") : ("OSSYS_ESPACE", "OSSYS_ESPACE_VERSION", "ESPACE_ID");
        var objectId = Convert.ToInt64(Scalar(connection, $"SELECT ID FROM {table} WHERE SS_KEY = $k", ("$k", module.Key)));
        var versionId = Scalar(connection, $"SELECT ID FROM {versionTable} WHERE {fk} = $o AND SS_KEY = $k", ("$o", objectId), ("$k", version.Key));
        var isNew = versionId is null;
        if (isNew)
        {
            Execute(connection, $"INSERT INTO {versionTable} ({fk}, VERSION, SS_KEY, HASH, LABEL, UPLOADED_DATE, UPLOADED_BY) VALUES ($o, $n, $k, $h, $l, $d, 'lifetime')",
                ("$o", objectId), ("$n", version.Number), ("$k", version.Key), ("$h", version.Hash), ("$l", version.Tag), ("$d", FormatDate(version.CreatedOn)));
            versionId = Scalar(connection, "SELECT last_insert_rowid()");
        }
        Execute(connection, $"UPDATE {table} SET VERSION_ID = $v, IS_ACTIVE = 1 WHERE ID = $o", ("$v", versionId!), ("$o", objectId));
        if (module.IsExtension) return;
        if (isNew)
        {
            foreach (var producer in module.Producers)
            {
                var producerDef = _catalog.ModuleByName(producer);
                var kind = producerDef?.Kind ?? "eSpace";
                var producerVersion = producerDef is null ? null : Scalar(connection,
                    producerDef.IsExtension ? "SELECT VERSION_ID FROM OSSYS_EXTENSION WHERE SS_KEY = $k" : "SELECT VERSION_ID FROM OSSYS_ESPACE WHERE SS_KEY = $k", ("$k", producerDef.Key));
                Execute(connection, "INSERT INTO OSSYS_ESPACE_REFERENCE (CONSUMER_VERSION_ID, PRODUCER_NAME, PRODUCER_KIND, PUBLISHED_PROD_VERSION_ID) VALUES ($c, $p, $k, $v)",
                    ("$c", versionId!), ("$p", producer), ("$k", kind), ("$v", producerVersion ?? DBNull.Value));
            }
        }
        foreach (var entity in module.Entities) ApplyEntity(connection, entity, objectId, version.Index);
        foreach (var timer in module.Timers)
        {
            var active = timer.Since <= version.Index ? 1 : 0;
            if (Scalar(connection, "SELECT ID FROM OSSYS_META_CYCLIC_JOB WHERE SS_KEY = $k", ("$k", timer.Key)) is null)
            {
                if (active == 1)
                    Execute(connection, "INSERT INTO OSSYS_META_CYCLIC_JOB (ESPACE_ID, NAME, SS_KEY, DEFAULT_SCHEDULE, IS_ACTIVE, IS_SHARED, TIMEOUT) VALUES ($e, $n, $k, $s, 1, $shared, 20)",
                        ("$e", objectId), ("$n", timer.Name), ("$k", timer.Key), ("$s", timer.Schedule), ("$shared", timer.Tenants is null ? 1 : 0));
            }
            else Execute(connection, "UPDATE OSSYS_META_CYCLIC_JOB SET IS_ACTIVE = $a WHERE SS_KEY = $k", ("$a", active), ("$k", timer.Key));
        }
    }

    private static void ApplyEntity(SqliteConnection connection, EntityDef entity, long espaceId, int index)
    {
        var active = entity.Since <= index;
        var entityId = Scalar(connection, "SELECT ID FROM OSSYS_ENTITY WHERE SS_KEY = $k", ("$k", entity.Key));
        if (!active)
        {
            if (entityId is not null) Execute(connection, "UPDATE OSSYS_ENTITY SET IS_ACTIVE = 0 WHERE ID = $id", ("$id", entityId));
            return;
        }
        var columns = TableColumns(connection, entity.Table);
        if (columns.Count == 0)
        {
            var definitions = entity.Attributes.Where(a => a.Since <= index).Select(ColumnDefinition);
            Execute(connection, $"CREATE TABLE {entity.Table} ({string.Join(", ", definitions)})");
        }
        else
        {
            foreach (var attribute in entity.Attributes.Where(a => a.Since <= index && !columns.Contains(a.Column)))
                Execute(connection, $"ALTER TABLE {entity.Table} ADD COLUMN {ColumnDefinition(attribute)}");
        }
        if (entityId is null)
        {
            Execute(connection, "INSERT INTO OSSYS_ENTITY (NAME, SS_KEY, PHYSICAL_TABLE_NAME, ESPACE_ID, IS_ACTIVE, IS_SYSTEM, IS_EXTERNAL, DATA_KIND) VALUES ($n, $k, $t, $e, 1, 0, 0, 'entity')",
                ("$n", entity.Name), ("$k", entity.Key), ("$t", entity.Table), ("$e", espaceId));
            entityId = Scalar(connection, "SELECT last_insert_rowid()");
        }
        else Execute(connection, "UPDATE OSSYS_ENTITY SET IS_ACTIVE = 1 WHERE ID = $id", ("$id", entityId));
        foreach (var attribute in entity.Attributes)
        {
            var attributeActive = attribute.Since <= index ? 1 : 0;
            var attributeId = Scalar(connection, "SELECT ID FROM OSSYS_ENTITY_ATTR WHERE SS_KEY = $k", ("$k", attribute.Key));
            if (attributeId is null)
            {
                if (attributeActive == 1)
                    Execute(connection, "INSERT INTO OSSYS_ENTITY_ATTR (ENTITY_ID, NAME, SS_KEY, DATABASE_NAME, TYPE, IS_IDENTIFIER, IS_AUTONUMBER, IS_MANDATORY, LENGTH, IS_ACTIVE) VALUES ($e, $n, $k, $c, $t, $i, $a, $i, $l, 1)",
                        ("$e", entityId!), ("$n", attribute.Name), ("$k", attribute.Key), ("$c", attribute.Column), ("$t", attribute.Type),
                        ("$i", attribute.IsKey ? 1 : 0), ("$a", attribute.IsAutoNumber ? 1 : 0), ("$l", attribute.Type == "rtText" ? 50 : DBNull.Value));
            }
            else Execute(connection, "UPDATE OSSYS_ENTITY_ATTR SET IS_ACTIVE = $a WHERE ID = $id", ("$a", attributeActive), ("$id", attributeId));
        }
    }

    private static string ColumnDefinition(AttributeDef attribute)
    {
        if (attribute.IsKey && attribute.IsAutoNumber) return $"{attribute.Column} INTEGER PRIMARY KEY AUTOINCREMENT";
        if (attribute.IsKey) return $"{attribute.Column} TEXT NOT NULL PRIMARY KEY";
        var type = attribute.Type switch
        {
            "rtInteger" or "rtLongInteger" or "rtBoolean" => "INTEGER",
            "rtDecimal" => "NUMERIC",
            _ => "TEXT",
        };
        return $"{attribute.Column} {type}";
    }

    public static HashSet<string> TableColumns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table.Replace("'", "''")}')";
        using var reader = command.ExecuteReader();
        var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) result.Add(reader.GetString(0));
        return result;
    }

    private void SeedData(DateTime now)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        var random = new Random(_catalog.Seed);
        foreach (var entity in _catalog.Modules.SelectMany(m => m.Entities))
        {
            var columns = TableColumns(connection, entity.Table);
            if (columns.Count == 0) continue;
            for (var i = 1; i <= entity.SeedRows; i++)
                InsertRow(connection, entity, columns, random, i, FirstRowTime(i), null);
        }
        tx.Commit();
        DateTime FirstRowTime(int i) => SeedFactory.FirstTagOn.AddHours(i);
    }

    /// <summary>Inserts one row with generated values into an entity's table; returns its key.</summary>
    public static object InsertRow(SqliteConnection connection, EntityDef entity, HashSet<string> columns, Random random, int ordinal, DateTime when, string? discountCode)
    {
        var names = new List<string>();
        var values = new List<object>();
        foreach (var attribute in entity.Attributes)
        {
            if (!columns.Contains(attribute.Column) || attribute.IsAutoNumber) continue;
            names.Add(attribute.Column);
            values.Add(Value(connection, entity, attribute, random, ordinal, when, discountCode));
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {entity.Table} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < values.Count; i++) command.Parameters.AddWithValue("$p" + i, values[i]);
        command.ExecuteNonQuery();
        return entity.Identity ? Scalar(connection, "SELECT last_insert_rowid()")! : values[names.IndexOf("CODE")];
    }

    private static object Value(SqliteConnection connection, EntityDef entity, AttributeDef attribute, Random random, int ordinal, DateTime when, string? discountCode)
    {
        if (attribute.IsKey) return entity.Name switch
        {
            "Country" => new[] { "PT", "US", "DE", "FR", "BR", "JP", "NL", "ES" }[(ordinal - 1) % 8] + (ordinal > 8 ? ordinal.ToString(CultureInfo.InvariantCulture) : ""),
            "OrderStatus" => new[] { "NEW", "PAID", "SHIPPED", "CLOSED" }[(ordinal - 1) % 4] + (ordinal > 4 ? ordinal.ToString(CultureInfo.InvariantCulture) : ""),
            _ => $"{entity.Name.ToUpperInvariant()[..3]}{ordinal:000}",
        };
        if (attribute.ReferencesTable is { } referenced)
        {
            var keyColumn = TableColumns(connection, referenced).Contains("ID") ? "ID" : "CODE";
            var key = Scalar(connection, $"SELECT {keyColumn} FROM {referenced} ORDER BY {keyColumn} LIMIT 1 OFFSET $o",
                ("$o", random.Next(0, Math.Max(1, Convert.ToInt32(Scalar(connection, $"SELECT COUNT(*) FROM {referenced}"))))));
            return key ?? DBNull.Value;
        }
        if (attribute.Column is "CREATED_ON" or "UPDATED_ON") return FormatDate(when);
        if (attribute.Column == "DISCOUNT_CODE") return (object?)discountCode ?? DBNull.Value;
        if (attribute.Column == "EMAIL") return $"customer{ordinal}@example.test";
        return attribute.Type switch
        {
            "rtInteger" or "rtLongInteger" => random.Next(1, 20),
            "rtBoolean" => random.Next(0, 2),
            "rtDecimal" => Math.Round(random.NextDouble() * 500 + 5, 2),
            "rtDateTime" => FormatDate(when.AddDays(random.Next(0, 30))),
            _ => $"{entity.Name} {ordinal} {attribute.Name}",
        };
    }

    public static object? Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }
}
