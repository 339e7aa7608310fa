# Practice calibrates the plan: a Database drill on the sandbox's Quality environment is listed by
# Get-OsRollbackRun with the users' outage and step times, and the next Production plan's expected
# outage says it used that drill.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $ProgressPreference = 'SilentlyContinue'
    $dir = New-TestDirectory
    $catalog = Join-Path $dir 'catalog'
    $sandbox = Start-OsSandbox -DataDirectory (Join-Path $dir 'sandbox') -PaceMilliseconds 20 -Confirm:$false
    $lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
    # Quality's own Service Center: the drill must not republish Production's modules.
    $sc = Connect-OsServiceCenter -Uri "$($sandbox.Url)/quality" -Credential $sandbox.ServiceCenterCredential
    $qa = $sandbox.PlatformDatabases['Quality']

    function Publish-Orders([string] $Version, [string] $From, [string] $To) {
        $tag = Get-OsApplicationVersion -Application Orders -Version $Version -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $tag -SourceEnvironment $From -TargetEnvironment $To -Connection $lt -Confirm:$false
    }

    # The drill: Quality runs what Production runs, takes a rollback point, gets the bad release, and is rolled back by restore.
    Publish-Orders 1.1.0 Production Quality
    $drillPoint = New-OsRollbackPoint -Environment Quality -Application Orders -SqlitePath $qa -Connection $lt -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
    Publish-Orders 1.2.0 Development Quality
    $drillPlan = New-OsRollbackPlan -RollbackPoint $drillPoint -Reason 'drill: Database strategy on Quality' -Strategy Database -AllowDataLoss `
        -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
    $drill = Invoke-OsRollback -Plan $drillPlan -SqlitePath $qa -Connection $lt -ServiceCenterConnection $sc -CatalogPath $catalog `
        -ProcedureScript $sandbox.ProcedureScript -Confirm:$false -WarningAction SilentlyContinue
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
}

Describe 'Drills feed the next plan' -Tag 'Drills' {
    It 'the drill succeeded; before it, its plan was estimated from the default durations' {
        $drill.Status | Should -Be 'Succeeded'
        $chosen = @($drillPlan.Assessments | Where-Object Chosen)[0]
        $chosen.OutageBasis | Should -Match '^default durations'
        $chosen.ExpectedOutage | Should -BeGreaterThan ([timespan]::Zero)
    }

    It 'Get-OsRollbackRun lists the drill with the users'' outage and every step''s time' {
        $runs = @(Get-OsRollbackRun -CatalogPath $catalog)
        $runs | Should -HaveCount 1
        $run = $runs[0]
        $run.Id | Should -Be $drillPlan.Id
        $run.Environment | Should -Be 'Quality'
        "$($run.Strategy)" | Should -Be 'Database'
        "$($run.Status)" | Should -Be 'Succeeded'
        $run.IsDrill | Should -BeTrue
        $run.UsersOfflineAt | Should -Not -BeNullOrEmpty
        $run.UsersOnlineAt | Should -BeGreaterThan $run.UsersOfflineAt
        $run.UsersOutage | Should -Be ($run.UsersOnlineAt - $run.UsersOfflineAt)
        $run.DatabaseBytes | Should -BeGreaterThan 0
        $run.Steps | Should -HaveCount $drillPlan.Steps.Count
        $run.Steps.Status | Should -Not -Contain 'NotRun'
        @($run.Steps | Where-Object { $null -eq $_.Duration }) | Should -HaveCount 0
        ($run.Steps | Where-Object InUsersOutage | Select-Object -First 1).Kind | Should -Be 'MaintenanceOn'
        ($run.Steps | Where-Object InUsersOutage | Select-Object -Last 1).Kind | Should -Be 'FirewallOnline'
    }

    It 'filters by environment and strategy, and lists a rollback point''s runs piped from Get-OsRollbackPoint' {
        @(Get-OsRollbackRun -Environment Quality -Strategy Database -CatalogPath $catalog) | Should -HaveCount 1
        @(Get-OsRollbackRun -Environment Production -CatalogPath $catalog) | Should -HaveCount 0
        @(Get-OsRollbackRun -Strategy LifeTime -CatalogPath $catalog) | Should -HaveCount 0
        @(Get-OsRollbackPoint -CatalogPath $catalog -Environment Quality | Get-OsRollbackRun).Id | Should -Be $drillPlan.Id
    }

    It 'shows the run and its steps whole at 80 columns' {
        $run = Get-OsRollbackRun -CatalogPath $catalog
        $table = $run | Out-String -Width 80
        $table | Should -Match ("(?m)^{0}\s+\d{{4}}-\d\d-\d\d \d\d:\d\d\s+Quality\s+Database\s+yes\s+Succeeded\s+\d:\d\d:\d\d\s+\d:\d\d:\d\d" -f $run.ShortId)
        ($table -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
        $steps = $run.Steps | Out-String -Width 80
        $steps | Should -Match '(?m)^\s+1 VerifyRollbackPoint\s+Finished\s+1'
        ($steps -split '\r?\n' | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'the next Production plan''s expected outage says it used the drill, with the restore scaled' {
        $point = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $sandbox.PlatformDatabase -Connection $lt -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
        Publish-Orders 1.2.0 Development Production
        $plan = New-OsRollbackPlan -RollbackPoint $point -Reason 'INC-9 after the drill' -Strategy Database -AllowDataLoss -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        $chosen = @($plan.Assessments | Where-Object Chosen)[0]
        $short = $drillPlan.Id.Substring(0, 8)
        $chosen.OutageBasis | Should -Match ("^drill $short on Quality of \d{4}-\d\d-\d\d \d\d:\d\d UTC, restore scaled ×\d+\.\d\d for .+ vs .+$")
        $chosen.ExpectedOutage | Should -BeGreaterThan ([timespan]::Zero)
        ($plan | Out-String -Width 200) | Should -Match "ExpectedOutage\s+: about .+ \(drill $short on Quality"
        $md = Join-Path $dir 'plan.md'
        $plan | Export-OsRollbackPlan -Path $md -Format Markdown
        Get-Content -Raw $md | Should -Match "\| Users' expected outage \| about .+drill $short on Quality"
    }
}

Describe 'Get-OsRollbackRun bad input' -Tag 'Drills' {
    It 'a folder that does not exist is RollbackRunPathNotFound' {
        $missing = Join-Path $dir 'no-such-folder'
        $null = Get-OsRollbackRun -Path $missing -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'RollbackRunPathNotFound*'
        "$($e[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $e[0].Exception.Message | Should -Match 'no-such-folder'
    }

    It 'a folder that is no run, rollback point or catalog is RollbackRunPathInvalid' {
        $plain = Join-Path $dir 'plain'
        $null = New-Item -ItemType Directory $plain
        $null = Get-OsRollbackRun -Path $plain -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'RollbackRunPathInvalid*'
        "$($e[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
    }

    It 'a run whose plan.json is damaged is RollbackRunUnreadable, and the other runs are still listed' {
        $copy = Join-Path $dir 'copied-catalog'
        Copy-Item -Recurse $catalog $copy
        $runFolder = Get-ChildItem (Join-Path $copy 'rollback-points/*/runs/*') -Directory | Select-Object -First 1
        $broken = Join-Path $runFolder.Parent.FullName 'broken'
        Copy-Item -Recurse $runFolder.FullName $broken
        Set-Content (Join-Path $broken 'plan.json') '{ not json'
        $runs = @(Get-OsRollbackRun -CatalogPath $copy -ErrorVariable e -ErrorAction SilentlyContinue)
        $runs.Count | Should -BeGreaterThan 0
        @($e | Where-Object { $_.FullyQualifiedErrorId -like 'RollbackRunUnreadable*' }) | Should -HaveCount 1
    }

    It 'an unknown -Strategy is refused by its ValidateSet' {
        { Get-OsRollbackRun -Strategy Bogus -CatalogPath $catalog -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}
