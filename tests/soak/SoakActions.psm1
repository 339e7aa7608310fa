# The one place where scenario actions become cmdlet calls. When a cmdlet's parameters change
# (three-way export, plan digests, environment locks), adapt this file; the scenario, the runner
# and the invariants only speak of actions.
Set-StrictMode -Version 3.0

function Start-SoakSandbox([string] $DataDirectory, [int] $Seed) {
    Start-OsSandbox -DataDirectory $DataDirectory -PaceMilliseconds 20 -Seed $Seed -Reset -Confirm:$false
}

function Stop-SoakSandbox($Sandbox) { $Sandbox | Stop-OsSandbox -Confirm:$false }

function Connect-SoakPlatform($Sandbox) {
    [pscustomobject]@{
        LifeTime      = Connect-OsLifeTime -Uri $Sandbox.Url -Token $Sandbox.Token
        ServiceCenter = Connect-OsServiceCenter -Uri $Sandbox.Url -Credential $Sandbox.ServiceCenterCredential
    }
}

# A LifeTime rollback needs an upstream environment that runs the previous tag.
function Initialize-SoakUpstream($Platform) {
    $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0 -Connection $Platform.LifeTime
    $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $Platform.LifeTime -Confirm:$false
}

# The Module strategy republishes from a point of the whole environment (as the sandbox tests do);
# the others capture the application that is about to change.
function New-SoakRollbackPoint($Platform, [string] $SqlitePath, [string] $CatalogPath, [string] $Strategy, [string] $Description) {
    $arguments = @{ Environment = 'Production'; SqlitePath = $SqlitePath; Connection = $Platform.LifeTime; CatalogPath = $CatalogPath; Description = $Description; Confirm = $false }
    if ($Strategy -ne 'Module') { $arguments.Application = 'Orders' }
    New-OsRollbackPoint @arguments -WarningAction SilentlyContinue
}

function Publish-SoakBadVersion($Platform) {
    $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $Platform.LifeTime
    $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $Platform.LifeTime -Confirm:$false
}

# Users of the Orders application (the sandbox's traffic endpoint): returns the keys it wrote.
function Invoke-SoakAppTraffic($Sandbox, [int] $Rows) {
    $answer = Invoke-RestMethod -Method Post -Uri "$($Sandbox.Url)/production/orders/api/traffic?rows=$Rows" -TimeoutSec 30
    @($answer.written)
}

# Returns the path of the exported JSON plan (what an approver signs and Invoke-OsRollback runs).
function New-SoakPlanFile($Platform, $RollbackPoint, [string] $CatalogPath, [string] $Strategy, [string] $Path) {
    $arguments = @{ RollbackPoint = $RollbackPoint; Reason = "Soak: $Strategy rollback"; Strategy = $Strategy; Connection = $Platform.LifeTime; CatalogPath = $CatalogPath }
    if ($Strategy -eq 'Database') { $arguments.AllowDataLoss = $true }
    if ($Strategy -eq 'Module') { $arguments.AllowUnverifiedModuleVersionField = $true }
    $plan = New-OsRollbackPlan @arguments -WarningAction SilentlyContinue
    $null = Export-OsRollbackPlan -Plan $plan -Path $Path -Confirm:$false
    [pscustomobject]@{ Path = $Path; Id = $plan.Id; StepCount = @($plan.Steps).Count; Steps = @($plan.Steps | ForEach-Object { "$($_.Number):$($_.Kind)" }) }
}

# Runs inside the operator's child pwsh (Invoke-SoakOperator.ps1). $Hooks holds the firewall
# hook script blocks, which log every phase for the one-rollback-at-a-time invariant.
function Invoke-SoakRollback([string] $PlanPath, [string] $CatalogPath, [string] $SqlitePath, $Platform, [bool] $Resume, $Hooks) {
    $arguments = @{
        Plan = $PlanPath; Environment = 'Production'; CatalogPath = $CatalogPath; SqlitePath = $SqlitePath
        Connection = $Platform.LifeTime; ServiceCenterConnection = $Platform.ServiceCenter
        OfflineScript = $Hooks.Offline; OnlineScript = $Hooks.Online; Confirm = $false
    }
    if ($Hooks.Procedure) { $arguments.ProcedureScript = $Hooks.Procedure }
    if ($Resume) { $arguments.Resume = $true }
    Invoke-OsRollback @arguments -WarningAction SilentlyContinue
}

# Three-way export: the base is the backup of the rollback point that was restored (found in the
# catalog of the operator whose run restored it), so rows written after reopening are told apart
# from lost ones.
function Export-SoakLostRows([string] $SqlitePath, [string] $ParallelPath, $RollbackPoint, [string] $CatalogPath, [string] $Path) {
    $arguments = @{ SqlitePath = $SqlitePath; ReferenceSqlitePath = $ParallelPath; RollbackPoint = $RollbackPoint; CatalogPath = $CatalogPath; Path = $Path; Confirm = $false; WarningAction = 'SilentlyContinue' }
    Export-OsDataDelta @arguments
}

# Returns the import results (Conflicts, SafetyBackupPath); conflicts are never overwritten.
# Lost deletes are applied too: the import deletes a row only where production still equals the
# base, so a row users changed after reopening becomes a conflict instead.
function Import-SoakLostRows([string] $SqlitePath, $Delta, [string] $SafetyBackupDirectory) {
    $arguments = @{ SqlitePath = $SqlitePath; Path = $Delta.Path; SafetyBackupDirectory = $SafetyBackupDirectory; IncludeDeletes = $true; Confirm = $false; WarningAction = 'SilentlyContinue' }
    @(Import-OsDataDelta @arguments)
}

# A conflict "with its versions" carries the row's base, parallel (Theirs) and production (Ours)
# versions; a version is null where the row did not exist, so the property must be present.
function Get-SoakConflictVersions($Conflict) {
    $names = @($Conflict.PSObject.Properties.Name)
    [pscustomobject]@{
        Base       = if ($names -contains 'Base') { 'Base' }
        Parallel   = if ($names -contains 'Theirs') { 'Theirs' }
        Production = if ($names -contains 'Ours') { 'Ours' }
    }
}

Export-ModuleMember -Function *
