using OsRollback.Engine.Diagnostics;

namespace OsRollback.Engine.Modules;

/// <summary>What to order: all modules, or those of some applications/modules (and their consumers).</summary>
public sealed class ModuleOrderRequest
{
    public IReadOnlyList<string> Applications { get; init; } = [];
    public IReadOnlyList<string> Modules { get; init; } = [];
    public bool IncludeConsumers { get; init; }
    public bool IsFiltered => Applications.Count > 0 || Modules.Count > 0;
}

/// <summary>
/// Computes the republish order: producers before consumers, in waves of modules that do not
/// depend on each other. Reference cycles (allowed by OutSystems) collapse into one wave.
/// Linear in modules plus references.
/// </summary>
public static class ModuleOrderer
{
    public static IReadOnlyList<ModuleOrderEntry> Order(ModuleGraph graph, ModuleOrderRequest? request = null, IOperationReporter? reporter = null)
    {
        request ??= new ModuleOrderRequest();
        reporter ??= NullReporter.Instance;
        reporter.Verbose($"Ordering {graph.Count} modules.");

        var component = StronglyConnectedComponents.Find(graph.Producers, out var componentCount);
        var componentSize = new int[componentCount];
        foreach (var c in component) componentSize[c]++;

        var componentWave = ComputeWaves(graph, component, componentCount);
        var cycleGroup = NumberCycles(graph, component, componentSize, reporter);
        ReportMissingProducers(graph, reporter);

        var selected = Select(graph, request, reporter);
        var waveMap = CompactWaves(selected, component, componentWave);
        var names = new string[graph.Count];
        for (var i = 0; i < names.Length; i++) names[i] = graph.Modules[i].Name;
        var (rank, namesByRank) = NameRanks(names);

        // Sort once by name, then stably by wave: O(n log n) string work once, the rest on integers.
        var ordered = selected.ToArray();
        Array.Sort(ordered, (a, b) =>
        {
            var byWave = componentWave[component[a]].CompareTo(componentWave[component[b]]);
            return byWave != 0 ? byWave : rank[a].CompareTo(rank[b]);
        });

        var result = new ModuleOrderEntry[ordered.Length];
        for (var k = 0; k < ordered.Length; k++)
        {
            var i = ordered[k];
            var module = graph.Modules[i];
            result[k] = new ModuleOrderEntry
            {
                Order = k + 1,
                Wave = waveMap[componentWave[component[i]]],
                Name = module.Name,
                Kind = module.Kind,
                Application = module.Application,
                Producers = Names(graph.Producers[i], rank, namesByRank),
                Consumers = Names(graph.Consumers[i], rank, namesByRank),
                CycleGroup = cycleGroup[i],
                MissingProducers = graph.MissingProducers[i],
            };
        }
        reporter.Verbose($"{result.Length} modules in {waveMap.Count} waves.");
        return result;
    }

    /// <summary>Wave of a component = 1 + the highest wave among the components it references.</summary>
    private static int[] ComputeWaves(ModuleGraph graph, int[] component, int componentCount)
    {
        // Components are numbered producers-first, so one pass in component order sees every
        // producer's wave before its consumers need it. Nodes are grouped by component with a
        // counting sort (no list per component).
        var start = new int[componentCount + 1];
        foreach (var c in component) start[c + 1]++;
        for (var c = 0; c < componentCount; c++) start[c + 1] += start[c];
        var members = new int[component.Length];
        var fill = (int[])start.Clone();
        for (var i = 0; i < component.Length; i++) members[fill[component[i]]++] = i;

        var wave = new int[componentCount];
        for (var c = 0; c < componentCount; c++)
        {
            var w = 1;
            for (var m = start[c]; m < start[c + 1]; m++)
                foreach (var p in graph.Producers[members[m]])
                    if (component[p] != c && wave[component[p]] + 1 > w) w = wave[component[p]] + 1;
            wave[c] = w;
        }
        return wave;
    }

    private static int?[] NumberCycles(ModuleGraph graph, int[] component, int[] componentSize, IOperationReporter reporter)
    {
        var result = new int?[graph.Count];
        var groupOfComponent = new Dictionary<int, int>();
        var groups = new SortedDictionary<int, List<string>>();
        for (var i = 0; i < graph.Count; i++)
        {
            var c = component[i];
            if (componentSize[c] == 1 && !graph.SelfReferencing[i]) continue;
            if (!groupOfComponent.TryGetValue(c, out var g))
            {
                g = groupOfComponent.Count + 1;
                groupOfComponent[c] = g;
                groups[g] = new List<string>();
            }
            result[i] = g;
            groups[g].Add(graph.Modules[i].Name);
        }
        foreach (var (g, names) in groups)
        {
            names.Sort(StringComparer.OrdinalIgnoreCase);
            reporter.Warning(names.Count == 1
                ? $"Module '{names[0]}' references itself (cycle group {g}); the self-reference is ignored for ordering."
                : $"Modules {string.Join(", ", names.Select(n => $"'{n}'"))} reference each other (cycle group {g}); they are placed in one wave and must be published together.");
        }
        return result;
    }

    private static void ReportMissingProducers(ModuleGraph graph, IOperationReporter reporter)
    {
        for (var i = 0; i < graph.Count; i++)
        {
            if (graph.MissingProducers[i].Length == 0) continue;
            reporter.Warning($"Module '{graph.Modules[i].Name}' references {string.Join(", ", graph.MissingProducers[i].Select(n => $"'{n}'"))}, which is not in the module graph; listed in MissingProducers.");
        }
    }

    private static List<int> Select(ModuleGraph graph, ModuleOrderRequest request, IOperationReporter reporter)
    {
        if (!request.IsFiltered) return Enumerable.Range(0, graph.Count).ToList();

        var chosen = new bool[graph.Count];
        var unknownApplications = new List<string>();
        foreach (var application in request.Applications)
        {
            var found = false;
            for (var i = 0; i < graph.Count; i++)
            {
                if (!string.Equals(graph.Modules[i].Application, application, StringComparison.OrdinalIgnoreCase)) continue;
                chosen[i] = true; found = true;
            }
            if (!found) unknownApplications.Add(application);
        }
        if (unknownApplications.Count > 0)
        {
            var known = graph.Modules.Select(m => m.Application).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);
            throw UnknownNames("UnknownApplication", "application", unknownApplications, known, "-Application");
        }

        var unknownModules = new List<string>();
        foreach (var name in request.Modules)
        {
            if (graph.TryGetId(name, out var id)) chosen[id] = true;
            else unknownModules.Add(name);
        }
        if (unknownModules.Count > 0) throw UnknownNames("UnknownModule", "module", unknownModules, graph.Names, "-Module");

        if (request.IncludeConsumers)
        {
            var queue = new Queue<int>(Enumerable.Range(0, graph.Count).Where(i => chosen[i]));
            var before = queue.Count;
            while (queue.Count > 0)
                foreach (var consumer in graph.Consumers[queue.Dequeue()])
                    if (!chosen[consumer]) { chosen[consumer] = true; queue.Enqueue(consumer); }
            var added = chosen.Count(c => c) - before;
            reporter.Verbose($"-IncludeConsumers added {added} consuming modules.");
        }
        return Enumerable.Range(0, graph.Count).Where(i => chosen[i]).ToList();
    }

    /// <summary>Renumbers the waves present in a filtered result as 1..k, keeping their relative order.</summary>
    private static Dictionary<int, int> CompactWaves(List<int> selected, int[] component, int[] componentWave)
    {
        var waves = selected.Select(i => componentWave[component[i]]).Distinct().Order().ToArray();
        var map = new Dictionary<int, int>(waves.Length);
        for (var k = 0; k < waves.Length; k++) map[waves[k]] = k + 1;
        return map;
    }

    private static OsRollbackException UnknownNames(string errorId, string noun, List<string> unknown, IEnumerable<string> known, string parameter)
    {
        var knownList = known.ToList();
        var parts = unknown.Select(name =>
        {
            var close = NameSuggestions.Closest(name, knownList, 3);
            return close.Count == 0 ? $"'{name}'" : $"'{name}' (did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?)";
        });
        return new OsRollbackException(errorId, OsErrorCategory.ObjectNotFound,
            $"No {noun} named {string.Join("; ", parts)} exists in the module graph.",
            unknown.Count == 1 ? unknown[0] : unknown.ToArray(),
            $"Check the names given to {parameter}; names are matched without regard to case.");
    }

    /// <summary>Each module's position in case-insensitive name order, and the names in that order.</summary>
    private static (int[] Rank, string[] NamesByRank) NameRanks(string[] names)
    {
        var byName = new int[names.Length];
        for (var i = 0; i < byName.Length; i++) byName[i] = i;
        var sorted = (string[])names.Clone();
        Array.Sort(sorted, byName, StringComparer.OrdinalIgnoreCase);
        var rank = new int[names.Length];
        for (var r = 0; r < byName.Length; r++) rank[byName[r]] = r;
        return (rank, sorted);
    }

    /// <summary>The names of <paramref name="ids"/> in name order, sorted on ranks (integers, no string compares).</summary>
    private static string[] Names(ReadOnlySpan<int> ids, int[] rank, string[] namesByRank)
    {
        if (ids.Length == 0) return [];
        var keys = new int[ids.Length];
        for (var k = 0; k < keys.Length; k++) keys[k] = rank[ids[k]];
        Array.Sort(keys);
        var result = new string[keys.Length];
        for (var k = 0; k < keys.Length; k++) result[k] = namesByRank[keys[k]];
        return result;
    }
}
