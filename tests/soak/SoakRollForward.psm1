# The roll-forward phase of a soak scenario, after the rollback and the users' writes: the data
# repair of the DISC-ERR codes Orders 1.2.0 wrote. A repair whose check fails first, then the
# rehearsal and the repair, sometimes killed mid-way in its own pwsh and run again. Its own
# invariants are checked against copies taken just before (sqldiff), independent of the module.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'SoakDatabase.psm1')

$script:RepoRoot = Split-Path (Split-Path $PSScriptRoot)
$script:Fix = "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE DISCOUNT_CODE = 'DISC-ERR';"
$script:Partial = "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = (SELECT MIN(ID) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR');"
$script:Check = "SELECT ID FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR';"

function New-SoakCheckResult([string] $Name, [System.Collections.Generic.List[string]] $Failures) {
    [pscustomobject]@{ Name = $Name; Passed = $Failures.Count -eq 0; Failures = @($Failures) }
}

# Runs the repair in a child pwsh and kills it after the seeded delay (or lets it finish).
function Invoke-SoakKilledRepair([string] $ModulePath, [string] $Db, [string] $Script, [string] $Check, [string] $Catalog, [string] $Folder, [int] $KillAfterMs) {
    $pwsh = & (Join-Path $script:RepoRoot 'tools/Get-PwshCommand.ps1')
    $runner = Join-Path $Folder 'repair-child.ps1'
    Set-Content $runner "Import-Module '$ModulePath'; Invoke-OsDataRepair -SqlitePath '$Db' -Script '$Script' -Check '$Check' -CatalogPath '$Catalog' -Confirm:`$false | Out-Null"
    $process = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $runner)) -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $Folder 'repair-child.out') -RedirectStandardError (Join-Path $Folder 'repair-child.err')
    $killed = -not $process.WaitForExit($KillAfterMs)
    if ($killed) { $process.Kill(); $null = $process.WaitForExit(10000) }
    $killed
}

function Invoke-SoakRollForwardPhase([int] $Seed, [string] $Db, [string] $Work, [string] $ModulePath, [object[]] $PostState, [System.Collections.Generic.List[string]] $Trace) {
    $folder = Join-Path $Work 'roll-forward'
    $null = New-Item -ItemType Directory -Force -Path $folder
    $catalog = Join-Path $folder 'catalog'
    $random = [System.Random]::new($Seed * 7919 + 20)
    $onlyTargeted = [System.Collections.Generic.List[string]]::new()
    $postUnchanged = [System.Collections.Generic.List[string]]::new()
    $failedUnchanged = [System.Collections.Generic.List[string]]::new()
    $atMostOnce = [System.Collections.Generic.List[string]]::new()
    if (-not (Get-SoakColumns $Db 'OSUSR_ORD_ORDER' | Where-Object { $_ -eq 'DISCOUNT_CODE' })) {
        $Trace.Add('        roll-forward: the restore took DISCOUNT_CODE away with the bad version; nothing to repair')
        return
    }
    $fix = Join-Path $folder 'fix.sql'; Set-Content $fix $script:Fix
    $partial = Join-Path $folder 'partial.sql'; Set-Content $partial $script:Partial
    $check = Join-Path $folder 'check.sql'; Set-Content $check $script:Check
    $targeted = @(Invoke-SoakQuery $Db $script:Check | ForEach-Object { [long]$_.ID })

    # A repair whose check still finds rows (more than one bad row) changes nothing.
    $beforeFailed = Join-Path $folder 'before-failed.db'
    Copy-SoakDatabase $Db $beforeFailed
    $failedId = try { Invoke-OsDataRepair -SqlitePath $Db -Script $partial -Check $check -CatalogPath (Join-Path $folder 'catalog-partial') -Force -Confirm:$false -WarningAction SilentlyContinue | Out-Null; 'none' } catch { $_.FullyQualifiedErrorId -replace ',.*$', '' }
    if ($targeted.Count -gt 1 -and $failedId -ne 'RepairCheckFailed') { $failedUnchanged.Add("seed ${Seed}: a partial repair of $($targeted.Count) bad rows ended with '$failedId', not RepairCheckFailed") }
    foreach ($line in Get-SoakSqldiff $beforeFailed $Db) { $failedUnchanged.Add("seed ${Seed}: the repair whose check failed changed the target: $line") }

    # Rehearse, then repair: sometimes killed mid-way, then run again; then once more.
    $before = Join-Path $folder 'before-repair.db'
    Copy-SoakDatabase $Db $before
    $null = Invoke-OsDataRepair -SqlitePath $Db -Script $fix -Check $check -CatalogPath $catalog -Rehearse -Confirm:$false
    $killAfter = if ($random.Next(3) -eq 0) { 600000 } else { 300 + $random.Next(4000) }
    $killed = Invoke-SoakKilledRepair $ModulePath $Db $fix $check $catalog $folder $killAfter
    # What the child left in the journal: Applied or Started must never be followed by another application.
    $journal = Get-ChildItem -Path $catalog -Recurse -Filter 'repair.json' | Select-Object -First 1
    $childState = if ($journal) { (Get-Content -Raw $journal.FullName | ConvertFrom-Json).state } else { 'none' }
    $outcomes = foreach ($attempt in 1, 2) {
        try {
            $result = Invoke-OsDataRepair -SqlitePath $Db -Script $fix -Check $check -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
            if ($result.AlreadyApplied) { 'AlreadyApplied' } else { 'Applied' }
        }
        catch { $_.FullyQualifiedErrorId -replace ',.*$', '' }
    }
    $Trace.Add("        roll-forward: $($targeted.Count) DISC-ERR rows; partial repair: $failedId; repair child killed: $killed (after $killAfter ms, journal: $childState); reruns: $($outcomes -join ', ')")
    if ($childState -in 'Applied', 'Started' -and 'Applied' -in $outcomes) { $atMostOnce.Add("seed ${Seed}: the first run left the journal '$childState', yet a rerun applied the repair again") }
    if (@($outcomes | Where-Object { $_ -eq 'Applied' }).Count -gt 1) { $atMostOnce.Add("seed ${Seed}: the repair was applied by both reruns") }
    if ($outcomes[1] -notin 'AlreadyApplied', 'RepairOutcomeUnknown') { $atMostOnce.Add("seed ${Seed}: the last rerun was '$($outcomes[1])', not a no-op") }
    $left = @(Invoke-SoakQuery $Db $script:Check).Count
    if ($outcomes[1] -eq 'AlreadyApplied' -and $left -ne 0) { $atMostOnce.Add("seed ${Seed}: the repair is recorded as applied but $left DISC-ERR rows remain") }

    # What changed since the copy: only the targeted rows, only DISCOUNT_CODE, to NULL.
    $changedIds = [System.Collections.Generic.HashSet[long]]::new()
    foreach ($line in Get-SoakSqldiff $before $Db) {
        if ($line -match '^UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE=NULL WHERE ID=(\d+);$' -and [long]$Matches[1] -in $targeted) { $null = $changedIds.Add([long]$Matches[1]) }
        else { $onlyTargeted.Add("seed ${Seed}: the repair made a change its check did not target: $line") }
    }
    if ($changedIds.Count -gt $targeted.Count) { $atMostOnce.Add("seed ${Seed}: more rows changed ($($changedIds.Count)) than were targeted ($($targeted.Count))") }
    foreach ($written in @($PostState | Where-Object Exists)) {
        if ($written.Table -eq 'OSUSR_ORD_ORDER' -and $changedIds.Contains([long]$written.Id)) { continue }
        $now = Get-SoakRow $Db $written.Table $written.Id
        $then = Get-SoakRow $before $written.Table $written.Id
        if (($now | ConvertTo-Json -Compress) -cne ($then | ConvertTo-Json -Compress)) { $postUnchanged.Add("seed ${Seed}: the post-reopening write $($written.Table)#$($written.Id) ($($written.Step)) changed during the repair") }
    }
    @(
        New-SoakCheckResult 'RepairChangesOnlyTargetedRows' $onlyTargeted
        New-SoakCheckResult 'RepairLeavesPostReopeningWrites' $postUnchanged
        New-SoakCheckResult 'FailedCheckLeavesTargetUnchanged' $failedUnchanged
        New-SoakCheckResult 'RepairAppliedAtMostOnce' $atMostOnce
    )
}

Export-ModuleMember -Function Invoke-SoakRollForwardPhase
