function Invoke-OsModuleRollback {
    <#
    .SYNOPSIS
        Rolls back module by module: the previous version of each changed module, then its consumers, producers first.
    .DESCRIPTION
        Plans with the Module strategy (New-OsRollbackPlan -Strategy Module), optionally writes the
        plan as JSON and Markdown, and executes it (Invoke-OsRollback): wave by wave, as
        Get-OsModuleOrder orders them. -Module limits it to some modules (their consumers are
        always republished too). Fails with the reason when more than -MaxModules modules would be
        republished. No data is lost. OutSystems supports single-module publishing for Traditional
        Web modules only.
    .PARAMETER RollbackPoint
        The rollback point; default: the newest of -Environment.
    .PARAMETER Environment
        The environment to roll back; also a guard that the plan is for it.
    .PARAMETER Reason
        Why (incident, symptom); stored in the plan and the report.
    .PARAMETER Module
        Only these modules (and their consumers); default: every module whose version changed.
    .PARAMETER MaxModules
        The most modules to republish (default 25).
    .PARAMETER AllowUnverifiedModuleVersionField
        Publish the previous module versions through Service Center's staging Version field, which
        OutSystems does not document; without it the plan refuses the Module strategy. Which
        versions run is verified afterwards.
    .PARAMETER Connection
        The LifeTime connection from Connect-OsLifeTime.
    .PARAMETER ServiceCenterConnection
        The Service Center connection from Connect-OsServiceCenter (the publishes).
    .PARAMETER SmokeScript
        Extra smoke checks (script blocks that get the environment name).
    .PARAMETER PlanPath
        Write the plan to <PlanPath>.json and <PlanPath>.md before executing.
    .PARAMETER CatalogPath
        The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.
    .EXAMPLE
        Invoke-OsModuleRollback -Environment Production -Module Orders_CS -Reason 'INC-1234' -Connection $lt -ServiceCenterConnection $sc

        Republishes the previous Orders_CS, then every module that consumes it.
    .LINK
    help:Get-Help%20Invoke-OsModuleRollback%20-Full%20(installed%20with%20the%20module,%20no%20online%20version)
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsRollbackPointCompleter])] [object] $RollbackPoint,
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsEnvironmentCompleter])] [string] $Environment,
        [Parameter(Mandatory)] [string] $Reason,
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsModuleCompleter])] [string[]] $Module,
        [ValidateRange(1, 10000)] [int] $MaxModules = 25,
        [switch] $AllowUnverifiedModuleVersionField,
        [object] $Connection,
        [object] $ServiceCenterConnection,
        [scriptblock[]] $SmokeScript = @(),
        [string] $PlanPath,
        [string] $CatalogPath
    )
    # A runbook stops at the first error: a failed step must never hand $null to the next one.
    $ErrorActionPreference = [System.Management.Automation.ActionPreference]::Stop
    $planParameters = @{ MaxModules = $MaxModules }
    if ($Module) { $planParameters.Module = $Module }
    if ($AllowUnverifiedModuleVersionField) { $planParameters.AllowUnverifiedModuleVersionField = $true }
    Invoke-OsRunbookStrategy -Strategy Module -RollbackPoint $RollbackPoint -Environment $Environment -Reason $Reason `
        -Connection $Connection -ServiceCenterConnection $ServiceCenterConnection -PlanPath $PlanPath -CatalogPath $CatalogPath `
        -PlanParameters $planParameters -InvokeParameters @{ SmokeScript = $SmokeScript }
}
