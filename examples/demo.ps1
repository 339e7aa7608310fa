<#
.SYNOPSIS
    The OsRollback demo (README's main job).
#>
param([Parameter(Mandatory)] [string] $ModulePath)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

Write-Host "`n== Republish order of the sample factory (examples/sample-factory.json) ==" 
Get-OsModuleOrder -Path (Join-Path $PSScriptRoot 'sample-factory.json') -WarningVariable warnings -WarningAction SilentlyContinue |
    Format-Table -AutoSize | Out-String -Width 160 | Write-Host
$warnings | ForEach-Object { Write-Host "warning: $_" }
