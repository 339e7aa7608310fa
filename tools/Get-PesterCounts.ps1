<#
.SYNOPSIS
    Reads passed/failed/skipped counts from a Pester NUnit XML result file.
#>
param([Parameter(Mandatory)] [string] $Path)
$counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
if (-not (Test-Path $Path)) { $counts.Failed = 1; return $counts }
$run = ([xml](Get-Content -Raw $Path))
foreach ($case in $run.SelectNodes('//test-case')) {
    switch ($case.result) {
        'Success' { $counts.Passed++ }
        { $_ -in 'Failure', 'Error' } { $counts.Failed++ }
        default { $counts.Skipped++ }
    }
}
$counts
