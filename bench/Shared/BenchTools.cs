using System.Diagnostics;

/// <summary>What the side-by-side benchmarks share: timing a contender and running the sqlite3 baseline.</summary>
internal static class BenchTools
{
    /// <summary>Runs <paramref name="action"/> once and adds its seconds to <paramref name="name"/>'s rounds.</summary>
    public static void Time(Dictionary<string, List<double>> results, string name, Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        (results.TryGetValue(name, out var l) ? l : results[name] = new()).Add(sw.Elapsed.TotalSeconds);
    }

    /// <summary>Runs Debian's sqlite3 shell (the baseline) and fails loudly when it fails.</summary>
    public static void Sqlite3(params string[] arguments)
    {
        using var p = Process.Start(new ProcessStartInfo("sqlite3", arguments) { RedirectStandardError = true })!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("sqlite3 failed: " + p.StandardError.ReadToEnd());
    }
}
