function Invoke-OsSolutionRollback {
    <#
    .SYNOPSIS
        Rolls back by publishing the solution package captured with the rollback point.
    .DESCRIPTION
        Plans with the Solution strategy (New-OsRollbackPlan -Strategy Solution), optionally writes
        the plan as JSON and Markdown, and executes it (Invoke-OsRollback): the package's SHA-256 is
        checked, the package published, the versions checked and the applications smoke-tested.
        No data is lost.
    .PARAMETER RollbackPoint
        The rollback point; default: the newest of -Environment.
    .PARAMETER Environment
        The environment to roll back; also a guard that the plan is for it.
    .PARAMETER Reason
        Why (incident, symptom); stored in the plan and the report.
    .PARAMETER Connection
        The LifeTime connection from Connect-OsLifeTime.
    .PARAMETER ServiceCenterConnection
        The Service Center connection from Connect-OsServiceCenter (the publish).
    .PARAMETER SmokeScript
        Extra smoke checks (script blocks that get the environment name).
    .PARAMETER PlanPath
        Write the plan to <PlanPath>.json and <PlanPath>.md before executing.
    .PARAMETER CatalogPath
        The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.
    .EXAMPLE
        Invoke-OsSolutionRollback -Environment Production -Reason 'INC-1234' -Connection $lt -ServiceCenterConnection $sc -PlanPath ./rollback

        Writes rollback.json and rollback.md, then publishes the captured package.
    .LINK
    help:Get-Help%20Invoke-OsSolutionRollback%20-Full%20(installed%20with%20the%20module,%20no%20online%20version)
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsRollbackPointCompleter])] [object] $RollbackPoint,
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsEnvironmentCompleter])] [string] $Environment,
        [Parameter(Mandatory)] [string] $Reason,
        [object] $Connection,
        [object] $ServiceCenterConnection,
        [scriptblock[]] $SmokeScript = @(),
        [string] $PlanPath,
        [string] $CatalogPath
    )
    # A runbook stops at the first error: a failed step must never hand $null to the next one.
    $ErrorActionPreference = [System.Management.Automation.ActionPreference]::Stop
    Invoke-OsRunbookStrategy -Strategy Solution -RollbackPoint $RollbackPoint -Environment $Environment -Reason $Reason `
        -Connection $Connection -ServiceCenterConnection $ServiceCenterConnection -PlanPath $PlanPath -CatalogPath $CatalogPath `
        -InvokeParameters @{ SmokeScript = $SmokeScript }
}
