using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace OsRollback.Sandbox.Hosting;

/// <summary>
/// Runs the sandbox inside a pwsh process (Start-OsSandbox): Microsoft.Data.Sqlite and the
/// SQLite native library are taken from the module's dependencies/ folder through the engine's
/// .deps.json, so the module ships them once and the sandbox folder holds only this assembly.
/// </summary>
public static class SandboxLauncher
{
    public const string DependencyManifestAssembly = "OsRollback.Engine.dll";

    public static int Run(string dependenciesDirectory, string[] args)
    {
        var resolver = new AssemblyDependencyResolver(Path.Combine(Path.GetFullPath(dependenciesDirectory), DependencyManifestAssembly));
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } path ? context.LoadFromAssemblyPath(path) : null;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
            resolver.ResolveUnmanagedDllToPath(name) is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;
        return RunSandbox(args);
    }

    // Kept apart so nothing from Microsoft.Data.Sqlite is bound before the resolvers are in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RunSandbox(string[] args) => SandboxProgram.RunAsync(args).GetAwaiter().GetResult();
}
