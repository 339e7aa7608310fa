<#
.SYNOPSIS
    Builds, tests and demonstrates OsRollback.
.DESCRIPTION
    Build  assembles a ready-to-import module folder at out/OsRollback.
    Test   builds, runs the xunit suites and the Pester suite (with the soak's CI seeds, tag Soak:
           one test per seed and invariant), and prints one summary line.
    Demo   builds and runs the demo on the sandbox (examples/demo.ps1).
    Package builds and writes out/package/OsRollback.<version>.nupkg with PSResourceGet
           (install it with Install-PSResource from a repository holding that file).
    Bench  builds and runs the benchmarks under bench/ (slow; see docs/benchmarks.md).
    Soak   builds and runs the randomized rollback soak (tests/soak; see docs/soak.md): the fixed CI
           seeds, or seeds 1..N with -Seeds N (Test runs the CI seeds too).
    Clean  removes out/.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Soak', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester tag or xunit filter narrowing, for quick local runs.
    [string] $Filter,
    # Soak: run seeds 1..N instead of the fixed CI seeds.
    [int] $Seeds
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'

$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'OsRollback'
$resultsDir = Join-Path $out 'test-results'
$toolsPackages = Join-Path $out 'packages'

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# Directory.Build.props holds the one version; the assemblies take it from there and the manifest is stamped with it.
function Get-ProductVersion {
    $props = [xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.Version } | Where-Object { $_ })[0]
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    $version
}

function Set-ModuleVersion([string] $Manifest) {
    $version = Get-ProductVersion
    $text = Get-Content -Raw $Manifest
    $stamped = [regex]::Replace($text, "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "`${1}'$version'")
    if ($stamped -eq $text -and $text -notmatch "ModuleVersion\s*=\s*'$([regex]::Escape($version))'") { throw "No ModuleVersion line in $Manifest." }
    Set-Content -NoNewline -Encoding utf8 $Manifest $stamped
}

# The manifest's PSData.ReleaseNotes: this version's section of CHANGELOG.md, as plain text.
function Set-ReleaseNotes([string] $Manifest) {
    $version = Get-ProductVersion
    $changelog = Get-Content -Raw (Join-Path $root 'CHANGELOG.md')
    $section = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($version))\][^\r\n]*\r?\n(.*?)(?=^## \[|\z)")
    if (-not $section.Success) { throw "CHANGELOG.md has no section '## [$version]'." }
    $heading = [regex]::Match($changelog, "(?m)^## (\[$([regex]::Escape($version))\][^\r\n]*)").Groups[1].Value -replace '[\[\]]', ''
    $notes = "$heading`n$($section.Groups[1].Value.Trim())" -replace '(?m)^### (.+)$', '$1:' -replace '`', '' -replace "'", "''"
    $text = Get-Content -Raw $Manifest
    $stamped = [regex]::Replace($text, "(?m)^(\s*ReleaseNotes\s*=\s*)'[^']*'", { param($m) $m.Groups[1].Value + "'" + $notes + "'" })
    if ($stamped -eq $text) { throw "No ReleaseNotes line in $Manifest." }
    Set-Content -NoNewline -Encoding utf8 $Manifest $stamped
}

function Invoke-Build {
    Write-Host "Building OsRollback ($Configuration)..."
    if (Test-Path $moduleOut) { Remove-Item -Recurse -Force $moduleOut }
    $dependencies = Join-Path $moduleOut 'dependencies'
    # The engine and its packages go to dependencies/ with .deps.json and runtimes/ intact;
    # no RuntimeIdentifier, so one folder serves Windows, Linux and macOS.
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/OsRollback.Engine/OsRollback.Engine.csproj'), '-c', $Configuration, '-o', $dependencies, '--nologo', '-v', 'q')
    $cmdletsOut = Join-Path $out "build/cmdlets"
    Invoke-Native dotnet @('build', (Join-Path $root 'src/OsRollback.Cmdlets/OsRollback.Cmdlets.csproj'), '-c', $Configuration, '-o', $cmdletsOut, '--nologo', '-v', 'q')
    # SQLite's WebAssembly static library serves no pwsh; every other native stays, once, in dependencies/runtimes.
    Remove-Item -Recurse -Force (Join-Path $dependencies 'runtimes/browser-wasm') -ErrorAction SilentlyContinue
    Copy-Item (Join-Path $cmdletsOut 'OsRollback.Cmdlets.dll') $moduleOut
    Copy-Item (Join-Path $root 'module/*') $moduleOut -Recurse
    Set-ModuleVersion (Join-Path $moduleOut 'OsRollback.psd1')
    Set-ReleaseNotes (Join-Path $moduleOut 'OsRollback.psd1')
    # PSResourceGet packs a module's license.txt as the package licence.
    Copy-Item (Join-Path $root 'LICENSE') (Join-Path $moduleOut 'license.txt')
    Copy-Item (Join-Path $root 'CHANGELOG.md') $moduleOut
    # The sandbox runs inside a child pwsh and takes Microsoft.Data.Sqlite and its natives from
    # dependencies/ (SandboxLauncher), so only its own assembly goes to sandbox/.
    $sandboxOut = Join-Path $out 'build/sandbox'
    Invoke-Native dotnet @('build', (Join-Path $root 'src/OsRollback.Sandbox/OsRollback.Sandbox.csproj'), '-c', $Configuration, '-o', $sandboxOut, '--nologo', '-v', 'q')
    $null = New-Item -ItemType Directory -Force (Join-Path $moduleOut 'sandbox')
    Copy-Item (Join-Path $sandboxOut 'OsRollback.Sandbox.dll') (Join-Path $moduleOut 'sandbox')
    & (Join-Path $root 'tools/New-MamlHelp.ps1') -ModulePath $moduleOut -HelpSourceDirectory (Join-Path $root 'docs/help') -OutFile (Join-Path $moduleOut 'en-US/OsRollback.Cmdlets.dll-Help.xml')
    Write-Host "Module ready: $moduleOut"
}

function Restore-TestTools {
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/tools/TestTools.csproj'), '--packages', $toolsPackages, '--nologo', '-v', 'q')
}

function Test-Formatting {
    # Analyzer findings already fail the build (warnings as errors); this catches unformatted files.
    Write-Host 'Checking formatting (dotnet format whitespace --verify-no-changes)...'
    & dotnet format (Join-Path $root 'OsRollback.sln') whitespace --verify-no-changes -v q
    if ($LASTEXITCODE -ne 0) {
        Write-Host 'Some files are not formatted as .editorconfig says. Run: dotnet format OsRollback.sln whitespace'
        exit 1
    }
}

function Invoke-Test {
    Test-Formatting
    Invoke-Build
    Restore-TestTools
    if (Test-Path $resultsDir) { Remove-Item -Recurse -Force $resultsDir }
    $null = New-Item -ItemType Directory -Force $resultsDir

    Write-Host 'Running xunit suites...'
    $xunitArgs = @('test', (Join-Path $root 'OsRollback.sln'), '-c', $Configuration, '--nologo',
        '--logger', 'trx', '--logger', 'console;verbosity=minimal', '--results-directory', (Join-Path $resultsDir 'xunit'))
    if ($Filter) { $xunitArgs += @('--filter', $Filter) }
    & dotnet @xunitArgs
    $xunitExit = $LASTEXITCODE

    Write-Host 'Running Pester suite...'
    $pesterScript = Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1'
    $pwsh = & (Join-Path $root 'tools/Get-PwshCommand.ps1')
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $pesterScript `
        -PesterModule (Join-Path $toolsPackages 'pester/5.7.1/tools/Pester.psd1') `
        -ModulePath $moduleOut -ResultFile (Join-Path $resultsDir 'pester.xml') -TagFilter $Filter
    $pesterExit = $LASTEXITCODE
    $passed, $failed, $skipped = (& (Join-Path $root 'tools/Get-TestCounts.ps1') -ResultsDirectory $resultsDir) -split ' ' | ForEach-Object { [int]$_ }
    if ($xunitExit -ne 0) { Write-Warning "dotnet test exited with $xunitExit." }
    if ($pesterExit -ne 0) { Write-Warning "Pester exited with $pesterExit." }
    Write-Host "Tests: $passed passed, $failed failed, $skipped skipped (xunit and Pester)"
    if ($failed -gt 0 -or $xunitExit -ne 0 -or $pesterExit -ne 0) { exit 1 }
}

function Invoke-Package {
    Invoke-Build
    $packageDir = Join-Path $out 'package'
    if (Test-Path $packageDir) { Remove-Item -Recurse -Force $packageDir }
    $null = New-Item -ItemType Directory -Force $packageDir
    $package = & (Join-Path $root 'tools/New-OsRollbackPackage.ps1') -ModulePath $moduleOut -OutputDirectory $packageDir
    Write-Host ("Package ready: {0} ({1:N1} MB)" -f $package.FullName, ($package.Length / 1MB))
}

function Invoke-Demo {
    Invoke-Build
    $pwsh = & (Join-Path $root 'tools/Get-PwshCommand.ps1')
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'examples/demo.ps1') -ModulePath $moduleOut
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    & (Join-Path $root 'bench/Invoke-Benchmarks.ps1') -ModulePath $moduleOut
}

function Invoke-Soak {
    Invoke-Build
    Restore-TestTools
    $pwsh = & (Join-Path $root 'tools/Get-PwshCommand.ps1')
    # The checks themselves first: each must be able to fail (seconds, no sandbox).
    $pester = Join-Path $toolsPackages 'pester/5.7.1/tools/Pester.psd1'
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$pester'; `$r = Invoke-Pester -Path '$(Join-Path $root 'tests/soak/SoakInvariants.Tests.ps1')' -Output Normal -PassThru; exit [int](`$r.FailedCount -gt 0)"
    if ($LASTEXITCODE -ne 0) { throw 'The soak invariant tests failed.' }
    $soakArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/soak/Invoke-OsSoak.ps1'), '-ModulePath', $moduleOut, '-OutputDirectory', (Join-Path $out 'soak'))
    if ($Seeds) { $soakArgs += @('-Seeds', $Seeds) }
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) @soakArgs
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Soak' { Invoke-Soak }
    'Clean' { if (Test-Path $out) { Remove-Item -Recurse -Force $out } }
}
