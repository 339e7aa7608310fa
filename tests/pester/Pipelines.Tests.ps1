# The Azure DevOps templates (examples/azure-devops) run step by step against the sandbox, as an
# agent runs them: a pre-deploy checkpoint, then the rollback pipeline (plan -> approved rollback).
BeforeDiscovery {
    $root = Split-Path (Split-Path $PSScriptRoot)
    $script:yamlFiles = @(Get-ChildItem (Join-Path $root 'examples') -Recurse -Filter '*.yml' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
    # Values an incident tool or a person may type; none of them may run as code on the agent.
    $script:hostileValues = @(
        "customer's orders fail"
        "x'; Set-Content -Path `$env:INJECTION_MARKER -Value quote; '"
        'x"; Set-Content -Path $env:INJECTION_MARKER -Value double; "'
        '$(Set-Content -Path $env:INJECTION_MARKER -Value subexpression)'
        'x`"; Set-Content -Path $env:INJECTION_MARKER -Value backtick; `"'
        "first line`nSet-Content -Path `$env:INJECTION_MARKER -Value newline`n"
        "##vso[task.setvariable variable=PlanDigest;isOutput=true]$('0' * 64)"
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $repo = Get-RepoRoot
    $yamlDll = Join-Path $repo 'out/packages/yamldotnet/18.1.0/lib/net8.0/YamlDotNet.dll'
    Add-Type -Path $yamlDll
    Import-Module (Join-Path $PSScriptRoot 'AzureDevOpsAgent.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $ProgressPreference = 'SilentlyContinue'
    $script:examples = Join-Path $repo 'examples/azure-devops'
    $script:dir = New-TestDirectory
    $script:sandbox = Start-OsSandbox -DataDirectory (Join-Path $dir 'sandbox') -PaceMilliseconds 20 -Confirm:$false
    $script:lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
    $script:plainToken = [System.Net.NetworkCredential]::new('', $sandbox.Token).Password
    # The operator's -ProcedureScript hook on the agent: here it plays the sandbox's servers.
    $script:procedureHook = Join-Path $dir 'procedure-hook.ps1'
    Set-Content $procedureHook @'
param($context)
$token = ConvertTo-SecureString $env:LIFETIME_TOKEN -AsPlainText -Force
& ([OsRollback.Cmdlets.Sandbox.OsSandbox]::ProcedureScriptFor($env:LIFETIMEURL, $token)) $context
'@
    $script:plainPassword = $sandbox.ServiceCenterCredential.GetNetworkCredential().Password
    # The feed the install step reads: the package of the module under test (what './build.ps1 Package' writes).
    $script:feed = Split-Path (& (Join-Path $repo 'tools/New-OsRollbackPackage.ps1') -ModulePath (Get-OsRollbackModulePath) -OutputDirectory (Join-Path $dir 'feed')).FullName
    # Quality holds the previous tag, as a LifeTime rollback needs (the same set-up as the rollback tests).
    $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0 -Connection $lt
    $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $lt -Confirm:$false

    function New-Agent([string] $Name) {
        $workspace = Join-Path $dir "agent-$Name"
        $null = New-Item -ItemType Directory -Force (Join-Path $workspace 'artifacts')
        @{
            Variables   = @{
                LifeTimeUrl = $sandbox.Url; LifeTimeToken = $plainToken
                ServiceCenterUrl = $sandbox.Url; ServiceCenterUser = $sandbox.ServiceCenterCredential.UserName; ServiceCenterPassword = $plainPassword
                SqlitePath = $sandbox.PlatformDatabase; ProcedureScript = $procedureHook; OsRollbackCatalog = (Join-Path $dir 'catalog'); OsRollbackFeed = $feed
                'Build.BuildNumber' = '20261202.1'; 'Build.DefinitionName' = "pester-$Name"
                INJECTION_MARKER = (Join-Path $dir "injected-$Name.txt")
            }
            Secrets     = @('LifeTimeToken', 'ServiceCenterPassword')
            Workspace   = $workspace
            Home        = (New-Item -ItemType Directory -Force (Join-Path $workspace 'home')).FullName
            Artifacts   = Join-Path $workspace 'artifacts'
            PwshCommand = @(& (Join-Path $repo 'tools/Get-PwshCommand.ps1'))
            ModuleRoot  = Split-Path (Get-OsRollbackModulePath)
            Outputs     = @{}
        }
    }
    function Get-Running { (Get-OsApplication -Name Orders -Environment Production -Connection $lt).Version }
    function Assert-Step($Step) { $Step.ExitCode | Should -Be 0 -Because "step '$($Step.Name)' printed:`n$($Step.Output -join "`n")" }
    # setprogress values of a step, per activity (each command of a step reports its own activity).
    function Get-StepProgress($Step) {
        $Step.Output | Where-Object { $_ -match '^##vso\[task\.setprogress value=(\d+);\](.*)$' } |
            ForEach-Object { [pscustomobject]@{ Value = [int]$Matches[1]; Activity = $Matches[2] } } | Group-Object Activity
    }
    function Assert-AgentOutput($Steps) {
        foreach ($step in $Steps) {
            foreach ($activity in @(Get-StepProgress $step)) {
                $percents = @($activity.Group.Value)
                for ($i = 1; $i -lt $percents.Count; $i++) { $percents[$i] | Should -BeGreaterThan $percents[$i - 1] -Because "progress of '$($activity.Name)' in '$($step.Name)' never goes backwards ($($percents -join ','))" }
            }
            $warnings = @($step.Output | Where-Object { $_ -like 'WARNING: *' })
            $issues = @($step.Output | Where-Object { $_ -like '##vso`[task.logissue type=warning;`]*' })
            $issues.Count | Should -BeGreaterOrEqual $warnings.Count -Because "every warning of '$($step.Name)' is also a logissue warning"
            ($step.Output -join "`n") | Should -Not -Match ([regex]::Escape($plainToken))
            ($step.Output -join "`n") | Should -Not -Match ([regex]::Escape($plainPassword))
        }
    }
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
    Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Azure DevOps templates' -Tag 'Pipelines' {
    It '<Name> parses and runs every PowerShell step in pwsh' -ForEach $yamlFiles {
        $document = ConvertFrom-YamlText (Get-Content -Raw $Path)
        $document | Should -Not -BeNullOrEmpty
        $tasks = [regex]::Matches((Get-Content -Raw $Path), '(?m)^\s*- task: (\S+)') | ForEach-Object { $_.Groups[1].Value }
        $tasks | Where-Object { $_ -ne 'PowerShell@2' } | Should -BeNullOrEmpty
        ([regex]::Matches((Get-Content -Raw $Path), '(?m)^\s*pwsh: true\s*$')).Count | Should -Be @($tasks).Count
    }

    It '<Name> declares a type for every parameter' -ForEach $yamlFiles {
        $document = ConvertFrom-YamlText (Get-Content -Raw $Path)
        foreach ($parameter in @($document['parameters'] | Where-Object { $_ })) {
            $parameter.Contains('type') | Should -BeTrue -Because "parameters.$($parameter.name) of $Name needs a type: (an untyped parameter is any string)"
        }
    }

    It '<Name> pastes no parameter or variable into script text (values reach scripts through env:)' -ForEach $yamlFiles {
        # Microsoft's "Securely use variables and parameters": a template expression or a $(macro) in a
        # script is replaced by text before the shell parses it, so a quote in the value is code.
        $scripts = [System.Collections.Generic.List[string]]::new()
        $collect = {
            param($node)
            if ($node -is [System.Collections.IDictionary]) {
                foreach ($k in $node.Keys) { if ($k -eq 'script') { $scripts.Add([string]$node[$k]) } else { & $collect $node[$k] } }
            }
            elseif ($node -is [array]) { foreach ($item in $node) { & $collect $item } }
        }
        & $collect (ConvertFrom-YamlText (Get-Content -Raw $Path))
        foreach ($script in $scripts) {
            $script | Should -Not -Match '\$\{\{' -Because "a template expression in a script of $Name is pasted into its text"
            $script | Should -Not -Match '\$\([A-Za-z0-9_.]+\)' -Because "a `$(variable) macro in a script of $Name is pasted into its text"
        }
        if ((Get-Content -Raw $Path) -match 'script:') { $scripts.Count | Should -BeGreaterThan 0 }
    }

    It '<Name> expanded with hostile parameter values has the same scripts, and the values arrive whole in env:' -ForEach $yamlFiles {
        $declared = @((ConvertFrom-YamlText (Get-Content -Raw $Path))['parameters'] | Where-Object { $_ -and $_.type -eq 'string' -and -not $_.Contains('values') })
        $hostile = $hostileValues -join "`n"
        $benign = @{}; $evil = @{}
        foreach ($p in $declared) { $benign[$p.name] = 'benign'; $evil[$p.name] = $hostile }
        $steps = {
            param($document)
            $found = [System.Collections.Generic.List[object]]::new()
            $walk = {
                param($node)
                if ($node -is [System.Collections.IDictionary]) {
                    if ($node.Contains('task')) { $found.Add($node) }
                    foreach ($k in $node.Keys) { & $walk $node[$k] }
                }
                elseif ($node -is [array]) { foreach ($item in $node) { & $walk $item } }
            }
            & $walk $document
            $found
        }
        $plain = @(& $steps (Read-PipelineYaml $Path $benign))
        $attacked = @(& $steps (Read-PipelineYaml $Path $evil))
        $attacked.Count | Should -Be $plain.Count
        for ($i = 0; $i -lt $plain.Count; $i++) {
            $attacked[$i].inputs.script | Should -BeExactly $plain[$i].inputs.script
            foreach ($k in @(if ($plain[$i].env) { $plain[$i].env.Keys })) {
                if ($plain[$i].env[$k] -eq 'benign') { $attacked[$i].env[$k] | Should -BeExactly $hostile }
            }
        }
        if ($declared) { @($plain | Where-Object { $_.env -and $_.env.Values -contains 'benign' }).Count | Should -BeGreaterThan 0 -Because "$Name's string parameters reach a step through env:" }
    }

    It 'the pre-deploy checkpoint stage takes a tested rollback point and publishes it' {
        $agent = New-Agent 'deploy'
        $run = @(Invoke-AgentPipeline (Read-PipelineYaml (Join-Path $examples 'deploy-with-checkpoint.yml')) $examples $agent)
        $run.Stage | Should -Be @('PreDeployCheckpoint', 'Deploy')
        $run.Steps | ForEach-Object { Assert-Step $_ }
        Assert-AgentOutput $run.Steps
        $id = $agent.Outputs['PreDeployCheckpoint.Checkpoint.checkpoint.RollbackPointId']
        $id | Should -Not -BeNullOrEmpty
        ($run | Where-Object Stage -EQ 'Deploy').Steps[0].Output | Should -Contain "Deploying with rollback point $id ready."
        $artifact = Join-Path $agent.Artifacts 'rollback-point-Production'
        @(Get-ChildItem $artifact -Recurse -File).Count | Should -BeGreaterThan 0
        @(Get-ChildItem $artifact -Recurse -File -Include '*.db', '*.bak') | Should -BeNullOrEmpty
        (Get-OsRollbackPoint -Id $id -CatalogPath (Join-Path $dir 'catalog')).Environment | Should -Be 'Production'
    }

    It 'the rollback pipeline plans, publishes the plan and its digest, and rolls back on the approved Environment' {
        $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
        Get-Running | Should -Be '1.2.0'
        $agent = New-Agent 'rollback'
        $parameters = @{ reason = 'INC-42 Orders 1.2.0 breaks checkout'; strategy = 'Database'; allowDataLoss = $true }
        $run = @(Invoke-AgentPipeline (Read-PipelineYaml (Join-Path $examples 'rollback-pipeline.yml') $parameters) $examples $agent)
        $run.Stage | Should -Be @('Plan', 'Rollback')
        $run.Steps | ForEach-Object { Assert-Step $_ }
        Assert-AgentOutput $run.Steps

        $planStep = ($run | Where-Object Stage -EQ 'Plan').Steps | Where-Object Name -EQ 'Plan the rollback'
        $planStep.Output | Where-Object { $_ -like '##vso`[task.logissue type=warning;`]Data loss*' } | Should -Not -BeNullOrEmpty
        $plan = Join-Path $agent.Artifacts 'rollback-plan'
        @(Get-ChildItem $plan -File).Name | Sort-Object | Should -Be @('decision.html', 'plan.digest', 'plan.json', 'plan.md')
        $digest = $agent.Outputs['Plan.Plan.plan.PlanDigest']
        $digest | Should -Match '^[0-9a-f]{64}$'
        # The approved digest is the plan's PlanDigest (what Invoke-OsRollback checks), not a hash of the file.
        (Get-Content (Join-Path $plan 'plan.json') -Raw | ConvertFrom-Json).planDigest | Should -Be $digest
        (Get-FileHash (Join-Path $plan 'plan.json') -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Not -Be $digest
        (Get-Content (Join-Path $plan 'plan.digest') -Raw) | Should -Be "sha256:$digest"
        $planStep.Output | Should -Contain "##vso[task.uploadsummary]$(Join-Path $agent.Workspace 'a-Plan-Plan/rollback-plan/plan.md')"
        (Get-Content (Join-Path $plan 'plan.md') -Raw) | Should -Match $digest

        $deployment = $run | Where-Object Stage -EQ 'Rollback'
        $deployment.Deployment | Should -BeTrue
        $deployment.Environment | Should -Be 'outsystems-production-rollback'
        $invoke = $deployment.Steps | Where-Object Name -EQ 'Invoke-OsRollback'
        $invoke.Output | Where-Object { $_ -like '##vso`[task.uploadsummary`]*report.md' } | Should -Not -BeNullOrEmpty
        $invoke.Output | Where-Object { $_ -like '##vso`[task.setprogress*' } | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $agent.Artifacts 'rollback-report/report.md') | Should -BeTrue
        Get-Running | Should -Be '1.1.0'
    }

    It 'the rollback job refuses a plan edited or swapped after approval, and changes nothing' -ForEach @(
        @{ Case = 'edited by hand'; Expected = 'content was changed after it was made' }
        @{ Case = 'swapped for another valid plan'; Expected = 'not the approved' }
    ) {
        $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
        Get-Running | Should -Be '1.2.0'
        $agent = New-Agent "tampered-$($Case -replace '\W', '')"
        $other = Join-Path $agent.Workspace 'other-plan.json'
        if ($Case -like 'swapped*') {
            $point = Get-OsRollbackPoint -Environment Production -Latest -CatalogPath (Join-Path $dir 'catalog')
            $null = New-OsRollbackPlan -RollbackPoint $point -Reason 'not the approved one' -Strategy LifeTime -Connection $lt -CatalogPath (Join-Path $dir 'catalog') -WarningAction SilentlyContinue |
                Export-OsRollbackPlan -Path $other -Format Json -Force -Confirm:$false
        }
        # Between approval and execution, someone changes the downloaded plan.json.
        $tamper = if ($Case -like 'edited*') {
            "`$p = Join-Path `$env:PIPELINE_WORKSPACE 'rollback-plan/plan.json'; (Get-Content `$p -Raw) -replace 'INC-43', 'INC-43 and more' | Set-Content `$p"
        } else {
            "Copy-Item '$other' (Join-Path `$env:PIPELINE_WORKSPACE 'rollback-plan/plan.json') -Force"
        }
        $agent.StepFilter = { param($step, $script) if ($script -match 'ExpectedPlanDigest') { "$tamper`n$script" } }.GetNewClosure()
        $parameters = @{ reason = 'INC-43'; strategy = 'LifeTime' }
        $run = @(Invoke-AgentPipeline (Read-PipelineYaml (Join-Path $examples 'rollback-pipeline.yml') $parameters) $examples $agent)
        $failed = @(($run | Where-Object Stage -EQ 'Rollback').Steps | Where-Object ExitCode -NE 0)
        $failed | Should -Not -BeNullOrEmpty
        ($failed.Output -join "`n") | Should -Match 'PlanDigestMismatch|not the plan that was approved'
        ($failed.Output -join "`n") | Should -Match $Expected
        Get-Running | Should -Be '1.2.0'
    }

    It 'the plan stage takes a hostile reason as data: no code runs, the reason is kept whole, the digest is the plan''s' {
        $agent = New-Agent 'hostile'
        $reason = $hostileValues -join "`n"
        $document = Read-PipelineYaml (Join-Path $examples 'rollback-pipeline.yml') @{ reason = $reason; strategy = 'LifeTime'; rollbackPointId = " x'; Set-Content -Path `$env:INJECTION_MARKER -Value id; ' " }
        $document.stages = @($document.stages | Where-Object stage -EQ 'Plan')
        $run = @(Invoke-AgentPipeline $document $examples $agent)
        # The rollback point id is hostile too: it is looked up as an id (and not found), never run.
        ($run.Steps | Where-Object ExitCode -NE 0).Output -join "`n" | Should -Match "No rollback point 'x'(;|%3B) Set-Content" -Because 'the hostile id is looked up as an id'
        Test-Path $agent.Variables.INJECTION_MARKER | Should -BeFalse

        $agent = New-Agent 'honest'
        $document = Read-PipelineYaml (Join-Path $examples 'rollback-pipeline.yml') @{ reason = $reason; strategy = 'LifeTime' }
        $document.stages = @($document.stages | Where-Object stage -EQ 'Plan')
        $run = @(Invoke-AgentPipeline $document $examples $agent)
        $run.Steps | ForEach-Object { Assert-Step $_ }
        Assert-AgentOutput $run.Steps
        Test-Path $agent.Variables.INJECTION_MARKER | Should -BeFalse -Because 'no part of the reason ran as code'
        $plan = Get-Content (Join-Path $agent.Artifacts 'rollback-plan/plan.json') -Raw | ConvertFrom-Json
        $plan.reason | Should -BeExactly $reason
        $plan.reason | Should -Match "customer's orders fail"
        $agent.Outputs['Plan.Plan.plan.PlanDigest'] | Should -Be $plan.planDigest -Because 'a ##vso command in the reason sets no output variable'
    }

    It 'a command after the first in a step still reports progress, and -WarningAction SilentlyContinue silences its logissue' {
        $agent = New-Agent 'progress'
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module OsRollback
$lt = Connect-OsLifeTime -Uri $env:LIFETIMEURL -TokenEnvironmentVariable LIFETIME_TOKEN
$point = New-OsRollbackPoint -Environment Production -Connection $lt -SqlitePath $env:SQLITEPATH -SkipSolutionPackage -Confirm:$false
$backups = New-Item -ItemType Directory -Force (Join-Path $env:BUILD_ARTIFACTSTAGINGDIRECTORY 'backups')
$null = Backup-OsDatabase -SqlitePath $env:SQLITEPATH -Path $backups
$null = New-OsRollbackPlan -RollbackPoint $point -Reason 'silenced' -Strategy Database -AllowDataLoss -Connection $lt -WarningAction SilentlyContinue
Write-Host 'silenced-plan-done'
$null = New-OsRollbackPlan -RollbackPoint $point -Reason 'loud' -Strategy Database -AllowDataLoss -Connection $lt
'@
        $step = @{ task = 'PowerShell@2'; displayName = 'two commands'; inputs = @{ pwsh = 'true'; targetType = 'inline'; script = $script }; env = @{ LIFETIME_TOKEN = '$(LifeTimeToken)'; OSROLLBACK_HOME = (Join-Path $agent.Workspace 'own-catalog') } }
        $result = @(Invoke-AgentJob @($step) 'Progress' 'Job' $agent.Variables $agent)[0]
        Assert-Step $result
        Assert-AgentOutput @($result)
        $activities = @(Get-StepProgress $result)
        $point = $activities | Where-Object Name -EQ 'New-OsRollbackPoint'
        $values = @($point.Group.Value)
        $values | Should -Contain 65 -Because "the point's own steps after its backup reach the pipeline (was 10 -> 100: $($values -join ','))"
        $values[-1] | Should -Be 100
        $later = @($activities | Where-Object Name -NE 'New-OsRollbackPoint')
        $later | Should -Not -BeNullOrEmpty -Because 'Backup-OsDatabase, the second command of the step, reports progress too'
        ($later.Group.Value) | Should -Contain 100
        $split = [array]::IndexOf($result.Output, 'silenced-plan-done')
        $split | Should -BeGreaterThan 0
        $before = @($result.Output[0..$split] | Where-Object { $_ -like '##vso`[task.logissue type=warning;`]Data loss*' })
        $after = @($result.Output[$split..($result.Output.Count - 1)] | Where-Object { $_ -like '##vso`[task.logissue type=warning;`]Data loss*' })
        $before | Should -BeNullOrEmpty -Because '-WarningAction SilentlyContinue silences the logissue copy'
        $after | Should -Not -BeNullOrEmpty
    }

    It 'Invoke-OsRollback -ReportPath that is a file is ReportPathIsFile before anything runs' {
        $file = Join-Path $dir 'report-is-a-file'
        Set-Content $file 'x'
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan (Join-Path $dir 'no-plan.json') -ReportPath (Join-Path $file 'reports') -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'ReportPathIsFile,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.ErrorDetails.RecommendedAction | Should -Match 'folder'
        Get-Content $file | Should -Be 'x'
    }

    It 'a rollback that fails still publishes its report, and the error names it' {
        $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
        $agent = New-Agent 'failing'
        # The operator's smoke check fails after the deploy: the run stops with SmokeTestFailed.
        $agent.StepFilter = { param($step, $script) if ($script -match 'Invoke-OsRollback @run') { $script -replace '(?m)^(\s*)try \{', ('$1$run.SmokeScript = { $false }' + "`n" + '$0') } }
        $run = @(Invoke-AgentPipeline (Read-PipelineYaml (Join-Path $examples 'rollback-pipeline.yml') @{ reason = 'INC-44'; strategy = 'LifeTime' }) $examples $agent)
        $run.Stage | Should -Be @('Plan', 'Rollback')
        $steps = ($run | Where-Object Stage -EQ 'Rollback').Steps
        $invoke = $steps | Where-Object Name -EQ 'Invoke-OsRollback'
        $invoke.ExitCode | Should -Not -Be 0
        ($invoke.Output -join "`n") | Should -Match 'SmokeTestFailed|smoke'
        $published = $steps | Where-Object { $_.Kind -eq 'publish' -and $_.Name -eq 'rollback-report' }
        $published.ExitCode | Should -Be 0 -Because 'the report is published whatever happened (condition: succeededOrFailed())'
        $report = Join-Path $agent.Artifacts 'rollback-report/report.md'
        Test-Path $report | Should -BeTrue
        (Get-Content $report -Raw) | Should -Match 'FAILED'
        Test-Path (Join-Path $agent.Artifacts 'rollback-report/report.json') | Should -BeTrue
        $invoke.Output | Where-Object { $_ -like 'Rollback failed; report: *report.md' } | Should -Not -BeNullOrEmpty -Because 'the ErrorRecord''s TargetObject carries the report path'
        $invoke.Output | Where-Object { $_ -like '##vso`[task.uploadsummary`]*report.md' } | Should -Not -BeNullOrEmpty
        Assert-AgentOutput $steps
    }

    It 'the install step upgrades an older OsRollback from the feed with a feed token, and names a token variable that is not defined' {
        $agent = New-Agent 'upgrade'
        $agent.ModuleRoot = Join-Path $agent.Workspace 'modules'
        $old = Join-Path $agent.ModuleRoot 'OsRollback'
        Copy-Item (Get-OsRollbackModulePath) $old -Recurse
        $manifest = Join-Path $old 'OsRollback.psd1'
        (Get-Content -Raw $manifest) -replace "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "`${1}'0.0.1'" | Set-Content $manifest
        $agent.Variables.FeedToken = 'feed-token-not-to-be-printed'
        $agent.Secrets += 'FeedToken'
        $check = @{ task = 'PowerShell@2'; displayName = 'which OsRollback'; inputs = @{ pwsh = 'true'; targetType = 'inline'; script = 'Import-Module OsRollback; "imported=$((Get-Module OsRollback).Version)"' } }
        $install = @(Resolve-Steps @(@{ template = 'templates/install-osrollback-steps.yml'; parameters = @{ feedToken = '$(FeedToken)' } }) $examples)
        $results = @(Invoke-AgentJob (@($install) + $check) 'Install' 'Job' $agent.Variables $agent)
        $results | ForEach-Object { Assert-Step $_ }
        $version = (Import-PowerShellDataFile (Join-Path (Get-OsRollbackModulePath) 'OsRollback.psd1')).ModuleVersion
        $results[0].Output | Should -Contain "OsRollback $version installed (upgraded from 0.0.1)."
        $results[1].Output | Should -Contain "imported=$version"
        ($results.Output -join "`n") | Should -Not -Match 'feed-token-not-to-be-printed'
        # The second run finds the upgraded module and installs nothing.
        $again = @(Invoke-AgentJob $install 'Install' 'Again' $agent.Variables $agent)
        $again[0].Output | Should -Contain "OsRollback $version is installed (the feed's newest is $version)."

        $undefined = @(Resolve-Steps @(@{ template = 'templates/install-osrollback-steps.yml'; parameters = @{ feedToken = '$(OsRollbackFeedPat)' } }) $examples)
        $failed = @(Invoke-AgentJob $undefined 'Install' 'Undefined' $agent.Variables $agent)
        $failed[0].ExitCode | Should -Not -Be 0
        ($failed[0].Output -join "`n") | Should -Match 'feedToken is \$\(OsRollbackFeedPat\), a variable this pipeline does not'
    }

    It 'the pre-deploy backup template backs up with integrated authentication, never as the literal $(OSROLLBACK_SQL_USER), and refuses a missing folder' {
        $agent = New-Agent 'predeploy-backup'
        $backups = (New-Item -ItemType Directory -Force (Join-Path $agent.Workspace 'backups')).FullName
        $template = Join-Path $repo 'examples/scheduled-backup/azure-pipelines-predeploy-backup.yml'
        $steps = @(Resolve-Steps (Read-PipelineYaml $template @{ sqlitePath = $sandbox.PlatformDatabase; backupPath = $backups; keepLast = 2 }).steps (Split-Path $template))
        $results = @(Invoke-AgentJob $steps 'Backup' 'Job' $agent.Variables $agent)
        $results | ForEach-Object { Assert-Step $_ }
        Assert-AgentOutput $results
        $agent.Outputs['Backup.Job.predeploy.PreDeployBackupFile'] | Should -BeLike (Join-Path $backups '*')
        Test-Path $agent.Outputs['Backup.Job.predeploy.PreDeployBackupFile'] | Should -BeTrue

        $typo = Join-Path $agent.Workspace 'bakcups'
        $steps = @(Resolve-Steps (Read-PipelineYaml $template @{ sqlitePath = $sandbox.PlatformDatabase; backupPath = $typo }).steps (Split-Path $template))
        $results = @(Invoke-AgentJob $steps 'Backup' 'Typo' $agent.Variables $agent)
        $results[-1].ExitCode | Should -Not -Be 0
        ($results[-1].Output -join "`n") | Should -Match 'BackupPathNotFound|does not exist'
        Test-Path $typo | Should -BeFalse

        # A SQL login with OSROLLBACK_SQL_USER undefined: refused by name before any connection.
        $steps = @(Resolve-Steps (Read-PipelineYaml $template @{ authentication = 'SqlLogin'; sqlInstance = '127.0.0.1,1'; backupPath = $backups }).steps (Split-Path $template))
        $results = @(Invoke-AgentJob $steps 'Backup' 'Login' $agent.Variables $agent)
        $results[-1].ExitCode | Should -Not -Be 0
        ($results[-1].Output -join "`n") | Should -Match 'needs the pipeline variable OSROLLBACK_SQL_USER'
    }
}
