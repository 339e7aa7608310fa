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

    /// <summary>The median of the rounds (the lower middle one for an even count).</summary>
    public static double Median(List<double> rounds)
    {
        var sorted = rounds.OrderBy(x => x).ToList();
        return sorted[(sorted.Count - 1) / 2];
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to say how busy the machine was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
