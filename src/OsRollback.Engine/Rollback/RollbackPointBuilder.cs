using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Modules;
using OsRollback.Engine.Rollback.Planning;
using OsRollback.Engine.Rollback.Ports;
using OsRollback.Engine.Database;

namespace OsRollback.Engine.Rollback;

/// <summary>What New-OsRollbackPoint asks for.</summary>
public sealed class RollbackPointRequest
{
    public required string Environment { get; init; }

    /// <summary>Application names; empty = every application of the environment.</summary>
    public IReadOnlyList<string> Applications { get; init; } = [];
    public required DatabaseTarget Database { get; init; }
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
/// manifest. A failure leaves no half rollback point behind.
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
        var database = RollbackPorts.Require(_ports.Database, "the database service", "-SqlInstance/-Database or -SqlitePath");
        var schema = RollbackPorts.Require(_ports.Schema, "the schema snapshot service", "-SqlInstance/-Database or -SqlitePath");
        var graphSource = RollbackPorts.Require(_ports.ModuleGraph, "the module graph reader", "-SqlInstance/-Database or -SqlitePath");
        const string activity = "New-OsRollbackPoint";
        void Step(int percent, string status)
        {
            reporter.Progress(new ProgressUpdate(activity, status, percent));
            reporter.Verbose(status);
        }

        Step(0, $"Reading what runs in {request.Environment}.");
        var environments = await platform.GetEnvironmentsAsync(cancellationToken).ConfigureAwait(false);
        var environment = PlatformEnvironments.Find(environments, request.Environment);
        PlatformLimits.EnsureBackupPossible(environment, request.Database.DisplayName);
        var running = await platform.GetRunningApplicationsAsync(environment.Name, cancellationToken).ConfigureAwait(false);
        var selected = SelectApplications(running, request.Applications);
        var factory = RollbackPointFactoryBackups.Compose(request);
        DatabaseIdentity? identity = null;
        if (_ports.DatabaseIdentity is { } identities)
        {
            Step(5, $"Checking that {request.Database.DisplayName} is the platform database of {environment.Name}.");
            var published = await identities.ReadPublishedModulesAsync(request.Database, cancellationToken).ConfigureAwait(false);
            RollbackPointDatabaseCheck.EnsurePlatformDatabaseOf(environment.Name, request.Database, running, published);
            identity = await identities.ReadIdentityAsync(request.Database, cancellationToken).ConfigureAwait(false);
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
                Database = RollbackDatabaseInfo.From(request.Database),
                DatabaseIdentity = identity,
                Applications = selected.Select(ToState).ToList(),
            };

            Step(10, $"Backing up {request.Database.DisplayName} (full, verified).");
            var backup = await database.BackupAsync(request.Database, Path.Combine(folder, "database"), "pre-deploy", reporter, cancellationToken).ConfigureAwait(false);
            if (!backup.Verified)
            {
                throw new OsRollbackException("BackupNotVerified", OsErrorCategory.InvalidResult,
                    $"The backup of {request.Database.DisplayName} did not verify.", request.Database.DisplayName,
                    "Check the backup location and the database, then take the rollback point again.");
            }
            manifest.Backup = new RollbackBackupInfo { Path = Relative(folder, backup.Path), TakenAt = backup.TakenAt, Verified = true };
            manifest.Files.Add(Describe(folder, RollbackFileRoles.Backup, backup.Path));
            if (_ports.FastRevert is { } fastRevert)
            {
                Step(30, $"Creating the snapshot and the marked transaction of {request.Database.DisplayName} where the server allows it.");
                manifest.FastRevert = await fastRevert.CreateAtRollbackPointAsync(request.Database, backup, reporter, cancellationToken).ConfigureAwait(false);
                if (manifest.FastRevert?.SnapshotName is { } snapshot)
                    reporter.Warning($"The snapshot {snapshot} grows by every page changed in {request.Database.DisplayName} until it is dropped with this rollback point (Remove-OsRollbackPoint); keep free space on its volume.");
            }

            if (factory.WithApplicationTables.Count > 1)
                Step(38, $"Backing up the {factory.WithApplicationTables.Count - 1} other catalogs with application tables (full, verified).");
            // Every catalog or none: a failure here removes the whole point (catch below).
            await RollbackPointFactoryBackups.BackupCatalogsAsync(factory, manifest, folder, database, _ports.DatabaseIdentity,
                (role, path) => Describe(folder, role, path), reporter, cancellationToken).ConfigureAwait(false);

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

            Step(65, "Reading the module dependency graph.");
            var graph = await graphSource.ReadAsync(request.Database, reporter, cancellationToken).ConfigureAwait(false);
            var graphPath = Path.Combine(folder, "module-graph.json");
            ModuleGraphJson.WriteFile(graphPath, graph, $"{environment.Name} ({request.Database.DisplayName})", now);
            manifest.Files.Add(Describe(folder, RollbackFileRoles.ModuleGraph, graphPath));
            manifest.ModuleCount = graph.Count;

            Step(80, "Capturing the schema of the application tables (OSUSR_*).");
            var snapshotPath = Path.Combine(folder, "schema-snapshot.json");
            manifest.SchemaTableCount = await schema.CaptureAsync(request.Database, snapshotPath, reporter, cancellationToken).ConfigureAwait(false);
            manifest.Files.Add(Describe(folder, RollbackFileRoles.SchemaSnapshot, snapshotPath));

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
