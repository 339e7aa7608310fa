namespace OsRollback.Engine.Modules;

/// <summary>
/// Tarjan's algorithm without recursion (a factory of 100,000 modules must not overflow the
/// stack). Components come out producers-first: a component is emitted only after every
/// component it references, because edges point from consumer to producer.
/// </summary>
internal static class StronglyConnectedComponents
{
    /// <summary>Returns, for each node, its component number; components are numbered in emission order.</summary>
    public static int[] Find(Adjacency edges, out int componentCount)
    {
        var n = edges.Offsets.Length - 1;
        var index = new int[n];
        var lowLink = new int[n];
        var component = new int[n];
        var onStack = new bool[n];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var callStack = new Stack<(int Node, int NextEdge)>();
        var nextIndex = 0;
        componentCount = 0;

        for (var root = 0; root < n; root++)
        {
            if (index[root] != -1) continue;
            callStack.Push((root, 0));
            index[root] = lowLink[root] = nextIndex++;
            stack.Push(root); onStack[root] = true;

            while (callStack.Count > 0)
            {
                var (v, e) = callStack.Pop();
                if (edges.Offsets[v] + e < edges.Offsets[v + 1])
                {
                    callStack.Push((v, e + 1));
                    var w = edges.Targets[edges.Offsets[v] + e];
                    if (index[w] == -1)
                    {
                        index[w] = lowLink[w] = nextIndex++;
                        stack.Push(w); onStack[w] = true;
                        callStack.Push((w, 0));
                    }
                    else if (onStack[w] && index[w] < lowLink[v])
                    {
                        lowLink[v] = index[w];
                    }
                    continue;
                }

                // All edges of v done: close its component if v is a root, then update the caller.
                if (lowLink[v] == index[v])
                {
                    int w;
                    do { w = stack.Pop(); onStack[w] = false; component[w] = componentCount; } while (w != v);
                    componentCount++;
                }
                if (callStack.Count > 0)
                {
                    var caller = callStack.Peek().Node;
                    if (lowLink[v] < lowLink[caller]) lowLink[caller] = lowLink[v];
                }
            }
        }
        return component;
    }
}
