# Every exported command has real help: synopsis, description, every parameter, examples.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $commands = Get-Command -Module OsRollback | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Help for <Name>' -ForEach $commands {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'has a synopsis that is not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s"
    }

    It 'has a description' {
        ($help.Description.Text -join ' ').Length | Should -BeGreaterThan 40
    }

    It 'has at least one example with code and remarks' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.Examples.Example) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    It 'Get-Help -Online says where the help is (there is no online version)' {
        $e = $null
        try { Get-Help $Name -Online -ErrorAction Stop } catch { $e = $_ }
        $e | Should -Not -BeNullOrEmpty
        $e.Exception.Message | Should -Match ([regex]::Escape("Get-Help $Name -Full (installed with the module, no online version)"))
    }

    It 'describes every parameter' {
        $parameters = $command.Parameters.Keys | Where-Object { $_ -notin $common }
        foreach ($parameter in $parameters) {
            $entry = $help.Parameters.Parameter | Where-Object Name -EQ $parameter
            ($entry.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }
}

Describe 'Get-OsModuleOrder help' {
    It 'has at least three examples, one piping into a publish step' {
        $help = Get-Help Get-OsModuleOrder -Full
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
        ($help.Examples.Example.Code -join "`n") | Should -Match '\| Publish-OsModuleVersion'
    }
}

Describe 'Gallery readiness' {
    BeforeAll {
        $manifestPath = Join-Path (Get-OsRollbackModulePath) 'OsRollback.psd1'
        $manifest = Import-PowerShellDataFile $manifestPath
    }

    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'has release notes taken from this version''s section of CHANGELOG.md' {
        $version = $manifest.ModuleVersion
        $changelog = Get-Content -Raw (Join-Path (Get-RepoRoot) 'CHANGELOG.md')
        $section = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($version))\][^\n]*\n(.*?)(?=^## \[|\z)").Groups[1].Value
        $section | Should -Not -BeNullOrEmpty
        $firstBullet = ([regex]::Match($section, '(?m)^- (.+)$').Groups[1].Value) -replace '`', ''
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Match "^$([regex]::Escape($version))"
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Match ([regex]::Escape($firstBullet))
    }

    It 'states only what is true: tags, the MIT licence in the package, no invented address' {
        $data = $manifest.PrivateData.PSData
        foreach ($tag in 'OutSystems', 'Rollback', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS') { $data.Tags | Should -Contain $tag }
        $data.Tags | Where-Object { $_ -match '\s' } | Should -BeNullOrEmpty -Because 'gallery tags have no spaces'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $data.Keys | Should -Not -Contain 'ProjectUri'
        $data.LicenseUri | Should -Be 'https://licenses.nuget.org/MIT' -Because 'NuGet''s page of the SPDX expression MIT, the licence of LICENSE'
        (Get-Content (Join-Path (Get-OsRollbackModulePath) 'license.txt') -Raw) | Should -Match 'MIT License'
        $manifest.Copyright | Should -Match 'MIT'
    }

    It 'Update-Help says the help is installed with the module and how to read it' {
        $e = $null
        try { Update-Help -Module OsRollback -UICulture en-US -ErrorAction Stop } catch { $e = $_ }
        $e | Should -Not -BeNullOrEmpty
        $e.Exception.Message | Should -Match 'installed with the module \(Get-Help <command> -Full; Get-Help about_OsRollback\)'
    }
}
