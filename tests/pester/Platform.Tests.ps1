# The platform cmdlets against a running sandbox (Start-OsSandbox): LifeTime and Service Center.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $script:plainToken = 'pester-lt-' + [guid]::NewGuid().ToString('N')
    $script:plainPassword = '#pester-sc-' + [guid]::NewGuid().ToString('N')
    $script:token = ConvertTo-SecureString $plainToken -AsPlainText -Force
    $script:credential = [pscredential]::new('admin', (ConvertTo-SecureString $plainPassword -AsPlainText -Force))
    $script:dataDirectory = New-TestDirectory
    $script:sandbox = Start-OsSandbox -DataDirectory $dataDirectory -PaceMilliseconds 0 -Token $token -ServiceCenterCredential $credential
    $script:lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $token -PollIntervalSec 0.05
    $script:sc = Connect-OsServiceCenter -Uri "$($sandbox.Url)/production" -Credential $credential -PollIntervalSec 0.05

    # What the sandbox holds, without clocks and request counters: equal before and after -WhatIf.
    function Get-SandboxSnapshot {
        $state = Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/state" -Headers @{ Authorization = "Bearer $plainToken" }
        [pscustomobject]@{ environments = $state.environments; deployments = $state.deployments; publishes = $state.publishes } | ConvertTo-Json -Depth 8
    }
    function Save-VersionPackage([string] $Application, [string] $Version, [string] $Path) {
        $v = Get-OsApplicationVersion -Application $Application | Where-Object Version -EQ $Version
        $link = Invoke-RestMethod -Uri "$($sandbox.Url)/lifetimeapi/rest/v2/applications/$($v.ApplicationKey)/versions/$($v.Key)/content/" -Headers @{ Authorization = "Bearer $plainToken" }
        Invoke-WebRequest -Uri $link.url -OutFile $Path | Out-Null
        $Path
    }
}

AfterAll {
    if ($sandbox) { Stop-OsSandbox -InputObject $sandbox -ErrorAction SilentlyContinue }
    Remove-Item $dataDirectory -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Connect-OsLifeTime' {
    It 'returns a connection that shows no token' {
        $lt.Uri | Should -Be "$($sandbox.Url)/"
        $lt.EnvironmentCount | Should -Be 3
        ($lt | Format-List * | Out-String) | Should -Not -Match $plainToken
        "$lt" | Should -Not -Match $plainToken
        ($lt | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue) | Should -Not -Match $plainToken
    }

    It 'reads the token from an environment variable' {
        $env:OSROLLBACK_PESTER_TOKEN = $plainToken
        try {
            $c = Connect-OsLifeTime -Uri $sandbox.Url -TokenEnvironmentVariable OSROLLBACK_PESTER_TOKEN -PollIntervalSec 0.05
            $c.EnvironmentCount | Should -Be 3
        }
        finally { Remove-Item Env:OSROLLBACK_PESTER_TOKEN; $null = Connect-OsLifeTime -Uri $sandbox.Url -Token $token -PollIntervalSec 0.05 }
    }

    It 'gives a clear error for a wrong token, without the token' {
        $wrong = 'wrong-' + [guid]::NewGuid().ToString('N')
        $err = Get-ErrorRecord { Connect-OsLifeTime -Uri $sandbox.Url -Token (ConvertTo-SecureString $wrong -AsPlainText -Force) }
        $err.FullyQualifiedErrorId | Should -Match '^LifeTimeTokenRejected'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'LifeTime > User Management > Service Accounts'
        ($err | Out-String) + $err.Exception.ToString() | Should -Not -Match $wrong
        # the default connection is still the good one
        (Get-OsEnvironment).Count | Should -Be 3
    }

    It 'refuses plain http to a remote host' {
        $err = Get-ErrorRecord { Connect-OsLifeTime -Uri 'http://lifetime.example.com' -Token $token }
        $err.FullyQualifiedErrorId | Should -Match '^InsecureHttpRefused'
    }

    It 'keeps the parallel-deployment settings it was given, and is serial by default' {
        $lt.ParallelDeployments | Should -Be 'Auto'
        $lt.LifeTimeVersion | Should -BeNullOrEmpty
        try {
            $c = Connect-OsLifeTime -Uri $sandbox.Url -Token $token -PollIntervalSec 0.05 -ParallelDeployments Enabled -LifeTimeVersion 11.24.0
            $c.ParallelDeployments | Should -Be 'Enabled'
            $c.LifeTimeVersion | Should -Be ([version]'11.24.0')
        }
        finally { $null = Connect-OsLifeTime -Uri $sandbox.Url -Token $token -PollIntervalSec 0.05 }
        { Connect-OsLifeTime -Uri $sandbox.Url -Token $token -ParallelDeployments Sometimes } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OsRollback.Cmdlets.Platform.ConnectOsLifeTimeCommand'
    }

    It 'reports an unset token variable' {
        $err = Get-ErrorRecord { Connect-OsLifeTime -Uri $sandbox.Url -TokenEnvironmentVariable OSROLLBACK_NOT_SET_ANYWHERE }
        $err.FullyQualifiedErrorId | Should -Match '^TokenVariableEmpty'
    }
}

Describe 'Connect-OsServiceCenter' {
    It 'returns a connection that shows no password' {
        $sc.ModuleCount | Should -BeGreaterThan 39
        ($sc | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($plainPassword))
    }

    It 'rejects a wrong password clearly' {
        $bad = [pscredential]::new('admin', (ConvertTo-SecureString '#wrong-password-123' -AsPlainText -Force))
        $err = Get-ErrorRecord { Connect-OsServiceCenter -Uri "$($sandbox.Url)/production" -Credential $bad }
        $err.FullyQualifiedErrorId | Should -Match '^ServiceCenterLoginRejected'
        $err.ErrorDetails.RecommendedAction | Should -Match 'platform-hashed'
        ($err | Out-String) | Should -Not -Match 'wrong-password'
    }
}

Describe 'Reading' {
    It 'Get-OsEnvironment lists and filters environments' {
        (Get-OsEnvironment).Name | Should -Be @('Development', 'Quality', 'Production')
        (Get-OsEnvironment -Name Prod*).Name | Should -Be 'Production'
        $key = (Get-OsEnvironment -Name Quality).Key
        (Get-OsEnvironment -Name $key).Name | Should -Be 'Quality'
    }

    It 'Get-OsEnvironment names the closest for an unknown name' {
        $null = Get-OsEnvironment -Name Prodution -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Match '^EnvironmentNotFound'
        "$($problems[0])" | Should -Match 'Production'
    }

    It 'Get-OsApplication -Environment says which version runs where' {
        $rows = Get-OsApplication -Environment Production
        $rows.Count | Should -BeGreaterThan 7
        ($rows | Where-Object ApplicationName -EQ 'Orders').Version | Should -Be '1.1.0'
        ((Get-OsApplication -Environment Quality -Name Orders).Version) | Should -Be '1.2.0'
        (Get-OsApplication -Name Orders).AppStatusInEnvs.Count | Should -Be 3
    }

    It 'Get-OsApplicationVersion returns Key, Version, CreatedOn and the application' {
        $versions = Get-OsApplicationVersion -Application Orders
        $versions.Version | Should -Be @('1.2.1', '1.2.0', '1.1.0', '1.0.0')
        foreach ($v in $versions) {
            $v.Key | Should -Not -BeNullOrEmpty
            $v.CreatedOn | Should -Not -BeNullOrEmpty
            $v.ApplicationName | Should -Be 'Orders'
            $v.ApplicationKey | Should -Not -BeNullOrEmpty
        }
        (Get-OsApplication -Name Orders | Get-OsApplicationVersion -Version 1.0.*).Version | Should -Be '1.0.0'
    }

    It 'Get-OsModule lists modules and their versions' {
        (Get-OsModule -Name Common_*).Name | Should -Contain 'Common_Lib'
        $versions = Get-OsModule -Name Common_Lib -IncludeVersions
        $versions.Count | Should -BeGreaterThan 0
        $versions[0].GeneralHash | Should -Not -BeNullOrEmpty
    }

    It 'completes environment and application names' {
        $env = TabExpansion2 -inputScript 'Get-OsEnvironment -Name Prod' -cursorColumn 'Get-OsEnvironment -Name Prod'.Length
        $env.CompletionMatches.CompletionText | Should -Contain 'Production'
        $app = TabExpansion2 -inputScript 'Get-OsApplicationVersion -Application Ord' -cursorColumn 'Get-OsApplicationVersion -Application Ord'.Length
        $app.CompletionMatches.CompletionText | Should -Contain 'Orders'
    }
}

Describe 'Publish-OsApplicationVersion' {
    It '-WhatIf creates nothing' {
        $before = Get-SandboxSnapshot
        $v = Get-OsApplicationVersion -Application Orders | Where-Object Version -EQ '1.0.0'
        $result = Publish-OsApplicationVersion -ApplicationVersion $v -SourceEnvironment Quality -TargetEnvironment Production -WhatIf
        $result | Should -BeNullOrEmpty
        Get-SandboxSnapshot | Should -Be $before
    }

    It 'refuses the same source and target with a clear message' {
        $v = Get-OsApplicationVersion -Application Orders | Where-Object Version -EQ '1.0.0'
        $err = Get-ErrorRecord { Publish-OsApplicationVersion -ApplicationVersion $v -SourceEnvironment Production -TargetEnvironment Production }
        $err.FullyQualifiedErrorId | Should -Match '^SameSourceAndTarget'
        $err.ErrorDetails.RecommendedAction | Should -Match 'upstream'
    }

    It 'deploys a version from upstream and returns DeploymentStatus' {
        $v = Get-OsApplicationVersion -Application Orders | Where-Object Version -EQ '1.0.0'
        $result = Publish-OsApplicationVersion -ApplicationVersion $v -SourceEnvironment Quality -TargetEnvironment Production
        $result.DeploymentStatus | Should -Be 'finished_successful'
        $result.Succeeded | Should -BeTrue
        $result.DeploymentLog.Count | Should -BeGreaterThan 0
        (Get-OsApplication -Environment Production -Name Orders).Version | Should -Be '1.0.0'
        $script:deploymentKey = $result.DeploymentKey
    }

    It 'takes version keys from the pipeline' {
        $key = (Get-OsApplicationVersion -Application Orders | Where-Object Version -EQ '1.1.0').Key
        $result = $key | Publish-OsApplicationVersion -SourceEnvironment Quality -TargetEnvironment Production -Confirm:$false
        $result.DeploymentStatus | Should -Be 'finished_successful'
    }

    It 'stops on conflicts, shows them and deletes the plan' {
        $before = @((Get-OsDeployment -TargetEnvironment Production)).Count
        $v = Get-OsApplicationVersion -Application 'Customer Portal' | Where-Object Version -EQ '1.2.0'
        $err = Get-ErrorRecord { Publish-OsApplicationVersion -ApplicationVersion $v -SourceEnvironment Quality -TargetEnvironment Production -WarningAction SilentlyContinue }
        $err.FullyQualifiedErrorId | Should -Match '^DeploymentConflicts'
        @((Get-OsDeployment -TargetEnvironment Production)).Count | Should -Be $before
    }
}

Describe 'Get-OsDeployment and Stop-OsDeployment' {
    It 'lists plans and reads one with its log' {
        (Get-OsDeployment -TargetEnvironment Production).Key | Should -Contain $deploymentKey
        $report = Get-OsDeployment -DeploymentKey $deploymentKey
        $report.DeploymentStatus | Should -Be 'finished_successful'
        $report.DeploymentLog.Count | Should -BeGreaterThan 0
    }

    It 'Stop-OsDeployment -WhatIf changes nothing and a finished plan cannot be aborted' {
        $before = Get-SandboxSnapshot
        Stop-OsDeployment -DeploymentKey $deploymentKey -WhatIf
        Get-SandboxSnapshot | Should -Be $before
        $err = Get-ErrorRecord { Stop-OsDeployment -DeploymentKey $deploymentKey -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -Match '^PlatformRequestFailed'
    }
}

Describe 'Set-OsMaintenanceMode' {
    It '-WhatIf changes nothing; on and off work' {
        $before = Get-SandboxSnapshot
        Set-OsMaintenanceMode -Environment Production -Enabled $true -Reason 'drill' -WhatIf
        Get-SandboxSnapshot | Should -Be $before
        (Set-OsMaintenanceMode -Environment Production -Enabled $true -Reason 'drill').IsMaintenanceModeEnabled | Should -BeTrue
        $state = Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/state" -Headers @{ Authorization = "Bearer $plainToken" }
        ($state.environments | Where-Object name -EQ Production).maintenanceMode | Should -BeTrue
        (Set-OsMaintenanceMode Production $false).IsMaintenanceModeEnabled | Should -BeFalse
    }
}

Describe 'Publish-OsSolutionVersion' {
    BeforeAll { $script:package = Save-VersionPackage -Application Orders -Version '1.2.0' -Path (Join-Path $dataDirectory 'orders-1.2.0.oap') }

    It '-WhatIf uploads nothing' {
        $before = Get-SandboxSnapshot
        Publish-OsSolutionVersion -Path $package -WhatIf | Should -BeNullOrEmpty
        Publish-OsSolutionVersion -Path $package -TargetEnvironment Production -WhatIf | Should -BeNullOrEmpty
        Get-SandboxSnapshot | Should -Be $before
    }

    It 'publishes through Service Center and returns the messages' {
        $result = Publish-OsSolutionVersion -Path $package
        $result.Via | Should -Be 'ServiceCenter'
        $result.Status | Should -Be 'finished_successful'
        $result.Messages.Count | Should -BeGreaterThan 0
        (Get-OsApplication -Environment Production -Name Orders).Version | Should -Be '1.2.0'
    }

    It 'publishes through LifeTime binary deployment' {
        $older = Save-VersionPackage -Application Orders -Version '1.1.0' -Path (Join-Path $dataDirectory 'orders-1.1.0.oap')
        $result = Get-Item $older | Publish-OsSolutionVersion -TargetEnvironment Production
        $result.Via | Should -Be 'LifeTime'
        $result.Status | Should -Be 'finished_successful'
    }

    It 'reports a missing package' {
        $err = Get-ErrorRecord { Publish-OsSolutionVersion -Path (Join-Path $dataDirectory 'nope.osp') }
        $err.FullyQualifiedErrorId | Should -Match '^SolutionPackageNotFound'
    }
}

Describe 'Publish-OsModuleVersion' {
    It 'takes Get-OsModuleOrder output and -WhatIf publishes nothing' {
        $before = Get-SandboxSnapshot
        $order = Get-OsModuleOrder -SqlitePath $sandbox.PlatformDatabase -Module Common_Lib -IncludeConsumers
        $order | Publish-OsModuleVersion -WhatIf | Should -BeNullOrEmpty
        Get-SandboxSnapshot | Should -Be $before
    }

    It 'publishes wave by wave, one staging per wave' {
        $order = Get-OsModuleOrder -SqlitePath $sandbox.PlatformDatabase -Module Common_Lib, Common_Utils, Auditing_Lib
        $result = $order | Publish-OsModuleVersion
        $result.Succeeded | Should -BeTrue
        $result.WaveCount | Should -Be (($order.Wave | Sort-Object -Unique).Count)
        $result.PublishOperations | Should -Be $result.WaveCount
        $result.PublishedModules | Should -Be @($order | Sort-Object Wave, Order | ForEach-Object Name)
    }

    It 'stops at the first failing wave and lists what was published' {
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/deployment-outcome" -Headers @{ Authorization = "Bearer $plainToken" } -ContentType 'application/json' -Body '{"outcome":"finished_with_errors"}' | Out-Null
        $result = [pscustomobject]@{ Name = 'Common_Lib'; Kind = 'eSpace'; Wave = 1 }, [pscustomobject]@{ Name = 'Common_Utils'; Kind = 'eSpace'; Wave = 2 } |
            Publish-OsModuleVersion -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $result.Succeeded | Should -BeFalse
        $result.FailedWave | Should -Be 1
        $result.NotPublishedModules | Should -Be @('Common_Utils')
        $failed[0].FullyQualifiedErrorId | Should -Match '^ModuleWaveFailed'
    }
}

Describe 'Suspend-OsTimer and Resume-OsTimer' {
    It '-WhatIf changes nothing; suspend and resume restore each next run' {
        $db = $sandbox.PlatformDatabases.Quality
        $statePath = Join-Path $dataDirectory 'timers.json'
        Suspend-OsTimer -SqlitePath $db -StatePath $statePath -WhatIf | Should -BeNullOrEmpty
        $statePath | Should -Not -Exist

        $state = Suspend-OsTimer -SqlitePath $db -StatePath $statePath
        $state.Timers.Count | Should -BeGreaterThan 0
        $statePath | Should -Exist
        $again = Suspend-OsTimer -SqlitePath $db -WarningAction SilentlyContinue
        @($again.Timers).Count | Should -Be 0   # already suspended: nothing recorded twice

        Resume-OsTimer -SqlitePath $db -State $statePath -WhatIf | Should -BeNullOrEmpty
        $result = Resume-OsTimer -SqlitePath $db -State $statePath
        $result.Restored.Count | Should -Be $state.Timers.Count
        $fresh = Suspend-OsTimer -SqlitePath $db
        ($fresh.Timers | ForEach-Object NextRun) | Should -Be ($state.Timers | ForEach-Object NextRun)
        $fresh | Resume-OsTimer -SqlitePath $db | Out-Null
    }
}

Describe 'New-OsApplicationVersion' {
    It '-WhatIf tags nothing' {
        $before = @(Get-OsApplicationVersion -Application Backoffice -MaximumVersions 50).Count
        New-OsApplicationVersion -Application Backoffice -Environment Production -Version 9.0.1 -WhatIf | Should -BeNullOrEmpty
        @(Get-OsApplicationVersion -Application Backoffice -MaximumVersions 50).Count | Should -Be $before
    }

    It 'tags what runs, and the environment then runs that tag' {
        $tag = New-OsApplicationVersion -Application Backoffice -Environment Production -Version 9.0.2 -ChangeLog 'after a rollback' -Confirm:$false
        $tag.Version | Should -Be '9.0.2'
        $tag.ApplicationVersionKey | Should -Not -BeNullOrEmpty
        (Get-OsApplicationVersion -Application Backoffice | Where-Object Key -EQ $tag.ApplicationVersionKey).ChangeLog | Should -Be 'after a rollback'
        (Get-OsApplication -Environment Production -Name Backoffice).Version | Should -Be '9.0.2'
    }

    It 'refuses a version number that is not one' {
        $err = Get-ErrorRecord { New-OsApplicationVersion -Application Backoffice -Environment Production -Version 'latest' -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -Match 'ParameterArgumentValidationError'
    }
}
