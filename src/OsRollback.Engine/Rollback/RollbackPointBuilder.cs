using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;

namespace OsRollback.Engine.Rollback;

/// <summary>What New-OsRollbackPoint asks for.</summary>
public sealed class RollbackPointRequest
{
    public required string Environment { get; init; }

    /// <summary>Application names; empty = every application of the environment.</summary>
    public IReadOnlyList<string> Applications { get; init; } = [];
    /// <summary>The platform database; null only for an environment whose platform database OsRollback cannot capture (Oracle).</summary>
    public DatabaseTarget? Database { get; init; }
    public string? Description { get; init; }
    public bool SkipSolutionPackage { get; init; }

    /// <summary>The other catalogs eSpaces are bound to: backed up with the platform database and restored with it.</summary>
    public IReadOnlyList<DatabaseTarget> Catalogs { get; init; } = [];

    /// <summary>The separate log database, recorded only to say that a rollback never touches it.</summary>
    public DatabaseTarget? LoggingDatabase { get; init; }

    /// <summary>The session database, recorded only to say that a rollback never touches it.</summary>
    public DatabaseTarget? SessionDatabase { get; init; }
    public string CreatedBy { get; init; } = $"{System.Environment.UserName}@{System.Environment.MachineName}";
}

/// <summary>
/// Takes a rollback point: a verified full backup, the running versions, the solution package
/// (SHA-256), the module graph and a schema snapshot, written to a new catalog folder with a
/// manifest. A failure leaves no half rollback point behind. On an Oracle platform database, given
/// no database, it captures the versions and the package only and records why the database was not.
/// </summary>
public sealed class RollbackPointBuilder
{
    private readonly RollbackCatalog _catalog;
    private readonly RollbackPorts _ports;
    private readonly TimeProvider _time;

    public RollbackPointBuilder(RollbackCatalog catalog, RollbackPorts ports, TimeProvider? time = null)
    {
        _catalog = catalog;
        _ports = ports;
        _time = time ?? TimeProvider.System;
    }

    public async Task<RollbackPoint> CreateAsync(RollbackPointRequest request, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        var platform = RollbackPorts.Require(_ports.Platform, "a LifeTime connection", "-Connection (Connect-OsLifeTime)");
        const string activity = "New-OsRollbackPoint";
        void Step(int percent, string status)
        {
            reporter.Progress(new ProgressUpdate(activity, status, percent));
            reporter.Verbose(status);
        }

        Step(0, $"Reading what runs in {request.Environment}.");
        var environments = await platform.GetEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        var environment = PlatformEnvironments.Find(environments, request.Environment);
        var notCaptured = PlatformLimits.DatabaseNotCaptured(environment, request.Database, request.Catalogs);
        var running = await platform.GetRunningApplicationsAsync(environment.Name, cancellationToken).ConfigureAwait(false);
        var selected = SelectApplications(running, request.Applications);
        var target = notCaptured is null ? RequireDatabase(request.Database) : null;
        var factory = target is null ? null : RollbackPointFactoryBackups.Compose(request, target);
        (IRollbackDatabase Database, ISchemaSnapshotter Schema, IModuleGraphSource Graph)? services = target is null ? null : RequireDatabaseServices();
        DatabaseIdentity? identity = null;
        if (target is not null && _ports.DatabaseIdentity is { } identities)
        {
            Step(5, $"Checking that {target.DisplayName} is the platform database of {environment.Name}.");
            var published = await identities.ReadPublishedModulesAsync(target, cancellationToken).ConfigureAwait(false);
            RollbackPointDatabaseCheck.EnsurePlatformDatabaseOf(environment.Name, target, running, published);
            identity = await identities.ReadIdentityAsync(target, cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var (id, folder) = _catalog.NewFolder(environment.Name, now);
        try
        {
            var manifest = new RollbackPointManifest
            {
                Id = id,
                Environment = environment.Name,
                CreatedAt = now,
                CreatedBy = request.CreatedBy,
                Description = request.Description,
                RequestedApplications = request.Applications.ToList(),
                Database = target is null ? new RollbackDatabaseInfo { DisplayName = "not captured" } : RollbackDatabaseInfo.From(target),
                DatabaseNotCaptured = notCaptured,
                DatabaseIdentity = identity,
                Applications = selected.Select(ToState).ToList(),
            };

            if (target is not null)
                await CaptureDatabaseAsync(target, factory!, services!.Value.Database, manifest, folder, Step, reporter, cancellationToken).ConfigureAwait(false);
            else
                RecordDatabaseNotCaptured(manifest, notCaptured!, reporter);

            if (request.SkipSolutionPackage)
            {
                manifest.Skipped[RollbackFileRoles.SolutionPackage] = "not asked for (-SkipSolutionPackage)";
            }
            else
            {
                Step(45, $"Downloading the solution package of {selected.Count} applications.");
                var package = Path.Combine(folder, "solution.osp");
                try
                {
                    await platform.DownloadSolutionPackageAsync(environment.Name, selected.Select(a => a.Key).ToList(), package, reporter, cancellationToken).ConfigureAwait(false);
                    manifest.Files.Add(Describe(folder, RollbackFileRoles.SolutionPackage, package));
                }
                catch (OsRollbackException ex)
                {
                    reporter.Warning($"The solution package was not captured: {ex.Message} The Solution strategy will not be available for this rollback point.");
                    manifest.Skipped[RollbackFileRoles.SolutionPackage] = ex.Message;
                    if (File.Exists(package)) File.Delete(package);
                }
            }

            if (target is not null)
                await CaptureGraphAndSchemaAsync(target, services!.Value.Schema, services.Value.Graph, manifest, folder, Step, reporter, cancellationToken).ConfigureAwait(false);

            var point = RollbackCatalog.Save(folder, manifest);
            Step(100, $"Rollback point {id} written to {folder}.");
            reporter.Progress(new ProgressUpdate(activity, "Done", 100, Completed: true));
            return point;
        }
        catch
        {
            reporter.Verbose($"Removing the incomplete rollback point folder {folder}.");
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>The services that capture the database, checked before anything is written.</summary>
    private (IRollbackDatabase Database, ISchemaSnapshotter Schema, IModuleGraphSource Graph) RequireDatabaseServices() => (
        RollbackPorts.Require(_ports.Database, "the database service", "-SqlInstance/-Database or -SqlitePath"),
        RollbackPorts.Require(_ports.Schema, "the schema snapshot service", "-SqlInstance/-Database or -SqlitePath"),
        RollbackPorts.Require(_ports.ModuleGraph, "the module graph reader", "-SqlInstance/-Database or -SqlitePath"));

    private async Task CaptureDatabaseAsync(DatabaseTarget target, FactoryDatabases factory, IRollbackDatabase database, RollbackPointManifest manifest, string folder,
        Action<int, string> Step, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        Step(10, $"Backing up {target.DisplayName} (full, verified).");
        var backup = await database.BackupAsync(target, Path.Combine(folder, "database"), "pre-deploy", reporter, cancellationToken).ConfigureAwait(false);
        if (!backup.Verified)
        {
            throw new OsRollbackException("BackupNotVerified", OsErrorCategory.InvalidResult,
                $"The backup of {target.DisplayName} did not verify.", target.DisplayName,
                "Check the backup location and the database, then take the rollback point again.");
        }
        manifest.Backup = new RollbackBackupInfo { Path = Relative(folder, backup.Path), TakenAt = backup.TakenAt, Verified = true };
        manifest.Files.Add(Describe(folder, RollbackFileRoles.Backup, backup.Path));
        if (_ports.FastRevert is { } fastRevert)
        {
            Step(30, $"Creating the snapshot and the marked transaction of {target.DisplayName} where the server allows it.");
            manifest.FastRevert = await fastRevert.CreateAtRollbackPointAsync(target, backup, reporter, cancellationToken).ConfigureAwait(false);
            if (manifest.FastRevert?.SnapshotName is { } snapshot)
                reporter.Warning($"The snapshot {snapshot} grows by every page changed in {target.DisplayName} until it is dropped with this rollback point (Remove-OsRollbackPoint); keep free space on its volume.");
        }

        if (factory.WithApplicationTables.Count > 1)
            Step(38, $"Backing up the {factory.WithApplicationTables.Count - 1} other catalogs with application tables (full, verified).");
        // Every catalog or none: a failure here removes the whole point (catch below).
        await RollbackPointFactoryBackups.BackupCatalogsAsync(factory, manifest, folder, database, _ports.DatabaseIdentity,
            (role, path) => Describe(folder, role, path), reporter, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CaptureGraphAndSchemaAsync(DatabaseTarget target, ISchemaSnapshotter schema, IModuleGraphSource graphSource, RollbackPointManifest manifest, string folder,
        Action<int, string> Step, IOperationReporter reporter, CancellationToken cancellationToken)
    {
        Step(65, "Reading the module dependency graph.");
        var graph = await graphSource.ReadAsync(target, reporter, cancellationToken).ConfigureAwait(false);
        var graphPath = Path.Combine(folder, "module-graph.json");
        ModuleGraphJson.WriteFile(graphPath, graph, $"{manifest.Environment} ({target.DisplayName})", manifest.CreatedAt);
        manifest.Files.Add(Describe(folder, RollbackFileRoles.ModuleGraph, graphPath));
        manifest.ModuleCount = graph.Count;

        Step(80, "Capturing the schema of the application tables (OSUSR_*).");
        var snapshotPath = Path.Combine(folder, "schema-snapshot.json");
        manifest.SchemaTableCount = await schema.CaptureAsync(target, snapshotPath, reporter, cancellationToken).ConfigureAwait(false);
        manifest.Files.Add(Describe(folder, RollbackFileRoles.SchemaSnapshot, snapshotPath));
    }

    /// <summary>Says in the manifest, per part, that the database was not captured and why, for the planner and Test-OsRollbackPoint.</summary>
    private static void RecordDatabaseNotCaptured(RollbackPointManifest manifest, string reason, IOperationReporter reporter)
    {
        reporter.Warning($"The platform database was not captured: {reason}");
        foreach (var role in new[] { RollbackFileRoles.Backup, RollbackFileRoles.ModuleGraph, RollbackFileRoles.SchemaSnapshot })
            manifest.Skipped[role] = reason;
    }

    private static DatabaseTarget RequireDatabase(DatabaseTarget? database) => database ?? throw new DatabaseParametersRequiredException(
        "A rollback point needs the platform database: its verified backup, module graph and schema snapshot.", null,
        "Give -SqlInstance and -Database (SQL Server) or -SqlitePath (SQLite).");

    internal static IReadOnlyList<RunningApplication> SelectApplications(IReadOnlyList<RunningApplication> running, IReadOnlyList<string> names)
    {
        if (names.Count == 0 || names.Any(n => n is "*" || string.Equals(n, "all", StringComparison.OrdinalIgnoreCase))) return running;
        var unknown = names.Where(n => !running.Any(a => string.Equals(a.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            var known = running.Select(a => a.Name).ToList();
            var parts = unknown.Select(n =>
            {
                var close = NameSuggestions.Closest(n, known, 3);
                return close.Count == 0 ? $"'{n}'" : $"'{n}' (did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?)";
            });
            throw new OsRollbackException("UnknownApplication", OsErrorCategory.ObjectNotFound,
                $"No application named {string.Join("; ", parts)} runs in the environment.", unknown.ToArray(),
                "Check -Application (names are matched without regard to case), or omit it to capture all applications.");
        }
        return running.Where(a => names.Any(n => string.Equals(a.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    internal static RollbackApplicationState ToState(RunningApplication app) => new()
    {
        Key = app.Key,
        Name = app.Name,
        VersionKey = app.VersionKey,
        Version = app.Version,
        Url = app.Url,
        Kind = app.Kind,
        Modules = app.Modules.Select(m => new RollbackModuleState { Key = m.Key, Name = m.Name, Kind = m.Kind, VersionKey = m.VersionKey }).ToList(),
    };

    private static RollbackFileInfo Describe(string folder, string role, string path)
    {
        if (!File.Exists(path))
        {
            throw new OsRollbackException("RollbackPointFileMissing", OsErrorCategory.InvalidResult,
                $"The {role} file '{path}' was not written.", path, "Check the free space and permissions of the catalog folder.");
        }
        return new RollbackFileInfo { Role = role, Path = Relative(folder, path), SizeBytes = new FileInfo(path).Length, Sha256 = RollbackJson.Sha256OfFile(path) };
    }

    private static string Relative(string folder, string path) => Path.GetRelativePath(folder, Path.GetFullPath(path)).Replace('\\', '/');
}
