using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using OsRollback.Benchmarks;

// Both algorithms must agree on every wave before anything is timed.
var check = FactoryGenerator.Generate(5_000);
var ours = ModuleOrderer_Check(check);
var naive = NaiveWaveRelaxation.Waves(check);
if (ours.Any(e => naive[e.Key] != e.Value)) throw new InvalidOperationException("The engine and the baseline disagree on waves.");

if (args.Contains("--phases"))
{
    foreach (var n in new[] { 10_000, 100_000 })
    {
        var input = FactoryGenerator.Generate(n).OrderBy(m => m.Name.GetHashCode()).ToList();
        for (var rep = 0; rep < 3; rep++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var graph = OsRollback.Engine.Modules.ModuleGraph.Build(input);
            var build = sw.Elapsed.TotalMilliseconds;
            var scc = OsRollback.Engine.Modules.StronglyConnectedComponents.Find(graph.Producers, out _);
            var sccTime = sw.Elapsed.TotalMilliseconds - build;
            var names = graph.Modules.Select(m => m.Name).ToArray();
            var t0 = sw.Elapsed.TotalMilliseconds;
            Array.Sort(names, StringComparer.OrdinalIgnoreCase);
            var sortTime = sw.Elapsed.TotalMilliseconds - t0;
            t0 = sw.Elapsed.TotalMilliseconds;
            var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var order = OsRollback.Engine.Modules.ModuleOrderer.Order(graph);
            Console.Write($"gc0 {GC.CollectionCount(0) - gcs.Item1} gc1 {GC.CollectionCount(1) - gcs.Item2} gc2 {GC.CollectionCount(2) - gcs.Item3}; ");
            Console.WriteLine($"{n}: build {build:F0} ms, scc {sccTime:F0} ms, name sort {sortTime:F0} ms, order {sw.Elapsed.TotalMilliseconds - t0:F0} ms");
        }
    }
    return;
}
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("ShortRun"));
BenchmarkSwitcher.FromAssembly(typeof(ModuleOrderBenchmarks).Assembly).Run(args, config);

static Dictionary<string, int> ModuleOrderer_Check(List<OsRollback.Engine.Modules.ModuleDefinition> modules) =>
    OsRollback.Engine.Modules.ModuleOrderer.Order(OsRollback.Engine.Modules.ModuleGraph.Build(modules)).ToDictionary(e => e.Name, e => e.Wave);
