using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace OsRollback.Cmdlets.Loading;

/// <summary>
/// Hooks the default context's Resolving event once per process, answering only for the
/// engine assembly, which it loads into <see cref="EngineLoadContext"/>. Everything the
/// engine depends on then resolves inside that context, away from whatever SqlClient
/// dbatools or the SqlServer module loaded.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineName = "OsRollback.Engine";
    private static readonly object Gate = new();
    private static EngineLoadContext? _context;
    private static bool _hooked;

    internal static string DependenciesDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

    public void OnImport()
    {
        lock (Gate)
        {
            if (!_hooked)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
                _hooked = true;
            }
        }
        // A separate method: the types it names must not be resolved before the hook above is in place.
        ResultTypeAccelerators.Register();
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ResultTypeAccelerators.Unregister();
        // The hook stays: types already bound to the engine keep resolving if the module is
        // imported again in the same process, and an assembly cannot be unloaded anyway.
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (!string.Equals(name.Name, EngineName, StringComparison.Ordinal)) return null;
        lock (Gate)
        {
            _context ??= new EngineLoadContext(Path.Combine(DependenciesDirectory, EngineName + ".dll"));
            return _context.LoadFromAssemblyName(name);
        }
    }
}
