# OutSystems' platform-database restore procedure (docs-support restore-database.md) played by the
# sandbox: servers whose services stop (503) and start, a restored database that refuses publishing
# until the Configuration Tool is applied, pending settings; and the Database runbook in that order.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $ProgressPreference = 'SilentlyContinue'
    $dir = New-TestDirectory
    $catalog = Join-Path $dir 'catalog'
    $sandbox = Start-OsSandbox -DataDirectory (Join-Path $dir 'sandbox') -PaceMilliseconds 20 -Confirm:$false
    $lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
    $sc = Connect-OsServiceCenter -Uri $sandbox.Url -Credential $sandbox.ServiceCenterCredential
    $db = $sandbox.PlatformDatabase

    function Invoke-Servers([string] $Action, [string] $Query = '') {
        $method = if ($Action) { 'Post' } else { 'Get' }
        $uri = "$($sandbox.Url)/_sandbox/servers/production$(if ($Action) { "/$Action" })$Query"
        Invoke-RestMethod -Method $method -Uri $uri -Authentication Bearer -Token $sandbox.Token -AllowUnencryptedAuthentication
    }
    function Get-Status([string] $Path) {
        (Invoke-WebRequest -Uri "$($sandbox.Url)$Path" -SkipHttpErrorCheck).StatusCode
    }
    function Publish-Staging {
        $body = @{ ModulesToPublish = @(@{ REST_Module = @{ Name = 'Orders'; Key = ''; Kind = 'eSpace' } }); ApplicationsToUpdate = @() } | ConvertTo-Json -Depth 5
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/ServiceCenter/rest/PlatformServices/Staging_PublishWith2StepOption?StagingName=t&TwoStepMode=false" `
            -Body $body -ContentType 'application/json' -Authentication Basic -Credential $sandbox.ServiceCenterCredential -AllowUnencryptedAuthentication
    }
    function Deploy([string] $Version) {
        $tag = Get-OsApplicationVersion -Application Orders -Version $Version -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $tag -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
    }
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
}

Describe 'The sandbox plays the servers of the restore procedure' {
    It 'stopped servers answer 503 for the applications and Service Center, and answer again once started' {
        Get-Status '/production/orders/' | Should -Be 200
        $null = Invoke-Servers stop '?server=fe1'
        Get-Status '/production/orders/' | Should -Be 503
        Get-Status '/ServiceCenter/PlatformServices_v8_0_0.asmx?WSDL' | Should -Be 503
        (Invoke-Servers).stopped | Should -BeTrue
        $null = Invoke-Servers start '?server=fe1'
        Get-Status '/production/orders/' | Should -Be 200
    }

    It 'a restored platform database refuses publishing until the Configuration Tool is applied and the pending settings are applied' {
        $backup = Backup-OsDatabase -SqlitePath $db -Path (Join-Path $dir 'backups') -BuildPath -Confirm:$false -WarningAction SilentlyContinue
        Deploy '1.2.0'
        $null = Invoke-Servers stop
        $null = $backup | Restore-OsDatabase -SqlitePath $db -WithReplace -Confirm:$false -WarningAction SilentlyContinue
        $null = Invoke-Servers start
        (Invoke-Servers).configurationRequired | Should -BeTrue
        $refused = Publish-Staging
        $refused.PublishId | Should -Be 0
        $refused.Messages[0].REST_PublicationMessage.Detail | Should -Match 'Configuration Tool'
        $state = Invoke-Servers configure '?server=dc1&role=DeploymentController'
        $state.configurationRequired | Should -BeFalse
        $state.pendingSettings | Should -BeTrue
        (Publish-Staging).Messages[0].REST_PublicationMessage.Detail | Should -Match 'pending settings'
        $null = Invoke-Servers apply-settings
        (Publish-Staging).PublishId | Should -BeGreaterThan 0
    }
}

Describe 'The Database runbook follows the restore procedure on the sandbox' {
    BeforeAll {
        $rp = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $db -Connection $lt -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
        Deploy '1.2.0'
    }

    It 'lists the procedure in -WhatIf, -OutputScriptOnly and the plan''s Markdown' {
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-12 procedure' -Strategy Database -AllowDataLoss -Connection $lt -CatalogPath $catalog `
            -DeploymentController dc1 -FrontEnd fe1, fe2 -Republish AllComponents -WarningAction SilentlyContinue
        $plan.Republish.Method | Should -Be 'AllComponents'
        $kinds = @($plan.Steps.Kind)
        $kinds | Should -Contain 'StopServices'
        $kinds.IndexOf('StopServices') | Should -BeLessThan $kinds.IndexOf('BackupCurrent')
        @($plan.Steps | Where-Object Kind -EQ 'ConfigureServer').Target | Should -Be @('dc1', 'fe1', 'fe2')
        $kinds.IndexOf('PublishAllComponents') | Should -BeLessThan $kinds.IndexOf('SuspendWokenTimers')
        $kinds.IndexOf('SuspendWokenTimers') | Should -BeLessThan $kinds.IndexOf('MaintenanceOff')
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $dir 'procedure-plan.json')).FullName
        $whatIf = (Invoke-ChildPwsh "Import-Module '$(Get-OsRollbackModulePath)'; Invoke-OsRollback -Plan '$planFile' -SqlitePath '$db' -CatalogPath '$catalog' -WhatIf").Output -join "`n"
        $whatIf | Should -Match 'StopServices'
        $whatIf | Should -Match 'ConfigureServer\): Apply the Configuration Tool settings .* on the deployment controller dc1'
        $script = (Invoke-OsRollback -Plan $plan -SqlitePath $db -CatalogPath $catalog -OutputScriptOnly) -join "`n"
        $script | Should -Match '\(ApplyPendingSettings\)'
        $script | Should -Match '\(PublishAllComponents\)'
        $markdown = Get-Content ($plan | Export-OsRollbackPlan -Path (Join-Path $dir 'plan.md') -Format Markdown).FullName -Raw
        $markdown | Should -Match 'Republish after the restore:\*\* AllComponents'
        $markdown | Should -Match 'Stop IIS and the OutSystems services on dc1, fe1, fe2'
    }

    It 'stops the servers before the restore, configures and applies settings before republishing, and a kill at each new step resumes' {
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-13 procedure' -Strategy Database -AllowDataLoss -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $dir 'db-plan.json')).FullName
        $hookFile = Join-Path $dir 'procedure.ps1'
        # The kill iterations stop before any publish, so they need no Service Center connection (Service Center
        # answers 503 while the servers are stopped, as a real one would).
        # The hook kills its own process after doing its work at the chosen step once: the journal has no Finished line for it.
        Set-Content $hookFile @'
param($context)
& $env:OSROLLBACK_TEST_PROCEDURE $context
$marker = Join-Path $env:OSROLLBACK_TEST_DIR ("killed-" + $context.Step)
if ($context.Step -eq $env:OSROLLBACK_TEST_KILL_AT -and -not (Test-Path $marker)) { Set-Content $marker 'x'; [Environment]::Exit(137) }
'@
        $env:OSROLLBACK_TEST_TOKEN = [System.Net.NetworkCredential]::new('', $sandbox.Token).Password
        foreach ($step in 'StopServices', 'ConfigureServer', 'ApplyPendingSettings') {
            $child = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
`$env:OSROLLBACK_TEST_DIR = '$dir'; `$env:OSROLLBACK_TEST_KILL_AT = '$step'
Import-Module '$(Get-OsRollbackModulePath)'
`$token = ConvertTo-SecureString `$env:OSROLLBACK_TEST_TOKEN -AsPlainText -Force
`$hook = [OsRollback.Cmdlets.Sandbox.OsSandbox]::ProcedureScriptFor('$($sandbox.Url)', `$token)
`$global:procedureHook = `$hook
function global:Invoke-TestProcedure(`$context) { & `$global:procedureHook `$context }
`$env:OSROLLBACK_TEST_PROCEDURE = 'Invoke-TestProcedure'
`$lt = Connect-OsLifeTime -Uri '$($sandbox.Url)' -Token `$token
`$resume = @{}; if (Test-Path '$(Join-Path $rp.Path "runs/$($plan.Id)/journal.jsonl")') { `$resume.Resume = `$true }
Invoke-OsRollback -Plan '$planFile' -SqlitePath '$db' -Connection `$lt -CatalogPath '$catalog' -ProcedureScript '$hookFile' -Confirm:`$false -WarningAction SilentlyContinue @resume | Out-Null
'done'
"@
            $child.ExitCode | Should -Be 137 -Because "the run is killed at $step ($($child.Output -join ' '))"
            Test-Path (Join-Path $dir "killed-$step") | Should -BeTrue
        }
        Remove-Item Env:OSROLLBACK_TEST_TOKEN
        $result = Invoke-OsRollback -Plan $planFile -SqlitePath $db -Connection $lt -ServiceCenterConnection $sc -CatalogPath $catalog -ProcedureScript $sandbox.ProcedureScript -Resume -Confirm:$false -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Succeeded'
        (Get-OsApplication -Name Orders -Environment Production -Connection $lt).Version | Should -Be '1.1.0'
        $servers = Invoke-Servers
        $servers.stopped | Should -BeFalse
        $servers.configurationRequired | Should -BeFalse
        $servers.pendingSettings | Should -BeFalse
        # the procedure's order: stop, restore, the controller then the front-ends, settings; each killed step was done again on resume
        $ops = @($servers.operations | Where-Object { $_ -notlike 'start*' } | Select-Object -Last 7)
        $ops | Should -Be @('stop all', 'stop all', 'configure all (deployment controller)', 'configure all (deployment controller)', 'configure all', 'apply-settings all', 'apply-settings all')
        $woken = $result.Steps | Where-Object Kind -EQ 'SuspendWokenTimers'
        $woken.Status | Should -Be 'Finished'
        $journal = Get-Content $result.JournalPath | ConvertFrom-Json
        foreach ($n in ($plan.Steps | Where-Object Kind -In 'StopServices', 'ConfigureServer', 'ApplyPendingSettings').Number) {
            @($journal | Where-Object { $_.step -eq $n -and $_.event -eq 'Finished' }).Count | Should -Be 1
        }
    }
}
