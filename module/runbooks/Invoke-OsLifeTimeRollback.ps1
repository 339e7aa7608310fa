function Invoke-OsLifeTimeRollback {
    <#
    .SYNOPSIS
        Rolls back by deploying the previous version tags from an upstream environment through LifeTime.
    .DESCRIPTION
        Plans with the LifeTime strategy (New-OsRollbackPlan -Strategy LifeTime), optionally writes
        the plan as JSON and Markdown, and executes it (Invoke-OsRollback). Fails with the reason
        when there is no upstream environment or LifeTime no longer has a previous tag (an upstream
        environment that runs newer tags is a valid source, as OutSystems documents). No data is lost.
    .PARAMETER RollbackPoint
        The rollback point; default: the newest of -Environment.
    .PARAMETER Environment
        The environment to roll back; also a guard that the plan is for it.
    .PARAMETER Reason
        Why (incident, symptom); stored in the plan, the LifeTime deployment notes and the report.
    .PARAMETER Connection
        The LifeTime connection from Connect-OsLifeTime.
    .PARAMETER ServiceCenterConnection
        The Service Center connection from Connect-OsServiceCenter.
    .PARAMETER SmokeScript
        Extra smoke checks (script blocks that get the environment name).
    .PARAMETER PlanPath
        Write the plan to <PlanPath>.json and <PlanPath>.md before executing.
    .PARAMETER CatalogPath
        The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.
    .EXAMPLE
        Invoke-OsLifeTimeRollback -Environment Production -Reason 'INC-1234' -Connection $lt -ServiceCenterConnection $sc

        Redeploys the tags that ran before the last rollback point's deploy.
    .EXAMPLE
        Invoke-OsLifeTimeRollback -Environment Production -Reason 'INC-1234' -Connection $lt -WhatIf

        Lists the steps; changes nothing.
    .LINK
    help:Get-Help%20Invoke-OsLifeTimeRollback%20-Full%20(installed%20with%20the%20module,%20no%20online%20version)
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
    Invoke-OsRunbookStrategy -Strategy LifeTime -RollbackPoint $RollbackPoint -Environment $Environment -Reason $Reason `
        -Connection $Connection -ServiceCenterConnection $ServiceCenterConnection -PlanPath $PlanPath -CatalogPath $CatalogPath `
        -InvokeParameters @{ SmokeScript = $SmokeScript }
}
