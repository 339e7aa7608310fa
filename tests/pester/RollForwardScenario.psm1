# The sandbox story both roll-forward test files start from: Quality aligned with Production
# (Orders 1.1.0), a rollback point, the bad Orders 1.2.0 deployed from Development with users
# writing DISC-ERR rows, a LifeTime rollback, and users writing again after it.
function Start-RolledBackOrders([string] $Directory, [string] $Catalog, [int] $RowsBefore = 24, [int] $RowsAfter = 12) {
    $sandbox = Start-OsSandbox -DataDirectory (Join-Path $Directory 'sandbox') -PaceMilliseconds 20 -Confirm:$false
    $lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
    $db = $sandbox.PlatformDatabase
    $traffic = { param([int] $Rows) $null = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/production/orders/api/traffic?rows=$Rows" }.GetNewClosure()
    $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0 -Connection $lt
    $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $lt -Confirm:$false
    $rp = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $db -Connection $lt -CatalogPath $Catalog -Confirm:$false
    $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
    $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
    & $traffic $RowsBefore
    $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-20 LifeTime' -Connection $lt -CatalogPath $Catalog
    $run = Invoke-OsRollback -Plan $plan -Connection $lt -CatalogPath $Catalog -Confirm:$false
    & $traffic $RowsAfter
    @{ Sandbox = $sandbox; LifeTime = $lt; Database = $db; RollbackPoint = $rp; Previous = $previous; Bad = $bad; Run = $run; Traffic = $traffic }
}

Export-ModuleMember -Function Start-RolledBackOrders
