using OsRollback.Engine.Modules;

namespace OsRollback.Benchmarks;

/// <summary>
/// The baseline: the obvious way to compute waves, relaxing every module's wave from its
/// producers' waves until nothing changes (one pass per layer of depth; no cycle handling).
/// </summary>
public static class NaiveWaveRelaxation
{
    public static Dictionary<string, int> Waves(IReadOnlyList<ModuleDefinition> modules)
    {
        var wave = modules.ToDictionary(m => m.Name, _ => 1, StringComparer.OrdinalIgnoreCase);
        bool changed;
        do
        {
            changed = false;
            foreach (var module in modules)
            {
                var w = 1;
                foreach (var producer in module.DependsOn)
                    if (wave.TryGetValue(producer, out var pw) && pw + 1 > w) w = pw + 1;
                if (w != wave[module.Name]) { wave[module.Name] = w; changed = true; }
            }
        } while (changed);
        return wave;
    }
}
