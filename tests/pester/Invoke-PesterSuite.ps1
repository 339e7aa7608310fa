<#
.SYNOPSIS
    Runs the Pester suite against a built module folder and writes NUnit XML results.
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $TagFilter
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force
# Test files import the module from here, so they always test the built folder.
$env:OSROLLBACK_MODULE_PATH = (Resolve-Path $ModulePath).Path
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultFile
if ($TagFilter) { $config.Filter.Tag = $TagFilter }
$result = Invoke-Pester -Configuration $config
exit ([int]($result.FailedCount -gt 0 -or $result.Result -ne 'Passed'))
