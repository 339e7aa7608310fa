using OsRollback.Engine.Modules;

namespace OsRollback.Benchmarks;

/// <summary>
/// Generates a layered factory like a large OutSystems installation: foundation modules at the
/// bottom, each module referencing about ten modules of lower layers (deterministic seed).
/// </summary>
public static class FactoryGenerator
{
    public static List<ModuleDefinition> Generate(int modules, int referencesPerModule = 10, int layers = 25, int seed = 42)
    {
        var random = new Random(seed);
        var perLayer = Math.Max(1, modules / layers);
        var result = new List<ModuleDefinition>(modules);
        for (var i = 0; i < modules; i++)
        {
            var layer = Math.Min(i / perLayer, layers - 1);
            var firstOfLayer = layer * perLayer;
            var producers = new List<string>(referencesPerModule);
            if (firstOfLayer > 0)
                for (var r = 0; r < referencesPerModule; r++) producers.Add($"M{random.Next(firstOfLayer)}");
            result.Add(new ModuleDefinition($"M{i}", i % 17 == 0 ? ModuleKind.Extension : ModuleKind.eSpace, $"App{i / 20}", producers));
        }
        return result;
    }
}
