using System.Management.Automation;
using System.Security;

namespace OsRollback.Cmdlets.Sandbox;

/// <summary>
/// A running sandbox started by Start-OsSandbox. <see cref="Token"/> and the credential's
/// password are SecureStrings, so they never print.
/// </summary>
public sealed class OsSandbox
{
    /// <summary>Base URL, for example http://127.0.0.1:41234 (LifeTime API at /lifetimeapi/rest/v2).</summary>
    public string Url { get; init; } = "";
    /// <summary>The LifeTime service-account token the sandbox expects.</summary>
    public SecureString Token { get; init; } = new();
    /// <summary>Path of Production's SQLite platform database.</summary>
    public string PlatformDatabase { get; init; } = "";
    /// <summary>Platform database paths by environment name (Development, Quality, Production).</summary>
    public IReadOnlyDictionary<string, string> PlatformDatabases { get; init; } = new Dictionary<string, string>();
    /// <summary>Service Center user and password.</summary>
    public PSCredential ServiceCenterCredential { get; init; } = PSCredential.Empty;
    public string DataDirectory { get; init; } = "";
    public int ProcessId { get; init; }
    /// <summary>A hook for Invoke-OsRollback -ProcedureScript that stops, configures and applies the settings of the sandbox's servers.</summary>
    public ScriptBlock? ProcedureScript { get; init; }

    /// <summary>The -ProcedureScript hook for a sandbox known by its URL and token (e.g. in another process).</summary>
    public static ScriptBlock ProcedureScriptFor(string url, SecureString token) => SandboxProcedureScript.For(url, token);

    public override string ToString() => Url;
}
