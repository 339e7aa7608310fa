<#
.SYNOPSIS
    Runs the benchmarks under bench/ (slow: several minutes). Figures go in docs/benchmarks.md.
#>
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot

Write-Host '== Module order (BenchmarkDotNet) =='
dotnet run -c Release --project (Join-Path $PSScriptRoot 'ModuleOrder') -- --filter '*'
if ($LASTEXITCODE -ne 0) { throw 'Module order benchmark failed.' }

Write-Host '== SQLite backup and restore =='
& (Join-Path $PSScriptRoot 'database/Invoke-DatabaseBenchmark.ps1') -ModulePath $ModulePath

Write-Host '== Database strategy outage steps (BackupCurrent, RestoreDatabase) =='
dotnet run -c Release --project (Join-Path $PSScriptRoot 'rollback/RollbackStepBench') -- 258 5
if ($LASTEXITCODE -ne 0) { throw 'Rollback step benchmark failed.' }

Write-Host '== Data compare =='
& (Join-Path $PSScriptRoot 'drift/Invoke-DriftBenchmark.ps1')
