<#
.SYNOPSIS
    The soak that hunts for loss: seeded, reproducible, bounded randomized rollback scenarios
    against the sandbox, with the invariants checked after each (see docs/soak.md).
.DESCRIPTION
    Without -Seed or -Seeds it runs the fixed CI seeds of ci-seeds.txt. -Seeds N runs seeds 1..N;
    -Seed 7, 12 replays exactly those. Stops starting new scenarios after -TimeLimitMinutes.
    Writes summary.json and summary.md to -OutputDirectory after every scenario and exits 1 when
    any invariant failed.
.EXAMPLE
    dotnet pwsh -NoProfile -File tests/soak/Invoke-OsSoak.ps1 -ModulePath out/OsRollback -Seed 3
#>
param(
    [string] $ModulePath = (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/OsRollback'),
    # Seeds to replay; "3,14" from a shell (pwsh -File passes it as one string) works too.
    [string[]] $Seed,
    [ValidateRange(1, 100000)] [int] $Seeds,
    [string] $OutputDirectory = (Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/soak'),
    [ValidateRange(1, 1440)] [int] $TimeLimitMinutes = 60,
    # The bound of every wait for an operator process (a rollback, its kill point, its resume).
    [ValidateRange(10, 3600)] [int] $StepTimeoutSeconds = 240,
    # Leave out the tamper between export and import of the delta (the import must refuse it: DataDeltaTampered,
    # DataDeltaUnsealed, DataDeltaTableNotAllowed, DataDeltaBaseMismatch, DataDeltaWrongDatabase or DataDeltaMalformed).
    [switch] $SkipDeltaTamper
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
Import-Module (Resolve-Path $ModulePath).Path -Force
Import-Module (Join-Path $PSScriptRoot 'SoakDatabase.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'Invoke-SoakScenario.psm1') -Force
Assert-SoakSqlite
$ModulePath = (Resolve-Path $ModulePath).Path

$seedList = if ($Seed) { @($Seed -split '[,\s]+' | Where-Object { $_ } | ForEach-Object { [int]$_ }) } elseif ($Seeds) { 1..$Seeds } else {
    @(Get-Content (Join-Path $PSScriptRoot 'ci-seeds.txt') | Where-Object { $_ -match '^\s*\d+' } | ForEach-Object { [int]($_ -replace '\s*#.*$', '') })
}
if (Test-Path $OutputDirectory) { Remove-Item -Recurse -Force $OutputDirectory }
$null = New-Item -ItemType Directory -Force -Path $OutputDirectory
$deadline = [DateTimeOffset]::UtcNow.AddMinutes($TimeLimitMinutes)
$records = [System.Collections.Generic.List[object]]::new()
$shown = 6   # failures shown per check on the console and in summary.md; summary.json has all

function Write-SoakSummary {
    $failed = @($records | Where-Object { @($_.Checks | Where-Object { -not $_.Passed }).Count })
    $summary = [ordered]@{
        createdAt = [DateTimeOffset]::UtcNow.ToString('o'); seedsRequested = @($seedList); seedsRun = @($records | ForEach-Object Seed)
        failedSeeds = @($failed | ForEach-Object Seed); scenarios = @($records)
    }
    $summary | ConvertTo-Json -Depth 8 | Set-Content (Join-Path $OutputDirectory 'summary.json')
    $md = [System.Text.StringBuilder]::new()
    $null = $md.AppendLine('# Soak summary').AppendLine().AppendLine("Seeds run: $($records.Count) of $(@($seedList).Count); failed: $($failed.Count)").AppendLine()
    $names = @('NoUserWriteLost', 'NoPostReopeningWriteChanged', 'OneRollbackAtATime', 'SafetyBackupBeforeReplace', 'JournalComplete', 'UnapprovedChangeNeverRuns', 'ScenarioCompleted')
    $null = $md.AppendLine("| seed | strategy | kill at step | concurrent operator | seconds | $($names -join ' | ') |")
    $null = $md.AppendLine('|' + (' --- |' * (5 + $names.Count)))
    foreach ($r in $records) {
        $cells = foreach ($n in $names) { $c = @($r.Checks | Where-Object Name -EQ $n); if (-not $c) { if ($n -eq 'ScenarioCompleted') { 'held' } else { '-' } } elseif ($c[0].Passed) { 'held' } else { "**FAILED** ($(@($c[0].Failures).Count))" } }
        $null = $md.AppendLine("| $($r.Seed) | $($r.Strategy) | $($r.KillStep) | $($r.ConcurrentOperator) | $($r.Seconds) | $($cells -join ' | ') |")
    }
    foreach ($r in $failed) {
        $null = $md.AppendLine().AppendLine("## Seed $($r.Seed) ($($r.Strategy))").AppendLine()
        foreach ($c in @($r.Checks | Where-Object { -not $_.Passed })) {
            foreach ($f in @($c.Failures | Select-Object -First $shown)) { $null = $md.AppendLine("- $($c.Name): $f") }
            if (@($c.Failures).Count -gt $shown) { $null = $md.AppendLine("- $($c.Name): ... and $(@($c.Failures).Count - $shown) more (summary.json)") }
        }
    }
    Set-Content -Path (Join-Path $OutputDirectory 'summary.md') -Value $md.ToString()
}

foreach ($s in $seedList) {
    if ([DateTimeOffset]::UtcNow -ge $deadline) { Write-Warning "Time limit of $TimeLimitMinutes min reached; seeds not run: $(@($seedList | Where-Object { $_ -notin $records.Seed }) -join ', ')"; break }
    Write-Host "Seed ${s}: running..."
    $record = Invoke-SoakScenario -Seed $s -ModulePath $ModulePath -Work (Join-Path $OutputDirectory "seed-$s") -StepTimeoutSeconds $StepTimeoutSeconds -TamperDeltas:(-not $SkipDeltaTamper)
    $records.Add($record)
    $record.Trace | ForEach-Object { Write-Host "  $_" }
    foreach ($check in $record.Checks) {
        Write-Host ("  {0,-28} {1}" -f $check.Name, $(if ($check.Passed) { 'held' } else { 'FAILED' }))
        foreach ($failure in @($check.Failures | Select-Object -First $shown)) { Write-Host "      $failure" }
        if (@($check.Failures).Count -gt $shown) { Write-Host "      ... and $(@($check.Failures).Count - $shown) more (summary.json)" }
    }
    Write-Host ("Seed {0}: {1} in {2} s" -f $s, $record.Strategy, $record.Seconds)
    Write-SoakSummary
}
Write-SoakSummary
$failedCount = @($records | Where-Object { @($_.Checks | Where-Object { -not $_.Passed }).Count }).Count
Write-Host "Soak: $($records.Count) seeds run, $failedCount with a failed invariant. Summary: $(Join-Path $OutputDirectory 'summary.md')"
exit ([int]($failedCount -gt 0 -or $records.Count -lt @($seedList).Count))
