<#
.SYNOPSIS
    Prints "passed failed skipped" summed over the xunit TRX files and the Pester NUnit XML
    under a results directory (read by .ci/run).
#>
param([Parameter(Mandatory)] [string] $ResultsDirectory)
$passed = 0; $failed = 0; $skipped = 0
foreach ($file in Get-ChildItem -Path $ResultsDirectory -Recurse -Filter '*.trx' -ErrorAction SilentlyContinue) {
    $c = ([xml](Get-Content -Raw $file.FullName)).TestRun.ResultSummary.Counters
    $passed += [int]$c.passed
    $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
    # xunit's TRX leaves notExecuted at 0 and reports skipped tests as total - executed.
    $skipped += [Math]::Max([int]$c.notExecuted, [int]$c.total - [int]$c.executed)
}
$pester = & (Join-Path $PSScriptRoot 'Get-PesterCounts.ps1') -Path (Join-Path $ResultsDirectory 'pester.xml')
"$($passed + $pester.Passed) $($failed + $pester.Failed) $($skipped + $pester.Skipped)"
