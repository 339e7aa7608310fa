using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Modules;

/// <summary>
/// The module dependency graph with integer node ids, built once from definitions.
/// Names are case-insensitive, as in OutSystems. Self-references and references to modules
/// that do not exist are kept aside instead of becoming edges.
/// </summary>
public sealed class ModuleGraph
{
    private readonly Dictionary<string, int> _index;

    private ModuleGraph(ModuleDefinition[] modules, Dictionary<string, int> index,
        Adjacency producers, Adjacency consumers, string[][] missing, bool[] selfReferencing)
    {
        Modules = modules;
        _index = index;
        Producers = producers;
        Consumers = consumers;
        MissingProducers = missing;
        SelfReferencing = selfReferencing;
    }

    public IReadOnlyList<ModuleDefinition> Modules { get; }
    /// <summary>Consumer to producer edges.</summary>
    internal Adjacency Producers { get; }
    /// <summary>Producer to consumer edges.</summary>
    internal Adjacency Consumers { get; }
    internal string[][] MissingProducers { get; }
    internal bool[] SelfReferencing { get; }
    public int Count => Modules.Count;

    public bool TryGetId(string name, out int id) => _index.TryGetValue(name, out id);

    public IEnumerable<string> Names => Modules.Select(m => m.Name);

    /// <summary>Builds the graph; duplicate module names are an error (which one is ambiguous).</summary>
    public static ModuleGraph Build(IEnumerable<ModuleDefinition> definitions)
    {
        var modules = definitions.ToArray();
        var index = new Dictionary<string, int>(modules.Length, StringComparer.OrdinalIgnoreCase);
        var duplicates = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < modules.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(modules[i].Name))
            {
                throw new OsRollbackException("ModuleNameMissing", OsErrorCategory.InvalidData,
                    $"Module number {i + 1} has no name.", null,
                    "Give every module a Name.");
            }
            if (!index.TryAdd(modules[i].Name, i)) duplicates.Add(modules[i].Name);
        }
        if (duplicates.Count > 0)
        {
            throw new OsRollbackException("DuplicateModuleName", OsErrorCategory.InvalidData,
                $"Module names must be unique; found more than once: {string.Join(", ", duplicates)}.",
                duplicates.ToArray(),
                "Remove or rename the duplicate modules in the input.");
        }

        var offsets = new int[modules.Length + 1];
        var targets = new List<int>(modules.Length * 4);
        var missing = new string[modules.Length][];
        var selfReferencing = new bool[modules.Length];
        var scratchMissing = new List<string>();
        var seen = new HashSet<int>();
        for (var i = 0; i < modules.Length; i++)
        {
            scratchMissing.Clear(); seen.Clear();
            foreach (var producerName in modules[i].DependsOn)
            {
                if (string.IsNullOrWhiteSpace(producerName)) continue;
                if (!index.TryGetValue(producerName, out var p))
                {
                    if (!scratchMissing.Contains(producerName, StringComparer.OrdinalIgnoreCase)) scratchMissing.Add(producerName);
                    continue;
                }
                if (p == i) { selfReferencing[i] = true; continue; }
                if (seen.Add(p)) targets.Add(p);
            }
            offsets[i + 1] = targets.Count;
            missing[i] = scratchMissing.Count == 0 ? [] : scratchMissing.ToArray();
        }

        var producers = new Adjacency(offsets, targets.ToArray());
        var consumers = producers.Reverse();
        return new ModuleGraph(modules, index, producers, consumers, missing, selfReferencing);
    }
}
