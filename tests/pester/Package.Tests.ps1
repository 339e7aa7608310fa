# The installable package: packed by tools/New-OsRollbackPackage.ps1 (what './build.ps1 Package' runs),
# installed with Install-PSResource from a local file repository and imported by name in a fresh pwsh.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:modulePath = Get-OsRollbackModulePath
    $script:work = New-TestDirectory
    $script:package = & (Join-Path (Get-RepoRoot) 'tools/New-OsRollbackPackage.ps1') -ModulePath $modulePath -OutputDirectory (Join-Path $work 'feed')
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
    try { $script:entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
}

AfterAll {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The OsRollback package' -Tag 'Package' {
    It 'is a nupkg named after the manifest version, with the licence, the changelog and the sandbox' {
        $version = (Import-PowerShellDataFile (Join-Path $modulePath 'OsRollback.psd1')).ModuleVersion
        $package.Name | Should -Be "OsRollback.$version.nupkg"
        $entries | Should -Contain 'OsRollback.psd1'
        $entries | Should -Contain 'license.txt'
        $entries | Should -Contain 'CHANGELOG.md'
        $entries | Should -Contain 'sandbox/OsRollback.Sandbox.dll'
    }

    It 'holds each native library once per runtime' {
        $natives = @($entries | Where-Object { $_ -match '(^|/)(lib)?e_sqlite3\.(so|dll|dylib)$' })
        $natives.Count | Should -BeGreaterThan 0
        $natives | ForEach-Object { $_ | Should -BeLike 'dependencies/runtimes/*/native/*' }
        @($natives | Group-Object { ($_ -split '/')[2] } | Where-Object Count -GT 1) | Should -BeNullOrEmpty
        ($package.Length / 1MB) | Should -BeLessThan 40
    }

    It 'states its licence as the SPDX expression MIT, the licence of LICENSE' {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
        try {
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('OsRollback.nuspec').Open())
            try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        $license = $nuspec.package.metadata['license']
        $license.type | Should -Be 'expression'
        $license.InnerText | Should -Be 'MIT'
        $nuspec.package.metadata.licenseUrl | Should -Be 'https://licenses.nuget.org/MIT'
        $nuspec.package.metadata.releaseNotes | Should -Match '^0\.1\.0'
        $entries | Should -Contain 'license.txt'
        (Get-Content (Join-Path (Get-RepoRoot) 'LICENSE') -Raw) | Should -Match 'MIT License'
    }

    It 'has release notes and no invented project address' {
        $data = (Import-PowerShellDataFile (Join-Path $modulePath 'OsRollback.psd1')).PrivateData.PSData
        $data.ReleaseNotes | Should -Match '0\.1\.0'
        $data.Keys | Should -Not -Contain 'ProjectUri'
        (Get-Content (Join-Path (Get-RepoRoot) 'LICENSE') -Raw) | Should -Match 'MIT License'
    }

    It 'installs with Install-PSResource and imports by name in a fresh pwsh' -Skip:$IsWindows {
        # A private HOME holds the repository registration and the CurrentUser module folder,
        # so the test leaves the user's PSResourceGet settings alone.
        $home2 = Join-Path $work 'home'
        $null = New-Item -ItemType Directory $home2
        $feed = Split-Path $package.FullName
        $script = @"
`$ErrorActionPreference = 'Stop'
`$name = 'OsRollbackTestFeed' + [guid]::NewGuid().ToString('N').Substring(0, 8)
Register-PSResourceRepository -Name `$name -Uri '$feed' -Trusted
try {
    Install-PSResource -Name OsRollback -Repository `$name -Scope CurrentUser -TrustRepository -Quiet
    'installed=' + (Get-InstalledPSResource -Name OsRollback).InstalledLocation
}
finally { Unregister-PSResourceRepository -Name `$name }
"@
        $oldHome, $oldData = $env:HOME, $env:XDG_DATA_HOME
        try {
            $env:HOME = $home2; $env:XDG_DATA_HOME = Join-Path $home2 '.local/share'
            $install = Invoke-ChildPwsh $script
            $install.ExitCode | Should -Be 0 -Because ($install.Output -join "`n")
            $use = Invoke-ChildPwsh @'
$ErrorActionPreference = 'Stop'
Import-Module OsRollback
'module=' + (Get-Module OsRollback).ModuleBase
$s = Start-OsSandbox -PaceMilliseconds 0
try { 'modules=' + @(Get-OsModuleOrder -SqlitePath $s.PlatformDatabase).Count } finally { $s | Stop-OsSandbox }
'@
        }
        finally { $env:HOME, $env:XDG_DATA_HOME = $oldHome, $oldData }
        $use.ExitCode | Should -Be 0 -Because ($use.Output -join "`n")
        ($use.Output | Where-Object { $_ -like 'module=*' }) | Should -BeLike "module=$home2/*OsRollback*"
        [int](($use.Output | Where-Object { $_ -like 'modules=*' }) -replace 'modules=') | Should -BeGreaterThan 0
    }
}
