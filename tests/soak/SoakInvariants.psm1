# The invariants checked after every scenario. Each is its own named check; each failure message
# names the seed and the scenario step it is about, so a failing seed can be replayed and read.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'SoakDatabase.psm1')
Import-Module (Join-Path $PSScriptRoot 'SoakActions.psm1')

function New-SoakCheck([string] $Name, [System.Collections.Generic.List[string]] $Failures) {
    [pscustomobject]@{ Name = $Name; Passed = $Failures.Count -eq 0; Failures = @($Failures) }
}

function Format-SoakRow($Row) { if ($null -eq $Row) { 'absent' } else { $Row | ConvertTo-Json -Compress } }

# Equal on the columns both sides have: columns the rolled-back version added are gone after a
# restore, and that is the schema moving back, not a user write lost.
function Test-SoakRowEqual($Expected, $Actual) {
    foreach ($name in $Expected.PSObject.Properties.Name) {
        if ($Actual.PSObject.Properties.Name -notcontains $name) { continue }
        if ("$($Expected.$name)" -cne "$($Actual.$name)") { return $false }
    }
    $true
}

function Find-SoakConflict($Conflicts, [string] $Table, [long] $Id) {
    @($Conflicts | Where-Object { $_.Table -eq $Table -and (($_.Key -replace '[^0-9]', '') -eq "$Id") }) | Select-Object -First 1
}

# 1. Every row users wrote before the rollback is in production as they left it, or is listed as
#    a conflict with its base, parallel and production versions.
function Test-SoakNoUserWriteLost($Run) {
    $failures = [System.Collections.Generic.List[string]]::new()
    # Without a restore, a later user write of the same row supersedes the earlier one.
    $superseded = if ($Run.PSObject.Properties.Name -contains 'Restored' -and -not $Run.Restored) { @($Run.PostState | ForEach-Object { "$($_.Table)#$($_.Id)" }) } else { @() }
    foreach ($written in $Run.PreState) {
        if ("$($written.Table)#$($written.Id)" -in $superseded) { continue }
        $now = Get-SoakRow $Run.ProductionPath $written.Table $written.Id
        $kept = if ($written.Exists) { $null -ne $now -and (Test-SoakRowEqual $written.Row $now) } else { $null -eq $now }
        if ($kept) { continue }
        $conflict = Find-SoakConflict $Run.Conflicts $written.Table $written.Id
        $where = "seed $($Run.Seed), step '$($written.Step)': $($written.Operation) of $($written.Table) ID $($written.Id)"
        if (-not $conflict) {
            $failures.Add("$where is lost: users left $(Format-SoakRow $written.Row), production has $(Format-SoakRow $now), and no conflict lists it.")
            continue
        }
        $versions = Get-SoakConflictVersions $conflict
        $missing = @('Base', 'Parallel', 'Production' | Where-Object { -not $versions.$_ })
        if ($missing) { $failures.Add("$where is listed as a conflict ($($conflict.Reason)) without its $($missing -join ', ') version(s).") }
    }
    New-SoakCheck 'NoUserWriteLost' $failures
}

# 2. Every row users wrote after the rollback reopened the applications is unchanged.
function Test-SoakNoPostReopeningWriteChanged($Run) {
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($written in $Run.PostState) {
        $now = Get-SoakRow $Run.ProductionPath $written.Table $written.Id
        $kept = if ($written.Exists) { $null -ne $now -and (Test-SoakRowEqual $written.Row $now) -and (Test-SoakRowEqual $now $written.Row) } else { $null -eq $now }
        if (-not $kept) {
            $failures.Add("seed $($Run.Seed), step '$($written.Step)': $($written.Operation) of $($written.Table) ID $($written.Id) after reopening was changed: users left $(Format-SoakRow $written.Row), production has $(Format-SoakRow $now).")
        }
    }
    New-SoakCheck 'NoPostReopeningWriteChanged' $failures
}

function Read-SoakJournal([string] $Path) {
    @(Get-Content -Path $Path | Where-Object { $_.Trim() } | ForEach-Object { try { $_ | ConvertFrom-Json -DateKind String } catch { $null } } | Where-Object { $_ })
}

function Get-SoakEventTime($Entry) {
    $value = $Entry.at
    if ($value -is [DateTimeOffset]) { return $value }
    if ($value -is [datetime]) { return [DateTimeOffset]$value }
    [DateTimeOffset]::Parse("$value", [cultureinfo]::InvariantCulture)
}

function Format-SoakSpanEnd([DateTimeOffset] $To) {
    if ($To -eq [DateTimeOffset]::MaxValue) { 'the end (killed, not finished by -Resume)' } else { $To.ToString('HH:mm:ss.fff') }
}

# 3. Never two rollbacks in progress on one environment: a run is in progress from its first to its
#    last journal event (a killed run stays in progress until its resume ends); the firewall hooks of
#    two operators must not interleave either.
function Test-SoakOneRollbackAtATime($Run) {
    $failures = [System.Collections.Generic.List[string]]::new()
    $spans = foreach ($journal in $Run.Journals) {
        $entries = @(Read-SoakJournal $journal.Path)
        $times = @(@($entries | ForEach-Object { Get-SoakEventTime $_ }) | Sort-Object)
        # A killed run that no -Resume finished is still in progress when the scenario ends.
        $unfinished = $journal.PSObject.Properties.Name -contains 'MustFinish' -and $journal.MustFinish -and -not @($entries | Where-Object event -EQ 'run-finished').Count
        $to = if ($unfinished) { [DateTimeOffset]::MaxValue } elseif ($times.Count) { $times[-1] }
        if ($times.Count) { [pscustomobject]@{ Operator = $journal.Operator; Path = $journal.Path; From = $times[0]; To = $to } }
    }
    $spans = @($spans)
    for ($i = 0; $i -lt $spans.Count; $i++) {
        for ($j = $i + 1; $j -lt $spans.Count; $j++) {
            $a = $spans[$i]; $b = $spans[$j]
            if ($a.From -le $b.To -and $b.From -le $a.To) {
                $failures.Add("seed $($Run.Seed), step 'rollback': two rollbacks of Production in progress at once: operator $($a.Operator) from $($a.From.ToString('HH:mm:ss.fff')) to $(Format-SoakSpanEnd $a.To) ($($a.Path)) and operator $($b.Operator) from $($b.From.ToString('HH:mm:ss.fff')) to $(Format-SoakSpanEnd $b.To) ($($b.Path)).")
            }
        }
    }
    if (Test-Path $Run.HookLog) {
        $offlineBy = $null
        foreach ($event in @(Get-Content $Run.HookLog | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json -DateKind String } | Sort-Object { Get-SoakEventTime $_ })) {
            if ($event.phase -eq 'Offline') {
                if ($offlineBy -and $offlineBy -ne $event.operator) {
                    $failures.Add("seed $($Run.Seed), step 'firewall hooks': operator $($event.operator) closed Production at $($event.at) while operator $offlineBy had it closed (hooks interleave).")
                }
                $offlineBy = $event.operator
            }
            elseif ($event.phase -eq 'Online') {
                if ($offlineBy -and $offlineBy -ne $event.operator) {
                    $failures.Add("seed $($Run.Seed), step 'firewall hooks': operator $($event.operator) opened Production at $($event.at) while operator $offlineBy had it closed for its rollback.")
                }
                $offlineBy = $null
            }
        }
    }
    New-SoakCheck 'OneRollbackAtATime' $failures
}

# Restores a backup file into a scratch file (SQLite: a copy through the backup API) and checks it.
function Test-SoakBackupRestoresTo([string] $BackupPath, [string] $ExpectedStatePath, [string] $Scratch, [string] $Where, [System.Collections.Generic.List[string]] $Failures) {
    if (-not $BackupPath -or -not (Test-Path $BackupPath)) { $Failures.Add("${Where}: the safety backup '$BackupPath' does not exist."); return }
    if (-not (Test-Path $ExpectedStatePath)) { $Failures.Add("${Where}: no copy of the replaced state was taken (harness: $ExpectedStatePath missing)."); return }
    $restored = Join-Path $Scratch ("restored-" + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.db')
    Copy-SoakDatabase $BackupPath $restored
    if (-not (Test-SoakIntegrity $restored)) { $Failures.Add("${Where}: the safety backup '$BackupPath' fails PRAGMA integrity_check once restored."); return }
    $differing = @(Compare-SoakTableHashes (Get-SoakTableHashes $ExpectedStatePath) (Get-SoakTableHashes $restored))
    if ($differing.Count) { $Failures.Add("${Where}: the safety backup '$BackupPath' does not restore to the replaced state; tables that differ: $($differing -join ', ')."); return }
    # A second, independent oracle: sqldiff (sqlite3-tools) must find nothing to change.
    $changes = @(Get-SoakSqldiff $ExpectedStatePath $restored)
    if ($changes.Count) { $Failures.Add("${Where}: sqldiff finds the restored safety backup '$BackupPath' differs from the replaced state: $(($changes | Select-Object -First 3) -join ' ')") }
}

# 4. Every replace (a database restore, a delta import) is preceded by a safety backup that
#    restores to exactly the state it replaced.
function Test-SoakSafetyBackupBeforeReplace($Run) {
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($journal in $Run.Journals) {
        $backupPath = $null
        foreach ($entry in (Read-SoakJournal $journal.Path)) {
            # The typed journal records a step's result as its outcome (type BackupTaken, backupPath).
            if ($entry.kind -eq 'BackupCurrent' -and $entry.event -eq 'finished' -and $entry.PSObject.Properties.Name -contains 'outcome' -and $entry.outcome -and $entry.outcome.PSObject.Properties.Name -contains 'backupPath') { $backupPath = $entry.outcome.backupPath }
            if ($entry.kind -ne 'RestoreDatabase' -or $entry.event -ne 'started') { continue }
            $where = "seed $($Run.Seed), step $($entry.step) RestoreDatabase of operator $($journal.Operator) at $($entry.at)"
            if (-not $backupPath) { $failures.Add("${where}: no safety backup finished before the restore started ($($journal.Path))."); continue }
            Test-SoakBackupRestoresTo $backupPath $journal.ReplacedState $Run.Scratch $where $failures
            $backupPath = $backupPath   # a resumed restore replaces the same state again
        }
    }
    foreach ($import in $Run.Imports) {
        $paths = @($import.Results | ForEach-Object { $_.SafetyBackupPath } | Where-Object { $_ } | Sort-Object -Unique)
        $where = "seed $($Run.Seed), step 'Import-OsDataDelta'"
        if (-not $paths) { $failures.Add("${where}: the import names no safety backup."); continue }
        foreach ($path in $paths) { Test-SoakBackupRestoresTo $path $import.ReplacedState $Run.Scratch $where $failures }
    }
    New-SoakCheck 'SafetyBackupBeforeReplace' $failures
}

# 5. Journal complete: every step started has an outcome, a finished run has its reports, and the
#    run killed with kill -9 was finished by -Resume.
function Test-SoakJournalComplete($Run) {
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($journal in $Run.Journals) {
        $entries = Read-SoakJournal $journal.Path
        foreach ($group in @($entries | Where-Object { $_.step -gt 0 } | Group-Object step)) {
            $last = $group.Group[-1]
            if ($last.event -notin 'finished', 'failed') {
                $failures.Add("seed $($Run.Seed), step $($last.step) ($($last.kind)) of operator $($journal.Operator): started at $($last.at) and has no outcome ($($journal.Path)).")
            }
        }
        if (@($entries | Where-Object event -EQ 'run-finished').Count) {
            foreach ($report in 'report.json', 'report.md') {
                $path = Join-Path (Split-Path $journal.Path) $report
                if (-not (Test-Path $path)) { $failures.Add("seed $($Run.Seed), step 'report' of operator $($journal.Operator): the run finished but $path is missing.") }
            }
        }
        elseif ($journal.MustFinish) {
            $failures.Add("seed $($Run.Seed), step 'resume' of operator $($journal.Operator): the run has no run-finished event after -Resume ($($journal.Path)); last outcome: $($journal.Outcome).")
        }
    }
    New-SoakCheck 'JournalComplete' $failures
}

function Test-SoakInvariants($Run) {
    @(
        Test-SoakNoUserWriteLost $Run
        Test-SoakNoPostReopeningWriteChanged $Run
        Test-SoakOneRollbackAtATime $Run
        Test-SoakSafetyBackupBeforeReplace $Run
        Test-SoakJournalComplete $Run
    )
}

Export-ModuleMember -Function Test-SoakInvariants, Test-SoakNoUserWriteLost, Test-SoakNoPostReopeningWriteChanged, Test-SoakOneRollbackAtATime, Test-SoakSafetyBackupBeforeReplace, Test-SoakJournalComplete
