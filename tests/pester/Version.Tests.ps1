# One version source: <Version> in Directory.Build.props; the build stamps it into the manifest.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:modulePath = Get-OsRollbackModulePath
    $props = [xml](Get-Content -Raw (Join-Path (Get-RepoRoot) 'Directory.Build.props'))
    $script:productVersion = @($props.Project.PropertyGroup | ForEach-Object { $_.Version } | Where-Object { $_ })[0]
}

Describe 'The module version' -Tag 'Package' {
    It 'is the same in the built manifest, the engine and the cmdlet assemblies' {
        $manifest = (Import-PowerShellDataFile (Join-Path $modulePath 'OsRollback.psd1')).ModuleVersion
        $engine = [System.Diagnostics.FileVersionInfo]::GetVersionInfo((Join-Path $modulePath 'dependencies/OsRollback.Engine.dll')).ProductVersion
        $cmdlets = [System.Diagnostics.FileVersionInfo]::GetVersionInfo((Join-Path $modulePath 'OsRollback.Cmdlets.dll')).ProductVersion
        $productVersion | Should -Not -BeNullOrEmpty
        $manifest | Should -Be $productVersion
        ($engine -split '\+')[0] | Should -Be $productVersion
        ($cmdlets -split '\+')[0] | Should -Be $productVersion
    }
}
