# The tamper phase: between plan and run (and between export and import) one
# file is changed as an attacker with write access would: swapped, truncated, a value edited, the
# format downgraded, a record deleted, or replaced by a symbolic link. An unapproved change must
# never run: the run is refused with an ErrorId, or the change is provably harmless (the file is
# not read by a run of that strategy, or its content is unchanged). The files are put back before
# the scenario goes on. Every choice comes from the scenario's seed.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'SoakDatabase.psm1')

$script:Kinds = @('Swap', 'Truncate', 'EditValue', 'Downgrade', 'DeleteRecord', 'Symlink')
$script:Targets = @('Plan', 'Manifest', 'ManifestChecksum', 'Backup', 'BackupMetadata', 'ModuleGraph', 'SolutionPackage', 'SchemaSnapshot')
# The sealing refusals, and DataDeltaMalformed for a file that no longer parses (refused before anything is read into the database).
$script:DeltaIds = @('DataDeltaTampered', 'DataDeltaUnsealed', 'DataDeltaNotThreeWay', 'DataDeltaTableNotAllowed', 'DataDeltaBaseMismatch', 'DataDeltaWrongDatabase', 'DataDeltaMalformed')

# The tamper of a scenario, drawn from its random (after every earlier draw, so older seeds keep their scenario).
function New-SoakTamper([System.Random] $Random) {
    [pscustomobject]@{
        Kind = $script:Kinds[$Random.Next($script:Kinds.Count)]; Target = $script:Targets[$Random.Next($script:Targets.Count)]
        DeltaKind = $script:Kinds[$Random.Next($script:Kinds.Count)]; Fraction = $Random.NextDouble()
    }
}

# Which files a run of each strategy reads besides the plan and the manifest (what the steps use).
function Test-SoakFileReadByRun([string] $Strategy, [string] $Target) {
    switch ($Target) {
        { $_ -in 'Plan', 'Manifest', 'ManifestChecksum' } { return $true }
        { $_ -in 'Backup', 'BackupMetadata' } { return $Strategy -eq 'Database' }
        'SolutionPackage' { return $Strategy -eq 'Solution' }
        default { return $false }   # module graph, schema snapshot: the plan's steps carry what they hold
    }
}

function Get-SoakTamperFile($Point, [string] $PlanPath, [string] $Target) {
    $manifest = Get-Content -Raw (Join-Path $Point.Path 'rollback-point.json') | ConvertFrom-Json
    $role = @{ Backup = 'Backup'; BackupMetadata = 'Backup'; ModuleGraph = 'ModuleGraph'; SolutionPackage = 'SolutionPackage'; SchemaSnapshot = 'SchemaSnapshot' }[$Target]
    switch ($Target) {
        'Plan' { return $PlanPath }
        'Manifest' { return Join-Path $Point.Path 'rollback-point.json' }
        'ManifestChecksum' { return Join-Path $Point.Path 'rollback-point.json.sha256' }
    }
    $file = @($manifest.files | Where-Object role -EQ $role) | Select-Object -First 1
    if (-not $file) { return $null }
    $path = Join-Path $Point.Path $file.path
    if ($Target -eq 'BackupMetadata') { $path += '.osrollback.json' }
    if (Test-Path $path) { $path }
}

# The manifest's checksum file written again, as an attacker who edits the manifest would.
function Update-SoakManifestChecksum([string] $Folder) {
    $manifest = Join-Path $Folder 'rollback-point.json'
    $hash = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($manifest))).ToLowerInvariant()
    [System.IO.File]::WriteAllText((Join-Path $Folder 'rollback-point.json.sha256'), "$hash  rollback-point.json`n")
}

# Changes one character in the second half of a text file (same size): a digit becomes another digit.
function Edit-SoakTextValue([string] $Path, [double] $Fraction) {
    $text = [System.IO.File]::ReadAllText($Path)
    $start = [int]($text.Length / 2 + $Fraction * ($text.Length / 2 - 1))
    $at = -1
    for ($i = 0; $i -lt $text.Length; $i++) { $j = ($start + $i) % $text.Length; if ([char]::IsDigit($text[$j])) { $at = $j; break } }
    if ($at -lt 0) { $at = $start; $replacement = if ($text[$at] -eq 'x') { 'y' } else { 'x' } } else { $replacement = [string](([int][string]$text[$at] + 1) % 10) }
    [System.IO.File]::WriteAllText($Path, $text.Substring(0, $at) + $replacement + $text.Substring($at + 1))
}

# Keeps the plan's steps that pass -Keep, numbered 1..n again (-Downgrade: format 1, digest removed).
function Edit-SoakPlanSteps([string] $Path, [scriptblock] $Keep, [switch] $Downgrade) {
    $plan = Get-Content -Raw $Path | ConvertFrom-Json
    if ($Downgrade) { $plan.formatVersion = 1; $plan.PSObject.Properties.Remove('planDigest') }
    $steps = @($plan.steps | Where-Object $Keep)
    for ($i = 0; $i -lt $steps.Count; $i++) { $steps[$i].number = $i + 1 }
    $plan.steps = $steps
    $plan | ConvertTo-Json -Depth 20 | Set-Content $Path
}

function Invoke-SoakTamperEdit([string] $Kind, [string] $Target, [string] $Path, $Point, [double] $Fraction, [string] $Work, [string] $ProductionPath) {
    $isSqlite = $Target -eq 'Backup'
    switch ($Kind) {
        'Swap' {
            if ($isSqlite) {
                # A newer valid backup of the same database (and its metadata): what the issue's swap did.
                Copy-SoakDatabase $ProductionPath $Path
                return 'replaced by a backup of the database as it is now'
            }
            $other = @(Get-ChildItem -File $Point.Path | Where-Object { $_.FullName -ne $Path -and $_.Name -notlike '*.sqlite*' }) | Select-Object -First 1
            Copy-Item $other.FullName $Path -Force
            return "replaced by $($other.Name)"
        }
        'Truncate' {
            $length = (Get-Item $Path).Length
            $cut = [math]::Max(1, [long]($Fraction * [math]::Min($length - 1, 4096)))
            $stream = [System.IO.File]::Open($Path, 'Open', 'ReadWrite'); try { $stream.SetLength($length - $cut) } finally { $stream.Dispose() }
            return "cut by $cut bytes"
        }
        'EditValue' {
            if ($isSqlite) {
                $table = Invoke-SoakScalar $Path "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'OSUSR%' ORDER BY name LIMIT 1"
                $column = Invoke-SoakScalar $Path "SELECT name FROM pragma_table_info('$table') WHERE type LIKE '%CHAR%' OR type LIKE '%TEXT%' LIMIT 1"
                $null = Invoke-SoakQuery $Path "UPDATE $table SET $column = 'tampered ' || $column WHERE rowid = (SELECT min(rowid) FROM $table);"
                return "$table.$column of its first row edited (the file keeps its size)"
            }
            Edit-SoakTextValue $Path $Fraction
            if ($Target -eq 'Manifest') { Update-SoakManifestChecksum $Point.Path }
            return 'one digit changed, same size'
        }
        'Downgrade' {
            if ($Target -eq 'Plan') {
                Edit-SoakPlanSteps $Path { $_.kind -notin 'BackupCurrent', 'SmokeTest', 'RestoreParallel' } -Downgrade
                return 'formatVersion 1, no digest, BackupCurrent/SmokeTest/RestoreParallel removed'
            }
            if ($Target -eq 'Manifest') {
                $manifest = Get-Content -Raw $Path | ConvertFrom-Json
                foreach ($f in $manifest.files) { $f.sha256 = '' }
                $manifest | ConvertTo-Json -Depth 20 | Set-Content $Path
                Update-SoakManifestChecksum $Point.Path
                return 'file hashes removed, checksum written again'
            }
            if ($isSqlite) { Copy-SoakDatabase $ProductionPath $Path; return 'replaced by a backup of the database as it is now' }
            Set-Content $Path '{ "formatVersion": 0 }'
            return 'replaced by an empty format version 0 document'
        }
        'DeleteRecord' {
            if ($isSqlite) {
                $table = Invoke-SoakScalar $Path "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'OSUSR%' ORDER BY name LIMIT 1"
                $null = Invoke-SoakQuery $Path "DELETE FROM $table WHERE rowid = (SELECT max(rowid) FROM $table);"
                return "the last row of $table deleted"
            }
            if ($Target -eq 'Plan') {
                $drop = [int]($Fraction * (@((Get-Content -Raw $Path | ConvertFrom-Json).steps).Count - 1))
                Edit-SoakPlanSteps $Path { $_.number -ne $drop + 1 }.GetNewClosure()
                return "step $($drop + 1) removed"
            }
            if ($Target -eq 'Manifest') {
                $manifest = Get-Content -Raw $Path | ConvertFrom-Json
                $manifest.files = @($manifest.files | Select-Object -Skip 1)
                $manifest | ConvertTo-Json -Depth 20 | Set-Content $Path
                Update-SoakManifestChecksum $Point.Path
                return 'its first file record removed, checksum written again'
            }
            Remove-Item $Path -Force
            return 'deleted'
        }
        'Symlink' {
            $elsewhere = Join-Path $Work ('tamper-outside-' + (Split-Path -Leaf $Path))
            Copy-Item $Path $elsewhere -Force
            Remove-Item $Path -Force
            $null = New-Item -ItemType SymbolicLink -Path $Path -Target $elsewhere
            return "replaced by a symbolic link to an identical copy outside ($elsewhere)"
        }
    }
}

# OSUSR tables of production: what users wrote (the tamper must leave them as they are).
function Get-SoakUserTableHashes([string] $Path) {
    $all = Get-SoakTableHashes $Path
    $user = [ordered]@{}
    foreach ($k in @($all.Keys | Where-Object { $_ -like 'OSUSR*' })) { $user[$k] = $all[$k] }
    $user
}

# The tamper between plan and run, on the scenario's own files, put back afterwards. -WhatIf runs every
# check a run makes before it changes anything; a change it lets through is run for real when the run
# reads that file (the check of the backup and the package is where they are used), and must then fail
# with an ErrorId before it changes a user's row.
function Invoke-SoakPlanTamper($Tamper, [string] $Strategy, $Point, $Plan, [string] $CatalogPath, [string] $ProductionPath, [string] $Work, [scriptblock] $RunTampered) {
    $record = [ordered]@{ Phase = 'plan'; Kind = $Tamper.Kind; Target = $Tamper.Target; Change = $null; Outcome = $null; ErrorId = $null; Harmless = $null; Failure = $null }
    $path = Get-SoakTamperFile $Point $Plan.Path $Tamper.Target
    if (-not $path) { $record.Outcome = 'skipped'; $record.Harmless = "no $($Tamper.Target) file in this rollback point"; return [pscustomobject]$record }
    $original = Join-Path $Work 'tamper-original'
    if (Test-Path $original) { Remove-Item -Recurse -Force $original }
    $null = New-Item -ItemType Directory -Path $original
    Copy-Item -Recurse (Join-Path $Point.Path '*') $original
    Copy-Item $Plan.Path (Join-Path $original '.plan.json')
    $digest = (Get-Content -Raw $Plan.Path | ConvertFrom-Json).planDigest
    $before = [System.IO.File]::ReadAllBytes($path)
    try {
        $record.Change = Invoke-SoakTamperEdit $Tamper.Kind $Tamper.Target $path $Point $Tamper.Fraction $Work $ProductionPath
        $same = (Test-Path $path) -and [System.Linq.Enumerable]::SequenceEqual([byte[]]$before, [byte[]][System.IO.File]::ReadAllBytes($path))
        try {
            # As an approval gate runs it: the approved digest pinned.
            $null = Invoke-OsRollback -Plan $Plan.Path -CatalogPath $CatalogPath -SqlitePath $ProductionPath -Environment Production -ExpectedPlanDigest $digest -WhatIf -WarningAction SilentlyContinue -ErrorAction Stop
            $record.Outcome = 'passed the checks before the run'
        }
        catch {
            $record.Outcome = 'refused before the run'
            $record.ErrorId = ($_.FullyQualifiedErrorId -split ',')[0]
        }
        if ($record.Outcome -ne 'refused before the run') {
            if ($same) { $record.Harmless = 'the content read is unchanged' }
            elseif (-not (Test-SoakFileReadByRun $Strategy $Tamper.Target)) { $record.Harmless = "a $Strategy run does not read the $($Tamper.Target)" }
            else {
                $users = Get-SoakUserTableHashes $ProductionPath
                $outcome = & $RunTampered
                $record.Outcome = "run: $($outcome.status)"
                $record.ErrorId = if ($outcome.errorId) { ($outcome.errorId -split ',')[0] } else { $null }
                $changed = @(Compare-SoakTableHashes $users (Get-SoakUserTableHashes $ProductionPath))
                # The harness's own ids (a timeout, no result) are no refusal.
                if ($outcome.status -eq 'Succeeded' -or -not $record.ErrorId -or $record.ErrorId -like 'SoakOperator*') { $record.Failure = "the tampered $($Tamper.Target) ($($record.Change)) ran: $($outcome.status) $($outcome.message)" }
                elseif ($changed.Count) { $record.Failure = "the refused run changed users' tables: $($changed -join ', ')" }
            }
            if (-not $record.Harmless -and -not $record.ErrorId -and -not $record.Failure) { $record.Failure = "the tampered $($Tamper.Target) ($($record.Change)) was not refused" }
        }
    }
    finally {
        # Put everything back as it was planned (the tampered run's folder and locks included).
        Get-ChildItem -Force $Point.Path | Remove-Item -Recurse -Force
        Copy-Item -Recurse (Join-Path $original '*') $Point.Path -Exclude '.plan.json'
        Copy-Item (Join-Path $original '.plan.json') $Plan.Path -Force
        $locks = Join-Path $CatalogPath 'locks'
        if (Test-Path $locks) { Remove-Item -Recurse -Force $locks }
    }
    [pscustomobject]$record
}

# The tamper between export and import of the delta (on unless Invoke-OsSoak -SkipDeltaTamper): the import into
# production must refuse with one of the sealing ErrorIds and leave the users' tables as they are.
function Invoke-SoakDeltaTamper($Tamper, $Delta, [string] $ProductionPath, [string] $Work, [scriptblock] $Import) {
    $record = [ordered]@{ Phase = 'delta'; Kind = $Tamper.DeltaKind; Target = 'Delta'; Change = $null; Outcome = $null; ErrorId = $null; Harmless = $null; Failure = $null }
    $path = $Delta.Path
    $original = Join-Path $Work 'tamper-original-delta'
    Copy-Item $path $original -Force
    try {
        $record.Change = switch ($Tamper.DeltaKind) {
            'Swap' { Set-Content $path (Get-Content -Raw $path).Replace('"OSUSR_', '"OSSYS_'); 'its tables renamed to OSSYS_ (platform tables)' }
            'Downgrade' { $lines = @(Get-Content $path); $h = $lines[0] | ConvertFrom-Json; $h.formatVersion = 1; foreach ($n in @('digest', 'sha256', 'seal')) { $h.PSObject.Properties.Remove($n) }; $lines[0] = $h | ConvertTo-Json -Compress -Depth 20; Set-Content $path $lines; 'header format version 1, seal removed' }
            'DeleteRecord' { $lines = @(Get-Content $path); Set-Content $path @($lines | Select-Object -First ([math]::Max(1, $lines.Count - 1))); 'its last line removed' }
            'Symlink' { $elsewhere = Join-Path $Work 'tamper-outside-delta.jsonl'; Copy-Item $path $elsewhere -Force; Remove-Item $path; $null = New-Item -ItemType SymbolicLink -Path $path -Target $elsewhere; 'a symbolic link to an identical copy' }
            default { Invoke-SoakTamperEdit $Tamper.DeltaKind 'Delta' $path $null $Tamper.Fraction $Work $ProductionPath }
        }
        $users = Get-SoakUserTableHashes $ProductionPath
        try { $null = & $Import; $record.Outcome = 'imported' }
        catch { $record.Outcome = 'refused'; $record.ErrorId = ($_.FullyQualifiedErrorId -split ',')[0] }
        $changed = @(Compare-SoakTableHashes $users (Get-SoakUserTableHashes $ProductionPath))
        if ($Tamper.DeltaKind -eq 'Symlink' -and $record.Outcome -eq 'imported') { $record.Harmless = 'the content read is unchanged' }
        elseif ($record.ErrorId -notin $script:DeltaIds) { $record.Failure = "the tampered delta ($($record.Change)) was $($record.Outcome) $($record.ErrorId); expected one of $($script:DeltaIds -join ', ')" }
        elseif ($changed.Count) { $record.Failure = "the refused import changed users' tables: $($changed -join ', ')" }
    }
    finally {
        Remove-Item $path -Force -ErrorAction SilentlyContinue
        Copy-Item $original $path -Force
    }
    [pscustomobject]$record
}

# The invariant: every tamper of the scenario was refused with an ErrorId or is provably harmless.
function Test-SoakUnapprovedChangeNeverRuns($Tampers, [int] $Seed) {
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($t in @($Tampers)) { if ($t.Failure) { $failures.Add("seed ${Seed}, $($t.Phase) tamper $($t.Kind) of $($t.Target): $($t.Failure)") } }
    [pscustomobject]@{ Name = 'UnapprovedChangeNeverRuns'; Passed = $failures.Count -eq 0; Failures = @($failures) }
}

Export-ModuleMember -Function New-SoakTamper, Invoke-SoakPlanTamper, Invoke-SoakDeltaTamper, Test-SoakUnapprovedChangeNeverRuns, Test-SoakFileReadByRun
