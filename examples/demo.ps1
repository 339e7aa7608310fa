<#
.SYNOPSIS
    The OsRollback demo: a bad deploy on the sandbox, rolled back two ways.
.DESCRIPTION
    Starts the sandbox (a local OutSystems stand-in), takes a rollback point of Production,
    deploys a bad version that fails its smoke test while users write rows, plans the rollback,
    executes it with the LifeTime strategy, rolls forward to the fix 1.2.1 with a rehearsed data
    repair of the rows 1.2.0 corrupted, then rehearses the database-restore runbook, shows
    what the rollback left behind (schema and rows) and recovers the rows written in between.
    Everything runs in a scratch folder; the sandbox is stopped at the end.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # readable output in logs and pipelines
$PSStyle.OutputRendering = 'PlainText'
Import-Module $ModulePath -Force

$work = Join-Path ([System.IO.Path]::GetTempPath()) ("osrollback-demo-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
$null = New-Item -ItemType Directory -Path $work
$env:OSROLLBACK_HOME = Join-Path $work 'catalog'
$clock = [System.Diagnostics.Stopwatch]::StartNew()

function Write-Step([string] $Text) { Write-Host ("`n[{0,5:0.0}s] == {1} ==" -f $clock.Elapsed.TotalSeconds, $Text) }
function Show($InputObject) { $InputObject | Format-Table -AutoSize | Out-String -Width 150 | ForEach-Object { Write-Host $_.TrimEnd() } }
function Add-Traffic([string] $Rows) {
    $answer = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/production/orders/api/traffic?rows=$Rows"
    Write-Host "Users wrote $(@($answer.written).Count) rows in Orders."
}

Write-Step 'Start the sandbox (LifeTime, Service Center and platform databases on 127.0.0.1)'
$sandbox = Start-OsSandbox -DataDirectory (Join-Path $work 'sandbox') -PaceMilliseconds 50 -Confirm:$false
try {
    $lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
    $sc = Connect-OsServiceCenter -Uri $sandbox.Url -Credential $sandbox.ServiceCenterCredential
    Write-Host "Sandbox at $($sandbox.Url); Production's platform database: $($sandbox.PlatformDatabase)"
    Show (Get-OsApplication -Name Orders, Billing, 'Customers Core' -Environment Production | Select-Object ApplicationName, Version, EnvironmentName)

    Write-Step 'Before the hotfix, Quality is brought in line with Production (Orders 1.1.0)'
    $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0
    Show (Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Notes 'Align Quality' -Confirm:$false |
        Select-Object DeploymentKey, DeploymentStatus, TargetEnvironment)

    Write-Step 'Take a rollback point of Production (verified backup, versions, package, module graph, schema)'
    $rp = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $sandbox.PlatformDatabase -Description 'Before Orders 1.2.0' -Confirm:$false
    Show ($rp | Select-Object Id, Environment, CreatedAt)
    Show (Test-OsRollbackPoint -RollbackPoint $rp | Select-Object Id, Passed)

    Write-Step 'Deploy Orders 1.2.0 straight from Development (the bad release)'
    $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0
    Show (Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Notes 'Hotfix 1.2.0' -Confirm:$false |
        Select-Object DeploymentKey, DeploymentStatus, TargetEnvironment)
    Add-Traffic 12
    Show (Test-OsSmoke -RollbackPoint $rp -Attempts 1 | Select-Object Name, Url, Passed, StatusCode, Message)

    Write-Step 'Plan the rollback (best strategy that can work, with reasons)'
    $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-1126: the Orders page fails after 1.2.0'
    $planFile = Export-OsRollbackPlan -Plan $plan -Path (Join-Path $work 'plan.md') -Format Markdown -Confirm:$false
    Get-Content $planFile | ForEach-Object { Write-Host "  $_" }

    Write-Step 'Execute the plan (LifeTime strategy)'
    $result = Invoke-OsRollback -Plan $plan -Confirm:$false
    Show ($result.Steps | Select-Object Number, Kind, Status, Detail)
    Write-Host "Overall: $($result.Status)"
    Show (Test-OsSmoke -RollbackPoint $rp -Attempts 1 | Select-Object Name, Url, Passed, StatusCode)
    Add-Traffic 6

    Write-Step 'What the LifeTime rollback left behind: schema drift against the rollback point'
    Show (Get-OsSchemaDrift -SqlitePath $sandbox.PlatformDatabase -RollbackPoint $rp | Select-Object Kind, Table, Column, Module, RowsWithData, Recommendation)

    Write-Step 'Roll forward: readiness report (the base to fix from, what 1.2.0 left with its rows)'
    $readiness = Test-OsRollForward -RollbackPoint $rp -SqlitePath $sandbox.PlatformDatabase -WarningAction SilentlyContinue
    Show ($readiness.Base | Select-Object Application, Version, RolledBackTo)
    Show ($readiness.LeftBehind | Where-Object RowsWithData | Select-Object Table, Column, RowsWithData)

    Write-Step 'Rehearse the data repair on a parallel copy (production untouched)'
    $fixSql = Join-Path $work 'fix-discount.sql'
    $checkSql = Join-Path $work 'check-discount.sql'
    Set-Content -Path $fixSql -Value "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE DISCOUNT_CODE = 'DISC-ERR';"
    Set-Content -Path $checkSql -Value "SELECT ID, DISCOUNT_CODE FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR';"
    $rehearsal = Invoke-OsDataRepair -SqlitePath $sandbox.PlatformDatabase -Script $fixSql -Check $checkSql -Rehearse -RollbackPoint $rp -Confirm:$false
    Show ($rehearsal.Statements | Select-Object Number, Table, RowsChanged)
    Write-Host "Rehearsal checks passed: $($rehearsal.ChecksPassed)"

    Write-Step 'Deploy the fix, Orders 1.2.1, from Development; then the rehearsed repair on production'
    $fixVersion = Get-OsApplicationVersion -Application Orders -Version 1.2.1
    Show (Publish-OsApplicationVersion -ApplicationVersion $fixVersion -SourceEnvironment Development -TargetEnvironment Production -Notes 'Roll forward 1.2.1' -Confirm:$false |
        Select-Object DeploymentKey, DeploymentStatus, TargetEnvironment)
    Add-Traffic 6
    $repair = Invoke-OsDataRepair -SqlitePath $sandbox.PlatformDatabase -Script $fixSql -Check $checkSql -RollbackPoint $rp -Confirm:$false
    Show ($repair.Statements | Select-Object Number, Table, RowsChanged)
    # The check ran in the repair's transaction, after the script: what it returns is what is left.
    Write-Host "Repair committed: $($repair.Committed); DISC-ERR rows left in production: $($repair.Checks[0].RowCount)"

    Write-Step 'Rehearse the last resort: the database-restore runbook (data loss accepted, recovered afterwards)'
    $drill = New-OsRollbackPlan -RollbackPoint $rp -Strategy Database -AllowDataLoss -Reason 'Drill: database restore'
    $drillResult = Invoke-OsRollback -Plan $drill -SqlitePath $sandbox.PlatformDatabase -ServiceCenterConnection $sc `
        -OfflineScript { Write-Host '  firewall hook: Production closed to users' } `
        -OnlineScript { Write-Host '  firewall hook: Production open to users' } -ProcedureScript $sandbox.ProcedureScript -Confirm:$false
    Show ($drillResult.Steps | Select-Object Number, Kind, Status)
    Write-Host "Overall: $($drillResult.Status); parallel database: $($drillResult.ParallelDatabase)"

    Write-Step 'Rows written between the deploy and the restore (production vs the parallel database)'
    $parallel = $drillResult.ParallelDatabase
    Show (Compare-OsDatabaseData -SqlitePath $sandbox.PlatformDatabase -ReferenceSqlitePath $parallel | Where-Object { $_.Inserted -or $_.Changed -or $_.Deleted } |
        Select-Object Table, Inserted, Changed, Deleted)

    Write-Step 'Recover them into production (reviewable delta, safety backup first)'
    $delta = Export-OsDataDelta -SqlitePath $sandbox.PlatformDatabase -ReferenceSqlitePath $parallel -Path (Join-Path $work 'lost-rows.jsonl') -Confirm:$false
    Show (Import-OsDataDelta -SqlitePath $sandbox.PlatformDatabase -Path $delta.Path -Confirm:$false | Select-Object Table, Inserted, Updated, ConflictCount)
    Show (Compare-OsDatabaseData -SqlitePath $sandbox.PlatformDatabase -ReferenceSqlitePath $parallel | Where-Object { $_.Inserted -or $_.Changed } |
        Select-Object Table, Inserted, Changed, Deleted)
    Write-Host 'No inserted or changed rows remain: the lost rows are back in production.'
}
finally {
    Write-Step 'Stop the sandbox'
    $sandbox | Stop-OsSandbox -Confirm:$false
    Write-Host ("Demo finished in {0:0.0} s. Files: {1}" -f $clock.Elapsed.TotalSeconds, $work)
}
