# The Azure DevOps templates (examples/azure-devops) run step by step against the sandbox, as an
# agent runs them: a pre-deploy checkpoint, then the rollback pipeline (plan -> approved rollback).
BeforeDiscovery {
    $root = Split-Path (Split-Path $PSScriptRoot)
    $script:yamlFiles = @(Get-ChildItem (Join-Path $root 'examples/azure-devops') -Recurse -Filter '*.yml' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
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
                SqlitePath = $sandbox.PlatformDatabase; ProcedureScript = $procedureHook; OsRollbackCatalog = (Join-Path $dir 'catalog'); OsRollbackFeed = (Join-Path $dir 'no-feed')
                'Build.BuildNumber' = '20261202.1'; 'Build.DefinitionName' = "pester-$Name"
            }
            Secrets     = @('LifeTimeToken', 'ServiceCenterPassword')
            Workspace   = $workspace
            Artifacts   = Join-Path $workspace 'artifacts'
            PwshCommand = @(& (Join-Path $repo 'tools/Get-PwshCommand.ps1'))
            ModuleRoot  = Split-Path (Get-OsRollbackModulePath)
            Outputs     = @{}
        }
    }
    function Get-Running { (Get-OsApplication -Name Orders -Environment Production -Connection $lt).Version }
    function Assert-Step($Step) { $Step.ExitCode | Should -Be 0 -Because "step '$($Step.Name)' printed:`n$($Step.Output -join "`n")" }
    function Assert-AgentOutput($Steps) {
        foreach ($step in $Steps) {
            $percents = @($step.Output | Where-Object { $_ -match '^##vso\[task\.setprogress value=(\d+);' } | ForEach-Object { [int]($_ -replace '^##vso\[task\.setprogress value=(\d+);.*$', '$1') })
            for ($i = 1; $i -lt $percents.Count; $i++) { $percents[$i] | Should -BeGreaterThan $percents[$i - 1] -Because "progress of '$($step.Name)' never goes backwards ($($percents -join ','))" }
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
        @(Get-ChildItem $plan -File).Name | Sort-Object | Should -Be @('plan.digest', 'plan.json', 'plan.md')
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
}
