using System.Management.Automation;
using System.Reflection;

namespace OsRollback.Cmdlets.Loading;

/// <summary>
/// Lets scripts name the module's result types: <c>[OsRollback.BackupResult]</c>,
/// <c>$x -is [OsRollback.RollbackPoint]</c>. The engine loads in a private context, so its
/// full names do not resolve in a script; PowerShell's type accelerators map a name to the type
/// itself. Every type a cmdlet declares in [OutputType] gets <c>OsRollback.</c> + its name, and
/// so do the public parameter types of this assembly (<c>[OsRollback.DatabaseInstanceParameter]</c>).
/// </summary>
internal static class ResultTypeAccelerators
{
    public const string Prefix = "OsRollback.";

    // TypeAccelerators is internal to PowerShell; its Add/Remove are public and stable since 3.0 (as PSReadLine and others use them).
    private static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    /// <summary>The names and types the module registers: unique names, module types only.</summary>
    public static IReadOnlyDictionary<string, Type> Names()
    {
        var assembly = typeof(ResultTypeAccelerators).Assembly;
        var outputs = assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Cmdlet)) && !t.IsAbstract)
            .SelectMany(t => t.GetCustomAttributes<OutputTypeAttribute>(inherit: true))
            .SelectMany(a => a.Type)
            .Select(n => n.Type)
            .OfType<Type>();
        var parameterTypes = assembly.GetExportedTypes().Where(t => t.Namespace == typeof(Parameters.DatabaseInstanceParameter).Namespace && !t.IsAbstract);
        var moduleTypes = outputs.Concat(parameterTypes)
            .Where(t => t.Assembly == assembly || t.Assembly.GetName().Name == "OsRollback.Engine")
            .Distinct();
        var names = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in moduleTypes) names.TryAdd(Prefix + type.Name, type);
        return names;
    }

    /// <summary>Called after the engine's load hook is in place: naming an engine type loads the engine.</summary>
    public static void Register()
    {
        if (Accelerators?.GetMethod("Add", [typeof(string), typeof(Type)]) is not { } add) return;
        foreach (var (name, type) in Names()) add.Invoke(null, [name, type]);
    }

    public static void Unregister()
    {
        if (Accelerators?.GetMethod("Remove", [typeof(string)]) is not { } remove) return;
        foreach (var name in Names().Keys) remove.Invoke(null, [name]);
    }
}
