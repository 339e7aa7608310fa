using Mono.Cecil;
using Mono.Cecil.Cil;

namespace OsRollback.Engine.Tests.Architecture;

/// <summary>
/// Which namespaces of the engine use which, read from the compiled assembly: signatures, fields,
/// base types and every type, method and field a method body touches.
/// </summary>
internal sealed class NamespaceGraph
{
    public const string Root = "OsRollback.Engine";

    public Dictionary<string, HashSet<string>> Edges { get; } = new(StringComparer.Ordinal);

    /// <summary>The types of each namespace that reference each other namespace (for the failure message).</summary>
    public Dictionary<(string From, string To), SortedSet<string>> Why { get; } = [];

    /// <summary>The graph of <paramref name="assembly"/>, leaving out the references made by the types named in <paramref name="exempt"/>.</summary>
    public static NamespaceGraph Of(System.Reflection.Assembly assembly, IReadOnlyCollection<string>? exempt = null)
    {
        var graph = new NamespaceGraph();
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        foreach (var type in module.GetTypes().Where(t => exempt is null || !exempt.Contains(OuterName(t)))) graph.Add(type);
        return graph;
    }

    private void Add(TypeDefinition type)
    {
        var from = NamespaceOf(type);
        if (!from.StartsWith(Root, StringComparison.Ordinal)) return;
        Edges.TryAdd(from, []);
        var used = new List<TypeReference?> { type.BaseType };
        used.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        used.AddRange(type.Fields.Select(f => f.FieldType));
        used.AddRange(type.Properties.Select(p => p.PropertyType));
        foreach (var method in type.Methods)
        {
            used.Add(method.ReturnType);
            used.AddRange(method.Parameters.Select(p => p.ParameterType));
            if (!method.HasBody) continue;
            used.AddRange(method.Body.Variables.Select(v => v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: used.Add(t); break;
                    case MethodReference m: used.Add(m.DeclaringType); used.Add(m.ReturnType); used.AddRange(m.Parameters.Select(p => p.ParameterType)); break;
                    case FieldReference f: used.Add(f.DeclaringType); used.Add(f.FieldType); break;
                }
            }
        }
        foreach (var reference in used.SelectMany(Flatten))
        {
            var to = NamespaceOf(reference);
            if (to == from || !to.StartsWith(Root, StringComparison.Ordinal)) continue;
            Edges[from].Add(to);
            if (!Why.TryGetValue((from, to), out var types)) Why[(from, to)] = types = new(StringComparer.Ordinal);
            types.Add($"{OuterName(type)} -> {reference.Name}");
        }
    }

    private static IEnumerable<TypeReference> Flatten(TypeReference? type)
    {
        if (type is null) yield break;
        switch (type)
        {
            case GenericInstanceType generic:
                yield return generic.ElementType;
                foreach (var argument in generic.GenericArguments.SelectMany(Flatten)) yield return argument;
                break;
            case TypeSpecification spec:
                foreach (var element in Flatten(spec.ElementType)) yield return element;
                break;
            case GenericParameter:
                break;
            default:
                yield return type;
                break;
        }
    }

    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type.Namespace;
    }

    private static string OuterName(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type.Name;
    }

    /// <summary>Every group of namespaces that reach each other (strongly connected components with more than one member).</summary>
    public List<SortedSet<string>> Cycles()
    {
        var index = new Dictionary<string, int>(); var low = new Dictionary<string, int>();
        var stack = new Stack<string>(); var onStack = new HashSet<string>(); var result = new List<SortedSet<string>>();
        var counter = 0;
        void Visit(string v)
        {
            index[v] = low[v] = counter++; stack.Push(v); onStack.Add(v);
            foreach (var w in Edges.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var seen)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], seen);
            }
            if (low[v] != index[v]) return;
            var component = new SortedSet<string>(StringComparer.Ordinal);
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) result.Add(component);
        }
        foreach (var v in Edges.Keys.ToList()) if (!index.ContainsKey(v)) Visit(v);
        return result;
    }
}
