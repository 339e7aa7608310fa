using System.Management.Automation;
using System.Security;

namespace OsRollback.Cmdlets.Sandbox;

/// <summary>
/// A -ProcedureScript hook that plays the server steps of a Database rollback on a running sandbox
/// (its /_sandbox/servers endpoints), as an operator's hook would on real servers. The token stays a
/// SecureString inside the closure, so printing the hook shows no secret.
/// </summary>
internal static class SandboxProcedureScript
{
    private const string Factory = """
        param([string] $Url, [securestring] $Token)
        {
            param($context)
            $action = switch ($context.Operation) {
                'StopServices' { 'stop' }
                'ConfigureServer' { 'configure' }
                'ApplyPendingSettings' { 'apply-settings' }
                default { throw "The sandbox has no server operation '$($context.Operation)'; publish it with Service Center." }
            }
            $server = if ($context.Server) { $context.Server } else { 'all' }
            $uri = '{0}/_sandbox/servers/{1}/{2}?server={3}&role={4}' -f $Url, [uri]::EscapeDataString($context.Environment), $action, [uri]::EscapeDataString($server), $context.Role
            $null = Invoke-RestMethod -Method Post -Uri $uri -Authentication Bearer -Token $Token -AllowUnencryptedAuthentication
        }.GetNewClosure()
        """;

    public static ScriptBlock For(string url, SecureString token) => (ScriptBlock)ScriptBlock.Create(Factory).Invoke(url, token)[0].BaseObject;
}
