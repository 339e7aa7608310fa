namespace OsRollback.Engine.Modules;

/// <summary>
/// Edges in compressed rows: the neighbours of node i are Targets[Offsets[i]..Offsets[i+1]).
/// Two arrays for the whole graph instead of one per module, so a walk reads memory in order.
/// </summary>
internal sealed class Adjacency
{
    public Adjacency(int[] offsets, int[] targets)
    {
        Offsets = offsets;
        Targets = targets;
    }

    public int[] Offsets { get; }
    public int[] Targets { get; }

    public ReadOnlySpan<int> this[int node] => Targets.AsSpan(Offsets[node], Offsets[node + 1] - Offsets[node]);

    /// <summary>The same edges reversed (producers → consumers).</summary>
    public Adjacency Reverse()
    {
        var n = Offsets.Length - 1;
        var offsets = new int[n + 1];
        foreach (var t in Targets) offsets[t + 1]++;
        for (var i = 0; i < n; i++) offsets[i + 1] += offsets[i];
        var fill = (int[])offsets.Clone();
        var targets = new int[Targets.Length];
        for (var i = 0; i < n; i++)
            for (var e = Offsets[i]; e < Offsets[i + 1]; e++) targets[fill[Targets[e]]++] = i;
        return new Adjacency(offsets, targets);
    }
}
