# Invoke-OsRollForward on the sandbox: after a LifeTime rollback of Orders 1.2.0 with users
# writing, the runbook deploys Orders 1.2.1 and runs the rehearsed DISC-ERR repair, approved by
# the digest of its plan and resumable from its state file.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $ProgressPreference = 'SilentlyContinue'
    $dir = New-TestDirectory
    $catalog = Join-Path $dir 'catalog'
    Import-Module (Join-Path $PSScriptRoot 'RollForwardScenario.psm1') -Force
    $story = Start-RolledBackOrders -Directory $dir -Catalog $catalog
    $sandbox = $story.Sandbox; $lt = $story.LifeTime; $db = $story.Database; $rp = $story.RollbackPoint
    function Send-Traffic([int] $Rows) { & $story.Traffic $Rows }
    # Rows still DISC-ERR, counted by a rehearsal's check on a scratch copy of production (a copy
    # in which the script does nothing, so the check sees production's rows).
    function Get-DiscErrCount {
        $copy = Join-Path $dir ("count-" + [guid]::NewGuid().ToString('N') + '.db')
        Copy-Item $db $copy
        $result = Invoke-OsDataRepair -SqlitePath $db -Script $noop -Check $check -Rehearse -ParallelSqlitePath $copy -CatalogPath (Join-Path $dir 'count-catalog') -Confirm:$false
        $result.Checks[0].RowCount
    }


    $fix = Join-Path $dir 'fix-discount.sql'
    $check = Join-Path $dir 'check-discount.sql'
    $noop = Join-Path $dir 'noop.sql'
    Set-Content -Path $fix -Value "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE DISCOUNT_CODE = 'DISC-ERR';"
    Set-Content -Path $check -Value "SELECT ID, DISCOUNT_CODE FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR';"
    Set-Content -Path $noop -Value "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = DISCOUNT_CODE WHERE 1 = 0;"
    $null = Invoke-OsDataRepair -SqlitePath $db -Script $fix -Check $check -Rehearse -RollbackPoint $rp -CatalogPath $catalog -Confirm:$false

    $fixVersion = Get-OsApplicationVersion -Application Orders -Version 1.2.1 -Connection $lt
    $planPath = Join-Path $dir 'rf/roll-forward.json'
    $common = @{
        Environment = 'Production'; SourceEnvironment = 'Development'; FixVersion = $fixVersion; Script = $fix; Check = $check
        PlanPath = $planPath; RollbackPoint = $rp; SqlitePath = $db; Connection = $lt; CatalogPath = $catalog
    }
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
}

Describe 'Invoke-OsRollForward on the sandbox' -Tag 'RollForward' {
    It 'has help for every parameter' {
        $help = Get-Help Invoke-OsRollForward -Full
        $help.Synopsis | Should -Match 'Rolls an environment forward'
        foreach ($name in (Get-Command Invoke-OsRollForward).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin 'WhatIf', 'Confirm' }) {
            ($help.parameters.parameter | Where-Object name -EQ $name).description | Should -Not -BeNullOrEmpty -Because "-$name needs help"
        }
    }

    It '-WhatIf lists every step and changes nothing' {
        $before = Get-FileHash $db
        $badBefore = Get-DiscErrCount
        $out = Invoke-OsRollForward @common -WhatIf 6>&1 | Out-String
        foreach ($step in 'NewRollbackPoint', 'Deploy', 'SmokeTest', 'Repair', 'Checks') { $out | Should -Match $step }
        $out | Should -Match 'Orders 1\.2\.1'
        Test-Path $planPath | Should -BeFalse
        Test-Path "$planPath.state.json" | Should -BeFalse
        (Get-OsApplication -Name Orders -Environment Production -Connection $lt).Version | Should -Be '1.1.0'
        (Get-FileHash $db).Hash | Should -Be $before.Hash
        $badBefore | Should -BeGreaterThan 0
    }

    It 'a wrong plan digest is refused with an ErrorRecord and changes nothing' {
        $err = Get-ErrorRecord { Invoke-OsRollForward @common -ExpectedPlanDigest ('0' * 64) -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -BeLike 'RollForwardPlanDigestMismatch*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Test-Path $planPath | Should -BeFalse
        (Get-OsApplication -Name Orders -Environment Production -Connection $lt).Version | Should -Be '1.1.0'
    }

    It 'the approved run deploys 1.2.1, repairs, and leaves zero DISC-ERR rows; its plan file carries the digest' {
        $digest = (Invoke-OsRollForward @common -WhatIf 6>&1 | Out-String) -replace '(?s).*sha256:([0-9a-f]{64}).*', '$1'
        $digest | Should -Match '^[0-9a-f]{64}$'
        $report = Invoke-OsRollForward @common -ExpectedPlanDigest "sha256:$digest" -Confirm:$false
        $report.PlanDigest | Should -Be $digest
        $report.FinishedSteps | Should -Be @('NewRollbackPoint', 'Deploy', 'SmokeTest', 'Repair', 'Checks')
        $report.Repair.Committed | Should -BeTrue
        (Get-Content $planPath -Raw | ConvertFrom-Json).PlanDigest | Should -Be $digest
        (Get-Content $planPath -Raw | ConvertFrom-Json).Plan.RepairScript.Sha256 | Should -Be (Get-FileHash $fix).Hash.ToLowerInvariant()
        (Get-OsApplication -Name Orders -Environment Production -Connection $lt).Version | Should -Be '1.2.1'
        Send-Traffic 12
        Get-DiscErrCount | Should -Be 0
    }

    It 'a rerun after completion does nothing again' {
        $before = Get-FileHash $db
        $deployments = @(Get-OsDeployment -Connection $lt -ErrorAction SilentlyContinue).Count
        $report = Invoke-OsRollForward @common -Confirm:$false
        $report.Repair | Should -BeNullOrEmpty
        $report.Deployments | Should -BeNullOrEmpty
        (Get-FileHash $db).Hash | Should -Be $before.Hash
        @(Get-OsDeployment -Connection $lt -ErrorAction SilentlyContinue).Count | Should -Be $deployments
    }

    It 'a rerun after a kill resumes at the first unfinished step: no second deploy, the repair not applied twice' {
        # The state as a kill right after the smoke test leaves it.
        $state = Get-Content "$planPath.state.json" -Raw | ConvertFrom-Json
        $state.Finished = @('NewRollbackPoint', 'Deploy', 'SmokeTest')
        $state | ConvertTo-Json | Set-Content "$planPath.state.json"
        $deployments = @(Get-OsDeployment -Connection $lt -ErrorAction SilentlyContinue).Count
        $report = Invoke-OsRollForward @common -Confirm:$false
        $report.Deployments | Should -BeNullOrEmpty
        @(Get-OsDeployment -Connection $lt -ErrorAction SilentlyContinue).Count | Should -Be $deployments
        $report.Repair.AlreadyApplied | Should -BeTrue
        $report.FinishedSteps | Should -Be @('NewRollbackPoint', 'Deploy', 'SmokeTest', 'Repair', 'Checks')
        Get-DiscErrCount | Should -Be 0
    }

    It 'a changed repair script is refused against the approved digest' {
        $approved = (Get-Content $planPath -Raw | ConvertFrom-Json).PlanDigest
        Add-Content -Path $fix -Value '-- changed after approval'
        $err = Get-ErrorRecord { Invoke-OsRollForward @common -ExpectedPlanDigest $approved -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -BeLike 'RollForwardPlanDigestMismatch*'
    }
}
