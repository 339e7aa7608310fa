using System.Reflection;
using System.Runtime.Loader;

namespace OsRollback.Cmdlets.Loading;

/// <summary>
/// The module-private load context for the engine and its third-party dependencies.
/// It resolves through the engine's .deps.json, which picks SqlClient's real
/// runtimes/&lt;os&gt;/ assembly and native libraries instead of the lib/ platform stubs.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public EngineLoadContext(string engineAssemblyPath)
        : base("OsRollback.Engine", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(engineAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Shared framework assemblies (System.*) are not in the engine's deps.json: the
        // resolver returns null and the default context supplies them.
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
