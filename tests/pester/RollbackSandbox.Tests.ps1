# Each rollback strategy end to end against the sandbox: the real adapters over LifeTime, Service
# Center, the platform database and the backup engine. Orders 1.2.0 is the sandbox's bad release.
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

    function Get-Running([string] $Application = 'Orders') {
        (Get-OsApplication -Name $Application -Environment Production -Connection $lt).Version
    }
    function Deploy-Bad {
        $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
        Get-Running | Should -Be '1.2.0'
    }
    function Get-SandboxState {
        $headers = @{ Authorization = 'Bearer ' + [System.Net.NetworkCredential]::new('', $sandbox.Token).Password }
        Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/state" -Headers $headers
    }

    # Quality holds the previous tag, as a LifeTime rollback needs.
    $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0 -Connection $lt
    $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $lt -Confirm:$false
    $rp = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $db -Connection $lt -CatalogPath $catalog -Confirm:$false
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
}

Describe 'Rollback against the sandbox' {
    It 'takes a complete, verifiable rollback point' {
        $rp.Applications | Should -Be 'Orders 1.1.0'
        $rp.HasSolutionPackage | Should -BeTrue
        $rp.ModuleCount | Should -BeGreaterThan 40
        (Test-OsRollbackPoint -RollbackPoint $rp -CatalogPath $catalog).Passed | Should -BeTrue
        Test-Path (Join-Path $rp.Path 'schema-snapshot.json') | Should -BeTrue
    }

    It 'a plan that rolls back the Field Service mobile app says from NativeHash that a new native build is needed' {
        Get-Running 'Field Service' | Should -Be '1.1.0'
        $point = New-OsRollbackPoint -Environment Production -Application 'Field Service' -SqlitePath $db -Connection $lt -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
        $newer = Get-OsApplicationVersion -Application 'Field Service' -Version 1.2.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $newer -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
        $plan = New-OsRollbackPlan -RollbackPoint $point -Reason 'INC-5 mobile' -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        $mobile = @($plan.Warnings | Where-Object { $_ -like 'Field Service is a mobile app*' })
        $mobile.Count | Should -Be 1
        # The sandbox's native shell changes with 1.2.0, so going back to 1.1.0 needs a new build.
        $mobile[0] | Should -Match 'another native shell \(NativeHash\) than 1\.2\.0: generate a new native build of 1\.1\.0'
        $mobile[0] | Should -Not -Match 'unknown'
    }

    It 'Invoke-OsRollback -WhatIf changes neither the sandbox nor the database' {
        Deploy-Bad
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'whatif' -Connection $lt -CatalogPath $catalog
        $before = Get-SandboxState | ConvertTo-Json -Depth 20 -Compress
        $hash = (Get-FileHash $db).Hash
        Invoke-OsRollback -Plan $plan -Connection $lt -CatalogPath $catalog -WhatIf
        # Request counters move with the state call itself; compare what runs and what was deployed.
        $after = Get-SandboxState
        ($after.environments | ConvertTo-Json -Depth 20 -Compress) | Should -Be (($before | ConvertFrom-Json).environments | ConvertTo-Json -Depth 20 -Compress)
        @($after.deployments).Count | Should -Be @(($before | ConvertFrom-Json).deployments).Count
        (Get-FileHash $db).Hash | Should -Be $hash
    }

    It 'a plan that rolls Orders back names its business processes with instances in flight before anything runs' {
        if ((Get-Running) -ne '1.2.0') { Deploy-Bad }
        $hash = (Get-FileHash $db).Hash
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-7 processes' -Connection $lt -CatalogPath $catalog -WarningVariable w -WarningAction SilentlyContinue
        $processes = @($plan.Warnings | Where-Object { $_ -like "Business process '*" })
        $processes | Should -HaveCount 2
        $processes -join "`n" | Should -Match "'OrderFulfilment' of module Orders_BL has 4 instance\(s\) in flight"
        $processes -join "`n" | Should -Match "'OrderApproval' of module Orders_BL has 2 instance\(s\) in flight"
        $processes -join "`n" | Should -Not -Match 'OrderArchive'
        @($w | Where-Object { "$_" -like "Business process '*" }) | Should -HaveCount 2
        (Get-FileHash $db).Hash | Should -Be $hash
        Get-Running | Should -Be '1.2.0'
    }

    It 'LifeTime strategy: redeploys the previous tag from Quality and the smoke test passes' {
        if ((Get-Running) -ne '1.2.0') { Deploy-Bad }
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-1 LifeTime' -Connection $lt -CatalogPath $catalog
        $plan.Strategy | Should -Be 'LifeTime'
        $plan.SourceEnvironment | Should -Be 'Quality'
        $result = Invoke-OsRollback -Plan $plan -Connection $lt -CatalogPath $catalog -Confirm:$false
        $result.Status | Should -Be 'Succeeded'
        Get-Running | Should -Be '1.1.0'
        (Test-OsSmoke -RollbackPoint $rp -CatalogPath $catalog -Attempts 1).Passed | Should -Not -Contain $false
    }

    It 'LifeTime strategy as OutSystems documents it: deploys the previous tag from Quality although Quality runs the newer one' {
        if ((Get-Running) -ne '1.2.0') { Deploy-Bad }
        $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Quality -Connection $lt -Confirm:$false
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-1b LifeTime' -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        $plan.Strategy | Should -Be 'LifeTime'
        $plan.SourceEnvironment | Should -Be 'Quality'
        $plan.Assessments[0].Reason | Should -Match 'nearest upstream environment'
        $result = Invoke-OsRollback -Plan $plan -Connection $lt -CatalogPath $catalog -Confirm:$false
        $result.Status | Should -Be 'Succeeded'
        Get-Running | Should -Be '1.1.0'
        # Quality back to the previous tag, as the other strategies' tests found it.
        $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $lt -Confirm:$false
    }

    It 'Solution strategy: publishes the captured package' {
        Deploy-Bad
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-2 Solution' -Strategy Solution -Connection $lt -CatalogPath $catalog
        $plan.Strategy | Should -Be 'Solution'
        $result = Invoke-OsRollback -Plan $plan -Connection $lt -CatalogPath $catalog -Confirm:$false
        $result.Status | Should -Be 'Succeeded'
        Get-Running | Should -Be '1.1.0'
    }

    It 'Module strategy: republishes the captured module versions wave by wave, producers first' {
        $all = New-OsRollbackPoint -Environment Production -SqlitePath $db -Connection $lt -CatalogPath $catalog -Confirm:$false
        Deploy-Bad
        { New-OsRollbackPlan -RollbackPoint $all -Reason 'INC-4 Module' -Strategy Module -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoStrategyPossible*'
        $plan = New-OsRollbackPlan -RollbackPoint $all -Reason 'INC-4 Module' -Strategy Module -AllowUnverifiedModuleVersionField -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        $waves = @($plan.Steps | Where-Object Kind -EQ 'PublishModuleWave')
        $waves.Count | Should -BeGreaterThan 1
        $waves[0].Modules.Name | Should -Contain 'Orders_CS'
        $result = Invoke-OsRollback -Plan $plan -Connection $lt -ServiceCenterConnection $sc -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Succeeded'
        Get-Running | Should -Be '1.1.0'
    }

    It 'Database strategy: restores the pre-deploy backup, keeps the lost rows in a parallel database, opens the firewall last' {
        Deploy-Bad
        $written = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/production/orders/api/traffic?rows=9"
        @($written.written).Count | Should -Be 9
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-3 Database' -Strategy Database -AllowDataLoss -Connection $lt -CatalogPath $catalog
        $plan.DataLoss | Should -BeTrue
        $hooks = [System.Collections.Generic.List[string]]::new()
        $result = Invoke-OsRollback -Plan $plan -SqlitePath $db -Connection $lt -ServiceCenterConnection $sc -CatalogPath $catalog `
            -OfflineScript { $hooks.Add('offline') } -OnlineScript { $hooks.Add('online') } -ProcedureScript $sandbox.ProcedureScript -Confirm:$false
        $result.Status | Should -Be 'Succeeded'
        $hooks | Should -Be @('offline', 'online')
        Get-Running | Should -Be '1.1.0'
        $parallel = $result.ParallelDatabase
        Test-Path $parallel | Should -BeTrue
        $diff = Compare-OsDatabaseData -SqlitePath $db -ReferenceSqlitePath $parallel -Table OSUSR_ORD_* -WarningAction SilentlyContinue
        ($diff | Measure-Object -Property Inserted -Sum).Sum | Should -BeGreaterThan 0
        # Timers were resumed to exactly their prior state; maintenance mode is off again.
        (Get-SandboxState).environments | Where-Object name -EQ 'Production' | ForEach-Object { $_.maintenanceMode | Should -BeFalse }
    }

    It 'Database strategy with a second catalog: both databases go back, the rows written since stay in the pre-rollback backups' {
        $intranet = Join-Path $dir 'intranet.db'
        Copy-Item $db $intranet
        $point = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $db -CatalogSqlitePath $intranet -LoggingDatabase (Join-Path $dir 'log.db') `
            -Connection $lt -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
        $point.Catalogs | Should -Be @((Resolve-Path $intranet).Path)
        (Test-OsRollbackPoint -RollbackPoint $point -CatalogPath $catalog).Checks.Name | Should -Contain "BackupVerify:$((Resolve-Path $intranet).Path)"
        if ((Get-Running) -ne '1.2.0') { Deploy-Bad }
        $null = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/production/orders/api/traffic?rows=5"
        Copy-Item $db $intranet -Force   # the catalog's users wrote too
        $plan = New-OsRollbackPlan -RollbackPoint $point -Reason 'INC-6 two catalogs' -Strategy Database -AllowDataLoss -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        @($plan.Steps | Where-Object Kind -EQ 'RestoreDatabase').Target | Should -Be @($db, (Resolve-Path $intranet).Path)
        $plan.Warnings | Should -Contain ($plan.Warnings | Where-Object { $_ -like 'Not touched:*log.db*' })
        $result = Invoke-OsRollback -Plan $plan -SqlitePath $db -Connection $lt -ServiceCenterConnection $sc -CatalogPath $catalog -ProcedureScript $sandbox.ProcedureScript -Confirm:$false -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Succeeded'
        $catalogBackup = Get-ChildItem (Split-Path $result.PreRollbackBackup) -Filter 'pre-rollback-catalog-1*' | Where-Object Extension -NE '.json' | Select-Object -First 1
        $lost = Compare-OsDatabaseData -SqlitePath $intranet -ReferenceSqlitePath $catalogBackup.FullName -Table OSUSR_ORD_* -WarningAction SilentlyContinue
        ($lost | Measure-Object -Property Inserted -Sum).Sum | Should -BeGreaterThan 0
    }

    It 'journals and reports hold no token or password' {
        $token = [System.Net.NetworkCredential]::new('', $sandbox.Token).Password
        $password = $sandbox.ServiceCenterCredential.GetNetworkCredential().Password
        foreach ($file in Get-ChildItem -Path $catalog -Recurse -File | Where-Object Extension -In '.json', '.jsonl', '.md') {
            $text = Get-Content -Raw $file.FullName
            $text | Should -Not -Match ([regex]::Escape($token)) -Because $file.FullName
            $text | Should -Not -Match ([regex]::Escape($password)) -Because $file.FullName
        }
    }
}
