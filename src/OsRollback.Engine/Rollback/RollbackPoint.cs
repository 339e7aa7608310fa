using OsRollback.Engine.Data;
using OsRollback.Engine.Database;
using OsRollback.Engine.Database.Providers;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Engine.Rollback;

/// <summary>
/// The manifest of a rollback point (rollback-point.json, format version 1): what ran in an
/// environment before a deploy and where the captured files are. Holds no secret: the database
/// is described by server/database or file path only. Paths of files are relative to the
/// rollback point's folder.
/// </summary>
public sealed class RollbackPointManifest
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; set; } = CurrentFormatVersion;
    public string Id { get; set; } = "";
    public string Environment { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The applications asked for (empty = all applications of the environment).</summary>
    public List<string> RequestedApplications { get; set; } = [];
    public RollbackDatabaseInfo Database { get; set; } = new();

    /// <summary>Which database the point was taken from (null in points taken before it was recorded).</summary>
    public Database.DatabaseIdentity? DatabaseIdentity { get; set; }
    public RollbackBackupInfo? Backup { get; set; }

    /// <summary>The other databases with application tables (catalogs eSpaces are bound to), each with its backup; empty in points taken before catalogs were covered.</summary>
    public List<RollbackCatalogDatabaseInfo> Catalogs { get; set; } = [];

    /// <summary>The logging and session databases named when the point was taken: never backed up or restored.</summary>
    public List<RollbackUntouchedDatabaseInfo> NotTouched { get; set; } = [];

    /// <summary>The snapshot and mark of the deploy (SQL Server; null when none was created).</summary>
    public RollbackFastRevertInfo? FastRevert { get; set; }
    public List<RollbackApplicationState> Applications { get; set; } = [];

    /// <summary>Every captured file with its role, size and SHA-256 (Backup, SolutionPackage, ModuleGraph, SchemaSnapshot).</summary>
    public List<RollbackFileInfo> Files { get; set; } = [];

    /// <summary>Why a part was not captured (e.g. the solution package), for the planner to explain.</summary>
    /// <remarks>Keys are matched without regard to case: the manifest JSON writes them camel-cased.</remarks>
    public Dictionary<string, string> Skipped { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Why the platform database was not captured (no backup, schema snapshot or module graph), e.g. it
    /// runs on Oracle; null when it was. Only the strategies that need no database can use such a point.
    /// </summary>
    public string? DatabaseNotCaptured { get; set; }

    public int ModuleCount { get; set; }
    public int SchemaTableCount { get; set; }

    public RollbackFileInfo? File(string role) => Files.FirstOrDefault(f => string.Equals(f.Role, role, StringComparison.OrdinalIgnoreCase));
}

public static class RollbackFileRoles
{
    public const string Backup = "Backup";
    public const string SolutionPackage = "SolutionPackage";
    public const string ModuleGraph = "ModuleGraph";
    public const string SchemaSnapshot = "SchemaSnapshot";

    /// <summary>The role of a catalog's backup: one per catalog, so every backup has its own checksum check.</summary>
    public static string CatalogBackup(string catalogDisplayName) => $"CatalogBackup:{catalogDisplayName}";
}

/// <summary>A captured file: path relative to the rollback point folder.</summary>
public sealed class RollbackFileInfo
{
    public string Role { get; set; } = "";
    public string Path { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Sha256 { get; set; } = "";
}

/// <summary>The database of the environment, described without any secret.</summary>
public sealed class RollbackDatabaseInfo
{
    public DatabaseEngineKind Engine { get; set; }
    public string DisplayName { get; set; } = "";
    public string? SqlInstance { get; set; }
    public string? Database { get; set; }
    public string? SqlitePath { get; set; }

    /// <summary>What is recorded of <paramref name="target"/>: its provider's address of it (an engine no shipped provider serves, by its name only).</summary>
    public static RollbackDatabaseInfo From(DatabaseTarget target)
    {
        if (DatabaseProviders.Default.All.FirstOrDefault(p => p.Handles(target)) is not { } provider)
            return new() { Engine = target.Engine, DisplayName = target.DisplayName };
        var address = provider.Addresses.AddressOf(target);
        return new() { Engine = provider.Kind, DisplayName = address.DisplayName, SqlInstance = address.Server, Database = address.Database, SqlitePath = address.File };
    }

    /// <summary>The recorded address, for the provider of the recorded engine.</summary>
    public DatabaseAddress ToAddress() => new(Engine, DisplayName, SqlInstance, Database, SqlitePath);

    /// <summary>
    /// A target rebuilt from this description: the SQLite file, or the SQL Server database with
    /// integrated authentication (a SQL login must be given again: no password is stored).
    /// </summary>
    public DatabaseTarget? ToTarget() => Addresses.TargetAt(ToAddress());

    /// <summary>True when <paramref name="target"/> is the database this describes.</summary>
    public bool Matches(DatabaseTarget target) => string.Equals(DisplayName, target.DisplayName, Addresses.NameComparison);

    private IDatabaseAddresses Addresses => DatabaseProviders.Default.For(Engine).Addresses;
}

public sealed class RollbackBackupInfo
{
    public string Path { get; set; } = "";
    public DateTimeOffset TakenAt { get; set; }
    public bool Verified { get; set; }
}

public sealed class RollbackApplicationState
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string VersionKey { get; set; } = "";
    public string Version { get; set; } = "";
    public string? Url { get; set; }
    public string? Kind { get; set; }
    public List<RollbackModuleState> Modules { get; set; } = [];
}

public sealed class RollbackModuleState
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string VersionKey { get; set; } = "";
}

/// <summary>
/// A rollback point as users see it (Get-OsRollbackPoint): the manifest plus where it lives.
/// Properties are named for binding by property name (-RollbackPoint takes the object, an Id or a Path).
/// </summary>
public sealed class RollbackPoint
{
    internal RollbackPoint(string path, RollbackPointManifest manifest, string manifestSha256)
    {
        Path = path;
        Manifest = manifest;
        ManifestSha256 = manifestSha256;
    }

    public string Id => Manifest.Id;
    public string Environment => Manifest.Environment;
    public DateTimeOffset CreatedAt => Manifest.CreatedAt;
    public string CreatedBy => Manifest.CreatedBy;
    public string? Description => Manifest.Description;
    public string[] Applications => Manifest.Applications.Select(a => $"{a.Name} {a.Version}").ToArray();
    public int ModuleCount => Manifest.ModuleCount;
    public DateTimeOffset? BackupTakenAt => Manifest.Backup?.TakenAt;
    public bool HasSolutionPackage => Manifest.File(RollbackFileRoles.SolutionPackage) is not null;
    public string Database => Manifest.Database.DisplayName;

    /// <summary>The catalogs restored with the platform database (empty: the platform database only).</summary>
    public string[] Catalogs => Manifest.Catalogs.Select(c => c.Database.DisplayName).ToArray();

    /// <summary>The folder holding rollback-point.json.</summary>
    public string Path { get; }
    public RollbackPointManifest Manifest { get; }

    /// <summary>SHA-256 of rollback-point.json (plans record it, so a changed rollback point is noticed).</summary>
    public string ManifestSha256 { get; }

    public string FullPath(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative));

    public override string ToString() => Id;
}
