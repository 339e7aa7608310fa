namespace OsRollback.Sandbox.Model;

/// <summary>An environment of the sandbox infrastructure. <see cref="Slug"/> is the lower-case name used in URLs and file names.</summary>
public sealed record EnvironmentDef(string Key, string Name, string Slug, int Order, string EnvironmentType);

/// <summary>An application: its modules and its tags (application versions), oldest first.</summary>
public sealed class AppDef
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required string UrlPath { get; init; }
    /// <summary>LifeTime's Kind: WebResponsive or Mobile.</summary>
    public required string Kind { get; init; }
    /// <summary>Reactive, Mobile or TraditionalWeb (sandbox-only detail; LifeTime reports Traditional Web as WebResponsive).</summary>
    public required string AppType { get; init; }
    public required string Team { get; init; }
    public required string Description { get; init; }
    public required string Layer { get; init; }
    public List<ModuleDef> Modules { get; } = [];
    public List<AppVersionDef> Versions { get; } = [];
    /// <summary>Tables (entity names) the traffic endpoint writes into.</summary>
    public List<EntityDef> TrafficEntities { get; } = [];
    public bool HasPages => Layer != "Foundation";
}

public sealed class ModuleDef
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    /// <summary>eSpace or Extension.</summary>
    public required string Kind { get; init; }
    public required AppDef App { get; init; }
    public List<string> Producers { get; } = [];
    public List<EntityDef> Entities { get; } = [];
    public List<TimerDef> Timers { get; } = [];
    public List<ModuleVersionDef> Versions { get; } = [];
    public bool IsExtension => Kind == "Extension";
}

/// <summary>An entity and its physical table. <see cref="Since"/> is the index of the first tag that has it.</summary>
public sealed class EntityDef
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required string Table { get; init; }
    public required ModuleDef Module { get; init; }
    public int Since { get; init; }
    /// <summary>Identity (autonumber) integer ID when true; otherwise a text primary key CODE.</summary>
    public bool Identity { get; init; } = true;
    public int SeedRows { get; init; } = 10;
    public List<AttributeDef> Attributes { get; } = [];
    public string KeyColumn => Identity ? "ID" : "CODE";
}

public sealed record AttributeDef(string Key, string Name, string Column, string Type, int Since, bool IsKey = false, bool IsAutoNumber = false, string? ReferencesTable = null);

/// <summary>A timer of a module.</summary>
/// <param name="Key">The timer's SS_KEY.</param>
/// <param name="Name">The timer's name.</param>
/// <param name="Schedule">Its default schedule (DEFAULT_SCHEDULE).</param>
/// <param name="Since">The tag index from which the timer exists.</param>
/// <param name="Tenants">Null: a shared timer (one OSSYS_CYCLIC_JOB_SHARED row). Otherwise a timer of a multi-tenant module whose meta timer is not shared: one OSSYS_CYCLIC_JOB row per tenant.</param>
public sealed record TimerDef(string Key, string Name, string Schedule, int Since, IReadOnlyList<long>? Tenants = null);

public sealed class ModuleVersionDef
{
    public required string Key { get; init; }
    public required ModuleDef Module { get; init; }
    /// <summary>The Service Center version number (1, 2, 3 for the tags 1.0.0, 1.1.0, 1.2.0).</summary>
    public required int Number { get; init; }
    public required string Tag { get; init; }
    public required DateTime CreatedOn { get; init; }
    public required string Hash { get; init; }
    /// <summary>A bad version makes its application's pages answer 500 while it runs.</summary>
    public bool IsBad { get; init; }
    /// <summary>Index of the tag whose schema this version has; untagged versions keep their tag's schema.</summary>
    public int? SchemaIndex { get; init; }
    public int Index => SchemaIndex ?? Number - 1;
}

public sealed class AppVersionDef
{
    public required string Key { get; init; }
    public required AppDef App { get; init; }
    public required string Tag { get; init; }
    public required int Index { get; init; }
    public required DateTime CreatedOn { get; init; }
    public required string ChangeLog { get; init; }
    public List<ModuleVersionDef> ModuleVersions { get; } = [];
    /// <summary>Producer applications this tag needs, with the lowest tag index that satisfies it.</summary>
    public List<(AppDef Producer, int MinIndex)> Requires { get; } = [];
    public bool IsBad => ModuleVersions.Any(m => m.IsBad);
}

/// <summary>The seeded infrastructure (LifeTime's view). What runs where lives in the platform databases.</summary>
public sealed class Catalog
{
    public required int Seed { get; init; }
    public required IReadOnlyList<EnvironmentDef> Environments { get; init; }
    public required IReadOnlyList<AppDef> Apps { get; init; }
    public IEnumerable<ModuleDef> Modules => Apps.SelectMany(a => a.Modules);
    public IEnumerable<AppVersionDef> AppVersions => Apps.SelectMany(a => a.Versions);
    public IEnumerable<ModuleVersionDef> ModuleVersions => Modules.SelectMany(m => m.Versions);

    public EnvironmentDef? Environment(string keyOrSlug) => Environments.FirstOrDefault(e =>
        string.Equals(e.Key, keyOrSlug, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Slug, keyOrSlug, StringComparison.OrdinalIgnoreCase)
        || string.Equals(e.Name, keyOrSlug, StringComparison.OrdinalIgnoreCase));
    public AppDef? App(string key) => Apps.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase));
    public AppDef? AppByUrlPath(string path) => Apps.FirstOrDefault(a => string.Equals(a.UrlPath, path, StringComparison.OrdinalIgnoreCase));
    public AppDef? AppByName(string name) => Apps.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
    public AppVersionDef? AppVersion(string key) => AppVersions.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.OrdinalIgnoreCase));
    public ModuleDef? Module(string key) => Modules.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.OrdinalIgnoreCase));
    public ModuleDef? ModuleByName(string name) => Modules.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
    public ModuleVersionDef? ModuleVersion(string key) => ModuleVersions.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.OrdinalIgnoreCase));
}
