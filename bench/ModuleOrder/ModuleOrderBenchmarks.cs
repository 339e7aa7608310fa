using BenchmarkDotNet.Attributes;
using OsRollback.Engine.Modules;

namespace OsRollback.Benchmarks;

/// <summary>Orders generated factories of 1,000 / 10,000 / 100,000 modules with ten references each.</summary>
[MemoryDiagnoser]
public class ModuleOrderBenchmarks
{
    private List<ModuleDefinition> _modules = [];

    [Params(1_000, 10_000, 100_000)]
    public int Modules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Shuffled so that input order does not help either algorithm.
        _modules = FactoryGenerator.Generate(Modules).OrderBy(m => m.Name.GetHashCode()).ToList();
    }

    [Benchmark(Description = "Get-OsModuleOrder engine (graph + SCC + waves)")]
    public int OsRollbackOrder() => ModuleOrderer.Order(ModuleGraph.Build(_modules)).Count;

    [Benchmark(Baseline = true, Description = "baseline: naive wave relaxation")]
    public int NaiveRelaxation() => NaiveWaveRelaxation.Waves(_modules).Count;
}
