# Shared by the strategy runbooks (not exported): find the rollback point, plan with one
# strategy, export the plan for the record, and execute it.
function Invoke-OsRunbookStrategy {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory)] [string] $Strategy,
        [object] $RollbackPoint,
        [string] $Environment,
        [Parameter(Mandatory)] [string] $Reason,
        [object] $Connection,
        [object] $ServiceCenterConnection,
        [string] $PlanPath,
        [string] $CatalogPath,
        [hashtable] $PlanParameters = @{},
        [hashtable] $InvokeParameters = @{}
    )
    # A runbook stops at the first error: a failed step must never hand $null to the next one.
    $ErrorActionPreference = [System.Management.Automation.ActionPreference]::Stop
    $catalog = if ($CatalogPath) { @{ CatalogPath = $CatalogPath } } else { @{} }
    if (-not $RollbackPoint) {
        if (-not $Environment) { throw [System.ArgumentException]::new('Give -RollbackPoint, or -Environment to use its newest rollback point.') }
        $RollbackPoint = Get-OsRollbackPoint -Environment $Environment -Latest @catalog
        if (-not $RollbackPoint) { throw [System.Management.Automation.ItemNotFoundException]::new("No rollback point of '$Environment' exists in the catalog. Take one with New-OsRollbackPoint before each deploy.") }
        Write-Verbose "Using the newest rollback point of ${Environment}: $($RollbackPoint.Id)."
    }
    $plan = New-OsRollbackPlan -RollbackPoint $RollbackPoint -Reason $Reason -Strategy $Strategy -Connection $Connection @catalog @PlanParameters -ErrorAction Stop
    if ($PlanPath) {
        $null = $plan | Export-OsRollbackPlan -Path "$PlanPath.json" -Format Json -Force -WhatIf:$false -Confirm:$false
        $null = $plan | Export-OsRollbackPlan -Path "$PlanPath.md" -Format Markdown -Force -WhatIf:$false -Confirm:$false
        Write-Verbose "Plan written to $PlanPath.json and $PlanPath.md."
    }
    if ($Environment) { $InvokeParameters['Environment'] = $Environment }
    Invoke-OsRollback -Plan $plan -Connection $Connection -ServiceCenterConnection $ServiceCenterConnection @catalog @InvokeParameters -ErrorAction Stop
}
