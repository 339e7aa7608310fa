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
