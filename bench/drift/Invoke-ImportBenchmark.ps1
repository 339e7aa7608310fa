<#
.SYNOPSIS
    Import benchmark: Import-OsDataDelta's engine (DataDeltaImporter: seal, validation, base check,
    verified safety backup, one streaming transaction) against a plain sqlite3 load of the same rows
    (the delta's own SQL script run by the sqlite3 shell), on <Rows> inserted rows of which 1% conflict
    with rows written after reopening. Each side runs in its own process, so that each peak working
    set (the process's PeakWorkingSet64, and /usr/bin/time's maximum resident set) is its own.
.PARAMETER SkipPrepare
    Reuse the files a previous run prepared in -WorkDirectory (with the same -Rows): preparing
    1,000,000 rows takes minutes of its own.
.EXAMPLE
    dotnet pwsh ./bench/drift/Invoke-ImportBenchmark.ps1 -Rows 1000000
#>
[CmdletBinding()]
param(
    [int] $Rows = 1000000,
    [string] $WorkDirectory = (Join-Path ([System.IO.Path]::GetTempPath()) 'osrollback-bench-import'),
    [switch] $SkipPrepare
)
$ErrorActionPreference = 'Stop'
$project = Join-Path $PSScriptRoot 'DriftBench.csproj'
& dotnet build $project -c Release --nologo -v q | Out-Host
if ($LASTEXITCODE -ne 0) { throw 'The benchmark does not build.' }
if (-not $SkipPrepare -or -not (Test-Path (Join-Path $WorkDirectory 'delta.sql'))) {
    & dotnet run --no-build -c Release --project $project -- prepare $Rows $WorkDirectory | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'The benchmark data could not be prepared.' }
}

$load = { (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -replace '^(\S+ \S+ \S+).*', '$1' }
$loadAtStart = & $load
$ours = & dotnet run --no-build -c Release --project $project -- import $WorkDirectory | Select-Object -Last 1 | ConvertFrom-Json
if ($LASTEXITCODE -ne 0) { throw 'The import failed.' }

# The baseline: sqlite3 loads the same rows from the delta's script into the same starting database
# (the 1% conflicting inserts fail with UNIQUE errors, as they would for any plain load).
$baselineDb = Join-Path $WorkDirectory 'sqlite3.db'
Copy-Item (Join-Path $WorkDirectory 'production.db') $baselineDb -Force
$timeLog = Join-Path $WorkDirectory 'sqlite3.time'
$watch = [System.Diagnostics.Stopwatch]::StartNew()
& /usr/bin/time -f '%M' -o $timeLog bash -c "sqlite3 '$baselineDb' < '$(Join-Path $WorkDirectory 'delta.sql')' > /dev/null 2>&1"
$watch.Stop()
$baselineSeconds = $watch.Elapsed.TotalSeconds

[pscustomobject]@{
    rows                     = $Rows
    inserted                 = $ours.inserted
    conflicts                = $ours.conflicts
    importSeconds            = $ours.seconds
    importPeakWorkingSetMiB  = $ours.peakWorkingSetMiB
    sqlite3Seconds           = [math]::Round($baselineSeconds, 3)
    sqlite3PeakRssMiB        = [math]::Round([double](Get-Content $timeLog | Select-Object -Last 1) / 1024, 1)
    importSpeedVsSqlite3     = [math]::Round($baselineSeconds / $ours.seconds, 2)
    loadAverageAtStart       = $loadAtStart
    loadAverageAtEnd         = & $load
}
