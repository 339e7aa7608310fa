using System.Management.Automation;
using OsRollback.Cmdlets.Infrastructure;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Rollback.Ports;

namespace OsRollback.Cmdlets.Rollback;

/// <summary>
/// The server operations of a Database rollback: the -ProcedureScript hook when given (it gets a
/// <see cref="ServerOperationContext"/>: Operation, Server, Role...), else PowerShell remoting to the
/// servers named at plan time with -ServerCredential, using OutSystems.SetupTools' commands where the
/// server has them. Runs on the pipeline thread; the credential never reaches a message or the journal.
/// </summary>
internal sealed class ScriptServerProcedure(EngineWork pipeline, UserScript? hook, PSCredential? credential, IOperationReporter reporter) : IServerProcedure
{
    public bool HasHook => hook is not null;

    public Task RunHookAsync(ServerOperationContext context, CancellationToken cancellationToken) => pipeline.OnPipelineAsync(() =>
    {
        reporter.Verbose($"Running the -ProcedureScript hook ({hook!.Name}) for {context.Operation}{(context.Server is null ? "" : $" on {context.Server}")}.");
        Invoke("ProcedureScript hook", context, () => hook.Invoke(context));
        return true;
    });

    public Task RunRemoteAsync(ServerOperationContext context, CancellationToken cancellationToken) => pipeline.OnPipelineAsync(() =>
    {
        Invoke($"remote {context.Operation} on {context.Server}", context, () => ScriptBlock.Create(RemoteProcedureScript.Text).Invoke(context.Server, context.Operation, credential));
        return true;
    });

    private static void Invoke(string what, ServerOperationContext context, Action run)
    {
        try { run(); }
        catch (RuntimeException ex)
        {
            throw new OsRollbackException("ServerProcedureFailed", OsErrorCategory.InvalidResult,
                $"The {what} failed: {ex.Message}", context.Server ?? context.Environment,
                "Fix the cause (or do the step by hand), then continue with Invoke-OsRollback -Resume.", ex);
        }
    }
}

/// <summary>
/// The built-in remoting of the restore procedure. SetupTools (when installed on the server):
/// Stop-OSServerServices; Set-OSServerConfig -Apply -InstallServiceCenter then Start-OSServerServices.
/// Without it, services are stopped with iisreset and Stop-Service, and the Configuration Tool step
/// refuses (it needs SetupTools or the operator). Pending settings: the Configuration Tool's
/// /ApplySettingsFactory on the deployment controller (its default install path).
/// </summary>
internal static class RemoteProcedureScript
{
    public const string Text = """
        param([string] $Server, [string] $Operation, [pscredential] $Credential)
        $remote = @{ ComputerName = $Server; ErrorAction = 'Stop'; ArgumentList = @($Operation) }
        if ($Credential) { $remote.Credential = $Credential }
        Invoke-Command @remote -ScriptBlock {
            param([string] $Operation)
            $ErrorActionPreference = 'Stop'
            $setupTools = [bool](Get-Module -ListAvailable -Name OutSystems.SetupTools)
            if ($setupTools) { Import-Module OutSystems.SetupTools }
            switch ($Operation) {
                'StopServices' {
                    if ($setupTools) { Stop-OSServerServices }
                    else {
                        & iisreset.exe /stop | Out-Null
                        if ($LASTEXITCODE -ne 0) { throw "iisreset /stop failed on $env:COMPUTERNAME (exit code $LASTEXITCODE)." }
                        Get-Service -DisplayName 'OutSystems*' | Stop-Service -Force
                    }
                }
                'ConfigureServer' {
                    if (-not $setupTools) { throw "OutSystems.SetupTools is not installed on $env:COMPUTERNAME: install it, or apply the Configuration Tool by hand." }
                    Start-Service -Name W3SVC
                    Set-OSServerConfig -Apply -InstallServiceCenter
                    Start-OSServerServices
                }
                'ApplyPendingSettings' {
                    $tool = Join-Path $env:ProgramFiles 'OutSystems\Platform Server\ConfigurationTool.com'
                    & $tool /ApplySettingsFactory | Out-Null
                    if ($LASTEXITCODE -ne 0) { throw "ConfigurationTool.com /ApplySettingsFactory failed on $env:COMPUTERNAME (exit code $LASTEXITCODE)." }
                }
                default { throw "Unknown server operation '$Operation'." }
            }
        }
        """;
}
