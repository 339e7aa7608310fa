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

# Publish-PSResource writes no <license>: the package states its licence as an SPDX expression, as
# NuGet and the PowerShell Gallery read it (licenseUrl is NuGet's own page for that expression).
$licenseUri = (Import-PowerShellDataFile (Join-Path $ModulePath 'OsRollback.psd1')).PrivateData.PSData.LicenseUri
$expression = ([uri]$licenseUri).Segments[-1]
Add-Type -AssemblyName System.IO.Compression
$zip = [System.IO.Compression.ZipFile]::Open($package.FullName, 'Update')
try {
    $entry = $zip.GetEntry('OsRollback.nuspec')
    $reader = [System.IO.StreamReader]::new($entry.Open())
    try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
    $metadata = $nuspec.package.metadata
    $namespace = $nuspec.package.NamespaceURI
    foreach ($old in @($metadata.ChildNodes | Where-Object { $_.LocalName -in 'license', 'licenseUrl' })) { $null = $metadata.RemoveChild($old) }
    $license = $nuspec.CreateElement('license', $namespace)
    $license.SetAttribute('type', 'expression')
    $license.InnerText = $expression
    $url = $nuspec.CreateElement('licenseUrl', $namespace)
    $url.InnerText = $licenseUri
    $null = $metadata.InsertAfter($license, $metadata['requireLicenseAcceptance'])
    $null = $metadata.InsertAfter($url, $license)
    $entry.Delete()
    $writer = [System.IO.StreamWriter]::new($zip.CreateEntry('OsRollback.nuspec').Open(), [System.Text.UTF8Encoding]::new($false))
    try { $nuspec.Save($writer) } finally { $writer.Dispose() }
}
finally { $zip.Dispose() }
Get-Item $package.FullName
