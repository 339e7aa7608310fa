<#
.SYNOPSIS
    One operator running Invoke-OsRollback in its own pwsh process, as a DBA's session or a
    pipeline agent would. The soak starts it, may kill it (kill -9) and starts it again with -Resume.
.DESCRIPTION
    Secrets come from the environment (OSROLLBACK_SOAK_TOKEN, OSROLLBACK_SOAK_SC_USER,
    OSROLLBACK_SOAK_SC_PASSWORD), never from the command line. The firewall hooks append one JSON
    line per phase to -HookLog; the first offline hook of the operator also copies the database
    (the state the restore is about to replace) to -SnapshotDirectory. The outcome is written
    to -ResultPath as JSON.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PlanPath,
    [Parameter(Mandatory)] [string] $CatalogPath,
    [Parameter(Mandatory)] [string] $SqlitePath,
    [Parameter(Mandatory)] [string] $Url,
    [Parameter(Mandatory)] [string] $Operator,
    [Parameter(Mandatory)] [string] $HookLog,
    [Parameter(Mandatory)] [string] $SnapshotDirectory,
    [Parameter(Mandatory)] [string] $ResultPath,
    [switch] $Resume
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'SoakActions.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'SoakDatabase.psm1') -Force

$global:SoakHook = @{ Operator = $Operator; Log = $HookLog; Snapshots = $SnapshotDirectory; Database = $SqlitePath }
function global:Write-SoakHookEvent([string] $Phase, $Context) {
    $hook = $global:SoakHook
    if ($Phase -eq 'Offline') {
        $snapshot = Join-Path $hook.Snapshots 'replaced-state.db'
        if (-not (Test-Path $snapshot)) { Copy-SoakDatabase $hook.Database $snapshot }
    }
    $line = [ordered]@{ at = [DateTimeOffset]::UtcNow.ToString('o'); operator = $hook.Operator; phase = $Phase; planId = $Context.PlanId; pid = $PID } | ConvertTo-Json -Compress
    [System.IO.File]::AppendAllText($hook.Log, $line + "`n")
}
$hooks = @{
    Offline = { param($context) Write-SoakHookEvent 'Offline' $context }
    Online  = { param($context) Write-SoakHookEvent 'Online' $context }
}

$outcome = [ordered]@{ operator = $Operator; resume = [bool]$Resume; status = $null; errorId = $null; message = $null; parallelDatabase = $null; preRollbackBackup = $null; journal = $null }
try {
    $token = ConvertTo-SecureString $env:OSROLLBACK_SOAK_TOKEN -AsPlainText -Force
    $password = ConvertTo-SecureString $env:OSROLLBACK_SOAK_SC_PASSWORD -AsPlainText -Force
    $sandbox = [pscustomobject]@{ Url = $Url; Token = $token; ServiceCenterCredential = [pscredential]::new($env:OSROLLBACK_SOAK_SC_USER, $password) }
    $platform = Connect-SoakPlatform $sandbox
    $hooks.Procedure = [OsRollback.Cmdlets.Sandbox.OsSandbox]::ProcedureScriptFor($Url, $token)
    $result = Invoke-SoakRollback -PlanPath $PlanPath -CatalogPath $CatalogPath -SqlitePath $SqlitePath -Platform $platform -Resume ([bool]$Resume) -Hooks $hooks
    $outcome.status = "$($result.Status)"
    $outcome.parallelDatabase = $result.ParallelDatabase
    $outcome.preRollbackBackup = $result.PreRollbackBackup
    $outcome.journal = $result.JournalPath
}
catch {
    $outcome.status = 'Error'
    $outcome.errorId = $_.FullyQualifiedErrorId
    $outcome.message = "$($_.Exception.Message)"
}
$outcome | ConvertTo-Json | Set-Content -Path $ResultPath
