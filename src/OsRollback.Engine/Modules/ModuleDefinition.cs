namespace OsRollback.Engine.Modules;

/// <summary>The two kinds of OutSystems module.</summary>
public enum ModuleKind { eSpace, Extension }

/// <summary>
/// One module as read from the platform, a JSON export or the pipeline: its name and the
/// names of the producers it references (consumer to producer).
/// </summary>
public sealed record ModuleDefinition(
    string Name,
    ModuleKind Kind,
    string? Application,
    IReadOnlyList<string> DependsOn);
