namespace OsRollback.Engine.Modules;

/// <summary>
/// One module in republish order. Modules of one <see cref="Wave"/> do not depend on each
/// other and can be published together; waves run in sequence, producers first.
/// Properties are named for binding by property name (Publish-OsModuleVersion takes Name,
/// Kind and Wave).
/// </summary>
public sealed class ModuleOrderEntry
{
    public int Order { get; init; }
    public int Wave { get; init; }
    public required string Name { get; init; }
    public ModuleKind Kind { get; init; }
    public string? Application { get; init; }
    public string[] Producers { get; init; } = [];
    public string[] Consumers { get; init; } = [];

    /// <summary>Set when the module is part of a reference cycle; every member shares the number.</summary>
    public int? CycleGroup { get; init; }

    /// <summary>Referenced producers that do not exist in the graph.</summary>
    public string[] MissingProducers { get; init; } = [];

    public override string ToString() => Name;
}
