<#
.SYNOPSIS
    Data compare and three-way export benchmark: DataComparer (with row detail) and DataDeltaExporter against SQLite's own
    ATTACH + EXCEPT both ways, on 100,000 and 1,000,000 rows with 1% of the rows changed.
.EXAMPLE
    dotnet pwsh ./bench/drift/Invoke-DriftBenchmark.ps1
#>
[CmdletBinding()]
param(
    [int[]] $Rows = @(100000, 1000000),
    [string] $WorkDirectory = (Join-Path ([System.IO.Path]::GetTempPath()) 'osrollback-bench-drift')
)
$ErrorActionPreference = 'Stop'
$project = Join-Path $PSScriptRoot 'DriftBench.csproj'
& dotnet build $project -c Release --nologo -v q | Out-Host
if ($LASTEXITCODE -ne 0) { throw 'The benchmark does not build.' }
$results = foreach ($gen0 in @('', '0x800000')) {
    # Default GC, then a fixed 8 MiB gen0 budget: with it the peak working set shows what the
    # compare itself holds, without the GC sizing its heap to the allocation rate.
    $env:DOTNET_GCgen0size = $gen0
    foreach ($n in $Rows) {
        # One process per size, so that each peak working set is its own.
        $line = & dotnet run --no-build -c Release --project $project -- $n $WorkDirectory | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0) { throw "The benchmark failed for $n rows." }
        $line | ConvertFrom-Json | Select-Object @{ n = 'gc'; e = { if ($gen0) { 'gen0 8 MiB' } else { 'default' } } }, *
    }
}
Remove-Item Env:DOTNET_GCgen0size -ErrorAction SilentlyContinue
$results | Format-Table gc, rows, changed, baselineSeconds, exceptSeconds, exceptSpeedVsBaseline, exceptPeakWorkingSetMiB, exportSeconds, exportSpeedVsBaseline, exportPeakWorkingSetMiB, mergeSeconds, mergeSpeedVsBaseline, mergePeakWorkingSetMiB -AutoSize | Out-Host
$results
