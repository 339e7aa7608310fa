# The soak in CI: the fixed seeds of tests/soak/ci-seeds.txt run once against the built module
# (tests/soak/Invoke-OsSoak.ps1 in its own pwsh), and every invariant of every seed is one test,
# so a lost user write shows up in the test summary with its seed, step and row.
BeforeDiscovery {
    $seedFile = Join-Path (Split-Path $PSScriptRoot) 'soak/ci-seeds.txt'
    $seeds = @(Get-Content $seedFile | Where-Object { $_ -match '^\s*\d+' } | ForEach-Object { [int]($_ -replace '\s*#.*$', '') })
    $invariants = 'NoUserWriteLost', 'NoPostReopeningWriteChanged', 'OneRollbackAtATime', 'SafetyBackupBeforeReplace', 'JournalComplete', 'UnapprovedChangeNeverRuns', 'ScenarioCompleted',
        'RepairChangesOnlyTargetedRows', 'RepairLeavesPostReopeningWrites', 'FailedCheckLeavesTargetUnchanged', 'RepairAppliedAtMostOnce'
    $cases = foreach ($seed in $seeds) { foreach ($invariant in $invariants) { @{ Seed = $seed; Invariant = $invariant } } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepoRoot
    $output = Join-Path $root 'out/soak-ci'
    if (Test-Path $output) { Remove-Item -Recurse -Force $output }
    $pwsh = & (Join-Path $root 'tools/Get-PwshCommand.ps1')
    # Bounded: no new seed after 6 minutes, no step longer than 180 s. The exit code is not read:
    # the summary says per seed and invariant what held.
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'tests/soak/Invoke-OsSoak.ps1') `
        -ModulePath (Get-OsRollbackModulePath) -OutputDirectory $output -TimeLimitMinutes 6 -StepTimeoutSeconds 180 | Out-Host
    $summaryPath = Join-Path $output 'summary.json'
    if (-not (Test-Path $summaryPath)) { throw "The soak wrote no summary ($summaryPath): see its output above." }
    $script:Scenarios = @((Get-Content -Raw $summaryPath | ConvertFrom-Json).scenarios)
}

Describe 'Soak (CI seeds)' -Tag 'Soak' {
    It 'seed <Seed>: <Invariant> holds' -ForEach $cases {
        $scenario = @($script:Scenarios | Where-Object Seed -EQ $Seed) | Select-Object -First 1
        if (-not $scenario) { throw "Seed $Seed was not run (time limit reached?): replay it with tests/soak/Invoke-OsSoak.ps1 -Seed $Seed." }
        $check = @($scenario.Checks | Where-Object Name -EQ $Invariant) | Select-Object -First 1
        # ScenarioCompleted is recorded only when the harness could not reach the checks.
        if (-not $check -and $Invariant -eq 'ScenarioCompleted') { return }
        # A Database rollback restores the schema too: the column with the bad data is gone, there is nothing to repair.
        if (-not $check -and $Invariant -in 'RepairChangesOnlyTargetedRows', 'RepairLeavesPostReopeningWrites', 'FailedCheckLeavesTargetUnchanged', 'RepairAppliedAtMostOnce' -and $scenario.Strategy -eq 'Database') {
            Set-ItResult -Skipped -Because "seed $Seed is a Database rollback: the restore removed DISCOUNT_CODE, so no roll-forward repair runs"
            return
        }
        if (-not $check) { throw "Seed ${Seed}: the check $Invariant did not run (the scenario stopped before the checks; out/soak-ci/summary.md)." }
        $failures = @($check.Failures) -join [Environment]::NewLine
        $check.Passed | Should -BeTrue -Because "seed $Seed ($($scenario.Strategy)) must keep $Invariant; replay with tests/soak/Invoke-OsSoak.ps1 -Seed ${Seed}:$([Environment]::NewLine)$failures"
    }
}
