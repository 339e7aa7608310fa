<#
.SYNOPSIS
    Packs a built module folder (out/OsRollback) into OsRollback.<version>.nupkg with PSResourceGet.
.DESCRIPTION
    Publish-PSResource (PSResourceGet ships with pwsh 7.4+) into a throw-away local file repository
    that is registered for the call and unregistered afterwards. Returns the .nupkg file.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputDirectory
)
$ErrorActionPreference = 'Stop'
$null = New-Item -ItemType Directory -Force $OutputDirectory
$repository = 'OsRollbackBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
Register-PSResourceRepository -Name $repository -Uri (Resolve-Path $OutputDirectory).Path -Trusted
try {
    Publish-PSResource -Path (Resolve-Path $ModulePath).Path -Repository $repository
}
finally {
    Unregister-PSResourceRepository -Name $repository
}
$version = (Import-PowerShellDataFile (Join-Path $ModulePath 'OsRollback.psd1')).ModuleVersion
$package = Get-Item (Join-Path $OutputDirectory "OsRollback.$version.nupkg") -ErrorAction SilentlyContinue
if (-not $package) { throw "Publish-PSResource wrote no OsRollback.$version.nupkg to $OutputDirectory" }
$package
