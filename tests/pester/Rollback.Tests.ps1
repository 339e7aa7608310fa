# The rollback commands' surface: parameters, help, -WhatIf, bad input, the catalog, Test-OsSmoke
# over real HTTP and the runbooks. Strategies end to end run in xunit against recording fakes of
# the ports (tests/OsRollback.Engine.Tests/Rollback) and against the sandbox (RollbackSandbox.Tests.ps1).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    # Other test files connect; the "no connection" cases need the process-wide defaults cleared.
    Clear-OsDefaultConnection

    function Get-Sha256([string] $Path) { (Get-FileHash -Algorithm SHA256 -Path $Path).Hash.ToLowerInvariant() }

    # Writes a rollback point folder as New-OsRollbackPoint does (manifest, files, checksum file).
    function New-FixtureRollbackPoint([string] $Catalog, [string] $Environment = 'Production', [datetime] $CreatedAt = [datetime]::UtcNow, [string] $Id, [switch] $SqlServer) {
        if (-not $Id) { $Id = '{0}-{1:yyyyMMdd\THHmmss\Z}' -f $Environment, $CreatedAt }
        $folder = Join-Path $Catalog "rollback-points/$Id"
        $null = New-Item -ItemType Directory -Force (Join-Path $folder 'database')
        Set-Content (Join-Path $folder 'database/pre-deploy.bak') 'DB:pre-deploy' -NoNewline
        Set-Content (Join-Path $folder 'solution.osp') 'orders-v1' -NoNewline
        Set-Content (Join-Path $folder 'module-graph.json') '{ "formatVersion": 1, "modules": [ { "name": "Orders", "kind": "eSpace", "application": "Orders", "dependsOn": [] } ] }'
        Set-Content (Join-Path $folder 'schema-snapshot.json') '{"tables":[]}'
        $files = foreach ($f in @(@('Backup', 'database/pre-deploy.bak'), @('SolutionPackage', 'solution.osp'), @('ModuleGraph', 'module-graph.json'), @('SchemaSnapshot', 'schema-snapshot.json'))) {
            $full = Join-Path $folder $f[1]
            [ordered]@{ role = $f[0]; path = $f[1]; sizeBytes = (Get-Item $full).Length; sha256 = Get-Sha256 $full }
        }
        $database = if ($SqlServer) { [ordered]@{ engine = 'SqlServer'; displayName = 'sql01\outsystems'; sqlInstance = 'sql01'; database = 'outsystems' } }
        else { [ordered]@{ engine = 'Sqlite'; displayName = (Join-Path $Catalog 'production.db'); sqlitePath = (Join-Path $Catalog 'production.db') } }
        $manifest = [ordered]@{
            formatVersion = 1; id = $Id; environment = $Environment; createdAt = $CreatedAt.ToString('o'); createdBy = 'pester@test'
            requestedApplications = @(); database = $database
            backup = [ordered]@{ path = 'database/pre-deploy.bak'; takenAt = $CreatedAt.ToString('o'); verified = $true }
            applications = @([ordered]@{ key = 'app-orders'; name = 'Orders'; versionKey = 'orders-v1'; version = '1.0'; url = $null; modules = @([ordered]@{ key = 'mod-orders'; name = 'Orders'; kind = 'eSpace'; versionKey = 'o-1' }) })
            files = @($files); skipped = @{}; moduleCount = 1; schemaTableCount = 0
        }
        $manifestPath = Join-Path $folder 'rollback-point.json'
        $manifest | ConvertTo-Json -Depth 10 | Set-Content $manifestPath
        Set-Content (Join-Path $folder 'rollback-point.json.sha256') "$(Get-Sha256 $manifestPath)  rollback-point.json"
        $folder
    }

    # Writes a plan file as Export-OsRollbackPlan does, for a fixture rollback point (-Version1: as version 1 wrote it, without digest).
    function New-FixturePlan([string] $Folder, [string] $Strategy = 'LifeTime', [string] $Path, [switch] $Version1) {
        $manifest = Get-Content (Join-Path $Folder 'rollback-point.json') -Raw | ConvertFrom-Json
        $steps = switch ($Strategy) {
            'LifeTime' { @(@('VerifyRollbackPoint', $Folder), @('DeployVersions', 'Production'), @('VerifyVersions', 'Production'), @('SmokeTest', 'Production')) }
            'Database' { @(@('VerifyRollbackPoint', $Folder), @('MaintenanceOn', 'Production'), @('SuspendTimers', 'Production'), @('FirewallOffline', 'Production'), @('BackupCurrent', 'db'), @('RestoreDatabase', 'db'),
                    @('PublishModuleWave', 'Production'), @('MaintenanceOff', 'Production'), @('SmokeTest', 'Production'), @('FirewallOnline', 'Production'), @('ResumeTimers', 'Production'), @('RestoreParallel', 'db')) }
        }
        $n = 0
        $plan = [ordered]@{
            formatVersion = 1; id = [guid]::NewGuid().ToString('N'); createdAt = [datetime]::UtcNow.ToString('o'); createdBy = 'pester@test'
            reason = 'INC-1 test'; environment = $manifest.environment; rollbackPointId = $manifest.id; rollbackPointPath = $Folder
            rollbackPointSha256 = Get-Sha256 (Join-Path $Folder 'rollback-point.json'); strategy = $Strategy; dataLoss = ($Strategy -eq 'Database')
            sourceEnvironment = 'Quality'; assessments = @([ordered]@{ strategy = $Strategy; possible = $true; chosen = $true; reason = 'test' })
            changes = @([ordered]@{ name = 'Orders'; key = 'app-orders'; runningVersion = '2.0'; rollbackVersion = '1.0'; rollbackVersionKey = 'orders-v1' })
            warnings = @('a warning'); smokeTargets = @()
            steps = @($steps | ForEach-Object { $n++; [ordered]@{ number = $n; kind = $_[0]; title = "Do $($_[0])"; target = $_[1]; versionKeys = @('orders-v1'); modules = @() } })
        }
        $plan | ConvertTo-Json -Depth 10 | Set-Content $Path
        # Exported again: a format version 2 plan with its digest, as Invoke-OsRollback requires.
        if (-not $Version1) { $null = Export-OsRollbackPlan -Plan $Path -Path $Path -Format Json -Force -Confirm:$false }
        $Path
    }
}

Describe 'Rollback points' {
    BeforeEach {
        $catalog = New-TestDirectory
        $folder = New-FixtureRollbackPoint -Catalog $catalog
    }

    It 'Get-OsRollbackPoint lists the catalog given by -CatalogPath and by OSROLLBACK_HOME' {
        $null = New-FixtureRollbackPoint -Catalog $catalog -Environment Quality
        $all = Get-OsRollbackPoint -CatalogPath $catalog
        $all.Count | Should -Be 2
        (Get-OsRollbackPoint -CatalogPath $catalog -Environment production).Environment | Should -Be 'Production'
        $before = $env:OSROLLBACK_HOME
        try {
            $env:OSROLLBACK_HOME = $catalog
            (Get-OsRollbackPoint).Count | Should -Be 2
            (Get-OsRollbackPoint -Id 'Quality-*').Environment | Should -Be 'Quality'
        } finally { $env:OSROLLBACK_HOME = $before }
    }

    It 'an unknown Id is an error naming the catalog' {
        $e = Get-ErrorRecord { Get-OsRollbackPoint -CatalogPath $catalog -Id 'Production-19990101T000000Z' -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointNotFound,*'
        $e.Exception.Message | Should -Match ([regex]::Escape($catalog))
    }

    It 'Test-OsRollbackPoint -NoBackupVerify passes an intact rollback point' {
        $r = Get-OsRollbackPoint -CatalogPath $catalog | Test-OsRollbackPoint -CatalogPath $catalog -NoBackupVerify
        $r.Passed | Should -BeTrue
        $r.Checks.Count | Should -Be 5
    }

    It 'Test-OsRollbackPoint finds a missing backup and a changed package' {
        Remove-Item (Join-Path $folder 'database/pre-deploy.bak')
        Add-Content (Join-Path $folder 'solution.osp') 'x'
        $r = Test-OsRollbackPoint -RollbackPoint $folder -NoBackupVerify -WarningVariable w -WarningAction SilentlyContinue
        $r.Passed | Should -BeFalse
        ($r.Failures -join "`n") | Should -Match 'Backup: .*missing'
        ($r.Failures -join "`n") | Should -Match 'SolutionPackage: .*(bytes|changed)'
        $w.Count | Should -Be 2
    }

    It 'a tampered manifest is refused with a stable id' {
        $manifest = Join-Path $folder 'rollback-point.json'
        (Get-Content $manifest -Raw).Replace('orders-v1', 'orders-v9') | Set-Content $manifest
        $e = Get-ErrorRecord { Test-OsRollbackPoint -RollbackPoint $folder -NoBackupVerify -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointTampered,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'Test-OsRollbackPoint verifies the backup with the database engine: a file that is not a database fails' {
        $r = Test-OsRollbackPoint -RollbackPoint $folder -WarningAction SilentlyContinue
        $r.Passed | Should -BeFalse
        $r.BackupVerified | Should -BeFalse
        ($r.Failures -join "`n") | Should -Match 'Backup'
    }

    It 'Remove-OsRollbackPoint -KeepLast -WhatIf deletes nothing; without -WhatIf it keeps the newest' {
        $older = New-FixtureRollbackPoint -Catalog $catalog -CreatedAt ([datetime]::UtcNow.AddDays(-3))
        Remove-OsRollbackPoint -CatalogPath $catalog -KeepLast 1 -WhatIf
        Test-Path $older | Should -BeTrue
        Remove-OsRollbackPoint -CatalogPath $catalog -KeepLast 1 -Confirm:$false
        Test-Path $older | Should -BeFalse
        Test-Path $folder | Should -BeTrue
    }

    It 'Remove-OsRollbackPoint refuses a point with an unfinished run unless -Force' {
        $run = New-Item -ItemType Directory -Force (Join-Path $folder 'runs/abc')
        Set-Content (Join-Path $run 'journal.jsonl') '{"at":"2026-11-26T12:00:00Z","step":1,"kind":"DeployVersions","event":"started"}'
        $e = Get-ErrorRecord { Remove-OsRollbackPoint -RollbackPoint $folder -Confirm:$false -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointInUse,*'
        Test-Path $folder | Should -BeTrue
        Remove-OsRollbackPoint -RollbackPoint $folder -Force -Confirm:$false
        Test-Path $folder | Should -BeFalse
    }

    It 'Remove-OsRollbackPoint asks for a retention rule' {
        $e = Get-ErrorRecord { Remove-OsRollbackPoint -CatalogPath $catalog -Environment Production -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'RetentionRuleMissing,*'
    }

    It 'New-OsRollbackPoint -WhatIf writes nothing' {
        New-OsRollbackPoint -Environment Production -SqlitePath (Join-Path $catalog 'production.db') -CatalogPath $catalog -WhatIf
        @(Get-ChildItem (Join-Path $catalog 'rollback-points')).Count | Should -Be 1
    }

    It 'New-OsRollbackPoint without -Connection is PlatformNotConnected and writes nothing' {
        $e = Get-ErrorRecord { New-OsRollbackPoint -Environment Production -SqlitePath (Join-Path $catalog 'production.db') -CatalogPath $catalog -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'PlatformNotConnected,*'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Connect-OsLifeTime'
        @(Get-ChildItem (Join-Path $catalog 'rollback-points')).Count | Should -Be 1
    }

    It 'New-OsRollbackPoint without database parameters (for an Oracle platform database) -WhatIf writes nothing' {
        New-OsRollbackPoint -Environment Production -CatalogPath $catalog -WhatIf | Should -BeNullOrEmpty
        @(Get-ChildItem (Join-Path $catalog 'rollback-points')).Count | Should -Be 1
    }

    It 'New-OsRollbackPoint with -CatalogDatabase but no platform database is DatabaseParametersRequired and writes nothing' {
        $e = Get-ErrorRecord { New-OsRollbackPoint -Environment Production -CatalogDatabase intranet -CatalogPath $catalog -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseParametersRequired,*'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Oracle'
        @(Get-ChildItem (Join-Path $catalog 'rollback-points')).Count | Should -Be 1
    }

    It 'New-OsRollbackPoint takes the database parameters of Backup-OsDatabase' {
        $command = Get-Command New-OsRollbackPoint
        foreach ($name in 'Environment', 'Application', 'SqlInstance', 'Database', 'SqlCredential', 'SqlitePath', 'Connection', 'CatalogPath') {
            $command.Parameters.Keys | Should -Contain $name
        }
        $command.ParameterSets.Name | Should -Contain 'Sqlite'
        $command.ParameterSets.Name | Should -Contain 'SqlServer'
    }
}

Describe 'Plans' {
    BeforeEach {
        $catalog = New-TestDirectory
        $folder = New-FixtureRollbackPoint -Catalog $catalog
        $planFile = New-FixturePlan -Folder $folder -Path (Join-Path $catalog 'plan.json')
    }

    It 'New-OsRollbackPlan -Strategy Database without -AllowDataLoss is refused' {
        $e = Get-ErrorRecord { New-OsRollbackPlan -RollbackPoint $folder -Reason 'x' -Strategy Database }
        $e.FullyQualifiedErrorId | Should -BeLike 'DataLossNotAllowed,*'
        $e.ErrorDetails.RecommendedAction | Should -Match '-AllowDataLoss'
    }

    It 'New-OsRollbackPlan needs -Reason and a known strategy' {
        (Get-Command New-OsRollbackPlan).Parameters['Reason'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -BeTrue
        (Get-ErrorRecord { New-OsRollbackPlan -RollbackPoint $folder -Reason 'x' -Strategy Teleport }).FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
    }

    It 'New-OsRollbackPlan for an unknown rollback point is RollbackPointNotFound' {
        $e = Get-ErrorRecord { New-OsRollbackPlan -RollbackPoint 'Production-19990101T000000Z' -Reason 'x' -CatalogPath $catalog }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointNotFound,*'
    }

    It 'New-OsRollbackPlan without a connection is PlatformNotConnected' {
        $e = Get-ErrorRecord { New-OsRollbackPlan -RollbackPoint $folder -Reason 'x' }
        $e.FullyQualifiedErrorId | Should -BeLike 'PlatformNotConnected,*'
    }

    It 'Export-OsRollbackPlan round-trips JSON and writes Markdown' {
        $json = Export-OsRollbackPlan -Plan $planFile -Path (Join-Path $catalog 'again.json')
        $md = Export-OsRollbackPlan -Plan $planFile -Path (Join-Path $catalog 'plan.md')
        $a = Get-Content $planFile -Raw | ConvertFrom-Json
        $b = Get-Content $json.FullName -Raw | ConvertFrom-Json
        $b.id | Should -Be $a.id
        $b.steps.kind | Should -Be $a.steps.kind
        $b.rollbackPointSha256 | Should -Be $a.rollbackPointSha256
        $text = Get-Content $md.FullName -Raw
        $text | Should -Match '# Rollback plan: Production \(LifeTime\)'
        $text | Should -Match '\| 2 \| Do DeployVersions \| Production \|'
    }

    It 'Export-OsRollbackPlan refuses to overwrite without -Force and -WhatIf writes nothing' {
        $e = Get-ErrorRecord { Export-OsRollbackPlan -Plan $planFile -Path $planFile }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPlanFileExists,*'
        Export-OsRollbackPlan -Plan $planFile -Path (Join-Path $catalog 'x.md') -WhatIf
        Test-Path (Join-Path $catalog 'x.md') | Should -BeFalse
    }
}

Describe 'Invoke-OsRollback' {
    BeforeEach {
        $catalog = New-TestDirectory
        $folder = New-FixtureRollbackPoint -Catalog $catalog
        $planFile = New-FixturePlan -Folder $folder -Path (Join-Path $catalog 'plan.json')
        $dbPlanFile = New-FixturePlan -Folder $folder -Strategy Database -Path (Join-Path $catalog 'db-plan.json')
    }

    It 'has ConfirmImpact High and the names scripts rely on' {
        $command = Get-Command Invoke-OsRollback
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
        foreach ($name in 'Plan', 'Resume', 'Environment', 'OfflineScript', 'OnlineScript', 'SmokeScript', 'LockTimeoutSeconds', 'OutputScriptOnly', 'WhatIf', 'Confirm') {
            $command.Parameters.Keys | Should -Contain $name
        }
    }

    It '-WhatIf prints every step and changes nothing' {
        $before = @(Get-ChildItem -Recurse $catalog).Count
        # What-if lines go to the host, so run it in a child pwsh and read its output
        $child = Invoke-ChildPwsh "Import-Module '$(Get-OsRollbackModulePath)'; Invoke-OsRollback -Plan '$dbPlanFile' -CatalogPath '$catalog' -WhatIf"
        $whatIf = $child.Output -join "`n"
        $child.ExitCode | Should -Be 0
        foreach ($n in 1..12) { $whatIf | Should -Match "Step $n/12" }
        $whatIf | Should -Match 'RestoreParallel'
        @(Get-ChildItem -Recurse $catalog).Count | Should -Be $before
        Test-Path (Join-Path $folder 'runs') | Should -BeFalse
        Test-Path (Join-Path $catalog 'locks') | Should -BeFalse
    }

    It 'a plan without digest (format version 1, or a downgraded plan) is PlanNotApproved unless -AllowUnapprovedPlan names the risk' {
        $v1 = New-FixturePlan -Folder $folder -Strategy Database -Path (Join-Path $catalog 'v1-plan.json') -Version1
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $v1 -CatalogPath $catalog -WhatIf }
        $e.FullyQualifiedErrorId | Should -BeLike 'PlanNotApproved,*'
        $e.CategoryInfo.Category | Should -Be 'SecurityError'
        $e.ErrorDetails.RecommendedAction | Should -Match '-AllowUnapprovedPlan'
        Test-Path (Join-Path $folder 'runs') | Should -BeFalse
        # Readable and inspectable as before: -OutputScriptOnly lists it once the risk is named.
        $script = @(Invoke-OsRollback -Plan $v1 -CatalogPath $catalog -OutputScriptOnly -AllowUnapprovedPlan -WarningVariable w -WarningAction SilentlyContinue)
        ($script -join "`n") | Should -Match '-- Step 12/12 \('
        ($w -join "`n") | Should -Match 'carries no digest'
    }

    It '-OutputScriptOnly of a SQLite plan writes every step as a comment and changes nothing' {
        $before = @(Get-ChildItem -Recurse $catalog | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" })
        $script = @(Invoke-OsRollback -Plan $dbPlanFile -CatalogPath $catalog -OutputScriptOnly -WarningAction SilentlyContinue)
        $script | Should -BeOfType [string]
        $text = $script -join "`n"
        foreach ($n in 1..12) { $text | Should -Match "-- Step $n/12 \(" }
        $text | Should -Match 'SQLite: the database steps are file operations'
        @($text -split "`n" | Where-Object { $_ -notmatch '^--' }).Count | Should -Be 0
        @(Get-ChildItem -Recurse $catalog | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) | Should -Be $before
        Test-Path (Join-Path $folder 'runs') | Should -BeFalse
        Test-Path (Join-Path $catalog 'locks') | Should -BeFalse
    }

    It '-OutputScriptOnly of a SQL Server plan writes its T-SQL without connecting, and never the SQL password' {
        $sqlCatalog = New-TestDirectory
        $sqlFolder = New-FixtureRollbackPoint -Catalog $sqlCatalog -SqlServer
        $sqlPlan = New-FixturePlan -Folder $sqlFolder -Strategy Database -Path (Join-Path $sqlCatalog 'db-plan.json')
        $before = @(Get-ChildItem -Recurse $sqlCatalog | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" })
        $password = 'Pester-Secret-9f3c!'
        $credential = [pscredential]::new('sa', (ConvertTo-SecureString $password -AsPlainText -Force))
        # sql01 does not exist here: any connection attempt would fail the command.
        $script = @(Invoke-OsRollback -Plan $sqlPlan -CatalogPath $sqlCatalog -SqlInstance sql01 -Database outsystems -SqlCredential $credential -ConnectTimeout 1 `
                -OutputScriptOnly -Verbose -WarningAction SilentlyContinue 4>&1 3>&1)
        $text = ($script | ForEach-Object { "$_" }) -join "`n"
        $text | Should -Match 'BACKUP DATABASE \[outsystems\]'
        $text | Should -Match 'RESTORE DATABASE \[outsystems\]'
        $text | Should -Match '-- Step 2/12 \(MaintenanceOn\)'
        $text | Should -Not -Match ([regex]::Escape($password))
        @(Get-ChildItem -Recurse $sqlCatalog | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) | Should -Be $before
        Test-Path (Join-Path $sqlFolder 'runs') | Should -BeFalse
        Test-Path (Join-Path $sqlCatalog 'locks') | Should -BeFalse
    }

    It 'without a connection it is PlatformNotConnected, before any journal or lock' {
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $planFile -CatalogPath $catalog -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'PlatformNotConnected,*'
        Test-Path (Join-Path $folder 'runs') | Should -BeFalse
    }

    It 'a plan for another environment is refused' {
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $planFile -Environment Quality -CatalogPath $catalog -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'PlanEnvironmentMismatch,*'
        $e.Exception.Message | Should -Match "'Production', not 'Quality'"
    }

    It 'a rollback point changed after planning is refused' {
        $manifest = Join-Path $folder 'rollback-point.json'
        (Get-Content $manifest -Raw).Replace('pester@test', 'someone@else') | Set-Content $manifest
        Set-Content (Join-Path $folder 'rollback-point.json.sha256') "$(Get-Sha256 $manifest)  rollback-point.json"
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $planFile -CatalogPath $catalog -WhatIf }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointChanged,*'
    }

    It 'a tampered rollback point is refused' {
        $manifest = Join-Path $folder 'rollback-point.json'
        Add-Content $manifest ' '
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $planFile -CatalogPath $catalog -WhatIf }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointTampered,*'
    }

    It 'a missing backup file stops a Database plan before anything runs' {
        Remove-Item (Join-Path $folder 'database/pre-deploy.bak')
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $dbPlanFile -CatalogPath $catalog -WhatIf }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointFileMissing,*'
    }

    It 'a Database plan for another database is refused' {
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $dbPlanFile -SqlitePath (Join-Path $catalog 'other.db') -CatalogPath $catalog -WhatIf }
        $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseMismatch,*'
    }

    It 'an unknown or damaged plan file is a clear error' {
        (Get-ErrorRecord { Invoke-OsRollback -Plan (Join-Path $catalog 'none.json') -WhatIf }).FullyQualifiedErrorId | Should -BeLike 'RollbackPlanNotFound,*'
        Set-Content (Join-Path $catalog 'bad.json') '{ "formatVersion": 1, "id": '
        (Get-ErrorRecord { Invoke-OsRollback -Plan (Join-Path $catalog 'bad.json') -WhatIf }).FullyQualifiedErrorId | Should -BeLike 'RollbackPlanInvalid,*'
    }

    It 'a missing hook script is HookScriptNotFound' {
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $dbPlanFile -CatalogPath $catalog -OfflineScript (Join-Path $catalog 'nope.ps1') -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'HookScriptNotFound,*'
    }

    It 'plans and rollback points hold no password' {
        (Get-ChildItem -Recurse -File $catalog | Get-Content -Raw) -join "`n" | Should -Not -Match '(?i)password|bearer'
    }
}

Describe '-RollbackPoint arguments (RollbackPointTransformation)' {
    BeforeAll {
        $catalog = New-TestDirectory
        $id = 'Production-20260101T000000Z'
        $folder = New-FixtureRollbackPoint -Catalog $catalog -Id $id
    }

    It 'is a typed parameter with the transformation on every command that takes a rollback point' {
        foreach ($command in 'New-OsRollbackPlan', 'Test-OsRollbackPoint', 'Remove-OsRollbackPoint', 'Test-OsSmoke', 'Export-OsDataDelta') {
            $parameter = (Get-Command $command).Parameters['RollbackPoint']
            $parameter.ParameterType.Name | Should -BeIn 'RollbackPointReference', 'RollbackPointReference[]' -Because $command
            $parameter.Attributes.ForEach({ $_.GetType().Name }) | Should -Contain 'RollbackPointTransformationAttribute' -Because $command
        }
    }

    It 'accepts <Form>' -TestCases @(
        @{ Form = 'a RollbackPoint object'; Value = { Get-OsRollbackPoint -CatalogPath $catalog -Id $id } }
        @{ Form = 'an Id (looked up in -CatalogPath)'; Value = { $id } }
        @{ Form = 'a folder path'; Value = { $folder } }
        @{ Form = 'a relative folder path'; Value = { "./rollback-points/$id" } }
        @{ Form = 'a DirectoryInfo'; Value = { Get-Item $folder } }
        @{ Form = 'an object with a Path property'; Value = { [pscustomobject]@{ Path = $folder; Note = 'from a CSV' } } }
    ) {
        Push-Location $catalog
        try {
            $value = & $Value
            $r = Test-OsRollbackPoint -RollbackPoint $value -CatalogPath $catalog -NoBackupVerify
            $r.Id | Should -Be $id
            $r.Passed | Should -BeTrue
        } finally { Pop-Location }
    }

    It 'looks an Id up in the catalog of -CatalogPath, not the default one' {
        $empty = New-TestDirectory
        $e = Get-ErrorRecord { Test-OsRollbackPoint -RollbackPoint $id -CatalogPath $empty -NoBackupVerify -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointNotFound,*'
        $e.Exception.Message | Should -Match ([regex]::Escape($empty))
        $before = $env:OSROLLBACK_HOME
        try {
            $env:OSROLLBACK_HOME = $catalog
            (Test-OsRollbackPoint -RollbackPoint $id -NoBackupVerify).Id | Should -Be $id
        } finally { $env:OSROLLBACK_HOME = $before }
    }

    It 'refuses <Form> as RollbackPointNotFound with its recommended action' -TestCases @(
        @{ Form = 'a number'; Value = 42 }
        @{ Form = 'a hashtable'; Value = @{ Path = 'x' } }
        @{ Form = 'an object without a Path'; Value = [pscustomobject]@{ Name = 'Production' } }
    ) {
        $e = Get-ErrorRecord { New-OsRollbackPlan -RollbackPoint $Value -Reason 'refused' -CatalogPath $catalog }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointNotFound,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'does not accept'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Get-OsRollbackPoint'
        $e = Get-ErrorRecord { Test-OsRollbackPoint -RollbackPoint $Value -CatalogPath $catalog -NoBackupVerify -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointNotFound,*'
    }

    It 'Remove-OsRollbackPoint transforms each item: a refused one is an error, the others go on' {
        $errors = $null
        Remove-OsRollbackPoint -RollbackPoint 42, $id -CatalogPath $catalog -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RollbackPointNotFound,*'
        Test-Path $folder | Should -BeTrue
    }
}

Describe 'Invoke-OsRollback end to end on fake ports' {
    # Recording fakes of the platform and database ports, compiled against the built engine and
    # given to this runspace only through its composition root (OsRollbackServices.Use). The cmdlets' own firewall hooks
    # and smoke scripts are used, so hooks really run on the session thread.
    BeforeAll {
        $moduleDir = Get-OsRollbackModulePath
        $fakeSource = @'
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using OsRollback.Cmdlets;
using OsRollback.Engine.Data;
using OsRollback.Engine.Diagnostics;
using OsRollback.Engine.Database;
using OsRollback.Engine.Rollback.Ports;

public static class PesterFakes
{
    public static List<string> Calls = new List<string>();
    public static Dictionary<string, string> Orders = new Dictionary<string, string>();
    public static string DatabaseContent = "";
    private static OsRollbackServices Previous;

    public static void Install()
    {
        Calls.Clear();
        Orders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Development"] = "orders-v2", ["Quality"] = "orders-v1", ["Production"] = "orders-v2" };
        DatabaseContent = "DB:post-deploy";
        Previous = OsRollbackServices.For(Runspace.DefaultRunspace);
        OsRollbackServices.Use(Runspace.DefaultRunspace, Services());
    }

    public static OsRollbackServices Services() => new OsRollbackServices
    {
        PortFactory = request => new RollbackPorts
        {
            Platform = new Platform(), Database = new Database(), Firewall = request.Firewall, Smoke = request.Smoke, Procedure = request.Procedure,
            Schema = new Schema(), ModuleGraph = new Graph(), Identity = new Identity(),
        },
    };

    public static void Uninstall() { OsRollbackServices.Use(Runspace.DefaultRunspace, Previous); }

    private static RunningApplication App(string versionKey) => new RunningApplication("app-orders", "Orders", versionKey, versionKey == "orders-v1" ? "1.0" : "2.0",
        new[] { new RunningModule("mod-orders", "Orders", "eSpace", versionKey == "orders-v1" ? "o-1" : "o-2") });

    private sealed class Platform : IRollbackPlatform
    {
        public Task<IReadOnlyList<PlatformEnvironmentInfo>> GetEnvironmentsAsync(CancellationToken c) => Task.FromResult<IReadOnlyList<PlatformEnvironmentInfo>>(new[]
            { new PlatformEnvironmentInfo("d", "Development", 1), new PlatformEnvironmentInfo("q", "Quality", 2), new PlatformEnvironmentInfo("p", "Production", 3) });
        public Task<IReadOnlyList<RunningApplication>> GetRunningApplicationsAsync(string environment, CancellationToken c) => Task.FromResult<IReadOnlyList<RunningApplication>>(new[] { App(Orders[environment]) });
        public Task<string> DeployVersionsAsync(string source, string target, IReadOnlyList<string> keys, string notes, IOperationReporter r, CancellationToken c) { Calls.Add("Deploy " + source + "->" + target); Orders[target] = keys[0]; return Task.FromResult("dep-1"); }
        public Task DownloadSolutionPackageAsync(string environment, IReadOnlyList<string> keys, string path, IOperationReporter r, CancellationToken c) { File.WriteAllText(path, Orders[environment]); return Task.CompletedTask; }
        public Task PublishPackageAsync(string environment, string path, IOperationReporter r, CancellationToken c) { Calls.Add("PublishPackage"); Orders[environment] = File.ReadAllText(path); return Task.CompletedTask; }
        public Task PublishModulesAsync(string environment, IReadOnlyList<ModulePublishItem> modules, IOperationReporter r, CancellationToken c) { Calls.Add("PublishWave " + string.Join(",", modules.Select(m => m.Name))); return Task.CompletedTask; }
        public Task SetMaintenanceModeAsync(string environment, bool on, string reason, CancellationToken c) { Calls.Add("Maintenance " + (on ? "on" : "off")); return Task.CompletedTask; }
        public Task SetTimersSuspendedAsync(string environment, bool suspended, CancellationToken c) { Calls.Add("Timers " + (suspended ? "suspend" : "resume")); return Task.CompletedTask; }
    }

    private sealed class Schema : ISchemaSnapshotter
    {
        public Task<int> CaptureAsync(DatabaseTarget t, string path, IOperationReporter r, CancellationToken c) { Calls.Add("Schema"); File.WriteAllText(path, "{}"); return Task.FromResult(1); }
    }

    private sealed class Graph : IModuleGraphSource
    {
        public Task<IReadOnlyList<OsRollback.Engine.Modules.ModuleDefinition>> ReadAsync(DatabaseTarget t, IOperationReporter r, CancellationToken c) =>
            Task.FromResult<IReadOnlyList<OsRollback.Engine.Modules.ModuleDefinition>>(new[] { new OsRollback.Engine.Modules.ModuleDefinition("Orders", OsRollback.Engine.Modules.ModuleKind.eSpace, "Orders", new string[0]) });
    }

    private sealed class Database : IRollbackDatabase
    {
        public Task<BackupRecord> BackupAsync(DatabaseTarget t, string folder, string name, IOperationReporter r, CancellationToken c)
        {
            Calls.Add("Backup " + name); Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, name + ".bak"); File.WriteAllText(path, DatabaseContent);
            return Task.FromResult(new BackupRecord(path, DateTimeOffset.UtcNow, true, new FileInfo(path).Length));
        }
        public Task<bool> VerifyAsync(DatabaseTarget t, string path, IOperationReporter r, CancellationToken c) { Calls.Add("Verify"); return Task.FromResult(File.Exists(path)); }
        public Task RestoreAsync(DatabaseTarget t, string path, IOperationReporter r, CancellationToken c) { Calls.Add("Restore"); DatabaseContent = File.ReadAllText(path); return Task.CompletedTask; }
        public Task<string> RestoreAsParallelAsync(DatabaseTarget t, string path, string suffix, IOperationReporter r, CancellationToken c) { Calls.Add("RestoreParallel"); return Task.FromResult(t.DisplayName + "_" + suffix); }
    }

    private sealed class Identity : IIdentityReseeder
    {
        public Task<IReadOnlyList<IdentityHighWater>> ReadHighWaterAsync(DatabaseTarget t, IOperationReporter r, CancellationToken c) { Calls.Add("IdentityHighWater"); return Task.FromResult<IReadOnlyList<IdentityHighWater>>(new[] { new IdentityHighWater("OSUSR_ABC_ORDER", null, 42, true) }); }
        public Task<IdentityReseedReport> ReseedAsync(DatabaseTarget t, IReadOnlyList<IdentityHighWater> marks, IOperationReporter r, CancellationToken c) { Calls.Add("Reseed " + marks.Count); return Task.FromResult(new IdentityReseedReport(marks.Count, new string[0])); }
    }
}
'@
        $fakeFile = Join-Path (New-TestDirectory) 'PesterFakes.cs'
        Set-Content $fakeFile $fakeSource
        $references = @((Join-Path $moduleDir 'dependencies/OsRollback.Engine.dll'), (Join-Path $moduleDir 'OsRollback.Cmdlets.dll'), 'System.Linq', 'System.Collections', 'System.Runtime', 'System.Threading', 'System.Management.Automation')
        if (-not ('PesterFakes' -as [type])) { Add-Type -ReferencedAssemblies $references -Path $fakeFile -IgnoreWarnings -WarningAction SilentlyContinue }
    }
    BeforeEach {
        [PesterFakes]::Install()
        $catalog = New-TestDirectory
        $folder = New-FixtureRollbackPoint -Catalog $catalog
    }
    AfterEach { [PesterFakes]::Uninstall() }

    It 'plans LifeTime from the upstream environment and executes it, with a journal and reports' {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-1 orders broken' -CatalogPath $catalog -WarningAction SilentlyContinue
        $plan.Strategy.ToString() | Should -Be 'LifeTime'
        $plan.SourceEnvironment | Should -Be 'Quality'
        $verbose = Invoke-OsRollback -Plan $plan -CatalogPath $catalog -Confirm:$false -Verbose 4>&1
        $result = $verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $result.Status.ToString() | Should -Be 'Succeeded'
        [PesterFakes]::Calls | Should -Contain 'Deploy Quality->Production'
        [PesterFakes]::Orders['Production'] | Should -Be 'orders-v1'
        Test-Path $result.JournalPath | Should -BeTrue
        Get-Content $result.MarkdownReportPath -Raw | Should -Match 'Rollback of Production: succeeded'
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Step 2/4'
        Test-Path (Join-Path $catalog 'locks/production.lock') | Should -BeFalse
    }

    It 'two runspaces with different composition roots do not see each other''s fakes' {
        $fake = [runspacefactory]::CreateRunspace(); $fake.Open()
        $real = [runspacefactory]::CreateRunspace(); $real.Open()
        try {
            [OsRollback.Cmdlets.OsRollbackServices]::Use($fake, [PesterFakes]::Services())
            [OsRollback.Cmdlets.OsRollbackServices]::Use($real, [OsRollback.Cmdlets.OsRollbackServices]::new())
            $plan = {
                param($module, $folder, $catalog)
                Import-Module $module
                try { (New-OsRollbackPlan -RollbackPoint $folder -Reason 'runspaces' -CatalogPath $catalog -WarningAction SilentlyContinue).SourceEnvironment }
                catch { $_.FullyQualifiedErrorId }
            }
            $in = { param($runspace)
                $ps = [powershell]::Create(); $ps.Runspace = $runspace
                try { $ps.AddScript($plan).AddArgument($moduleDir).AddArgument($folder).AddArgument($catalog).Invoke() } finally { $ps.Dispose() } }
            & $in $fake | Should -Be 'Quality' -Because 'the fake platform of that runspace answered'
            & $in $real | Should -BeLike 'PlatformNotConnected,*' -Because 'the real factory of the other runspace has no connection'
            [OsRollback.Cmdlets.OsRollbackServices]::For($fake) | Should -Not -Be ([OsRollback.Cmdlets.OsRollbackServices]::For($real))
            (New-OsRollbackPlan -RollbackPoint $folder -Reason 'this runspace' -CatalogPath $catalog -WarningAction SilentlyContinue).SourceEnvironment | Should -Be 'Quality'
            [OsRollback.Cmdlets.OsRollbackServices]::Reset($real)
            [OsRollback.Cmdlets.OsRollbackServices]::For($real) | Should -Be ([OsRollback.Cmdlets.OsRollbackServices]::Default)
        }
        finally { $fake.Dispose(); $real.Dispose() }
    }

    It '-Plan accepts <Form>' -TestCases @(
        @{ Form = 'the plan object'; Kind = 'Object' }
        @{ Form = 'a plan file path'; Kind = 'Path' }
        @{ Form = 'a relative plan file path'; Kind = 'Relative' }
        @{ Form = 'a FileInfo'; Kind = 'FileInfo' }
        @{ Form = 'an object with a Path property'; Kind = 'Property' }
    ) {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-6 forms' -CatalogPath $catalog -WarningAction SilentlyContinue
        $file = $plan | Export-OsRollbackPlan -Path (Join-Path $catalog 'forms.json')
        $value = switch ($Kind) {
            'Object' { $plan } 'Path' { $file.FullName } 'Relative' { './forms.json' } 'FileInfo' { Get-Item $file.FullName } 'Property' { [pscustomobject]@{ Path = $file.FullName } }
        }
        Push-Location $catalog
        try {
            (Export-OsRollbackPlan -Plan $value -Path (Join-Path $catalog 'forms.md')).Name | Should -Be 'forms.md'
            Get-Content (Join-Path $catalog 'forms.md') -Raw | Should -Match $plan.Id
            $result = Invoke-OsRollback -Plan $value -CatalogPath $catalog -Confirm:$false
        } finally { Pop-Location }
        $result.PlanId | Should -Be $plan.Id
        $result.Status.ToString() | Should -Be 'Succeeded'
    }

    It '-Plan refuses <Form> as RollbackPlanInvalid' -TestCases @(
        @{ Form = 'a number'; Value = 42 }
        @{ Form = 'a rollback point'; Value = 'point' }
        @{ Form = 'an object without a Path'; Value = [pscustomobject]@{ Id = 'plan-1' } }
    ) {
        if ($Value -eq 'point') { $Value = Get-OsRollbackPoint -CatalogPath $catalog }
        foreach ($command in { Invoke-OsRollback -Plan $Value -CatalogPath $catalog -Confirm:$false }, { Export-OsRollbackPlan -Plan $Value -Path (Join-Path $catalog 'x.json') }) {
            $e = Get-ErrorRecord $command
            $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPlanInvalid,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.ErrorDetails.RecommendedAction | Should -Match 'New-OsRollbackPlan'
        }
        [PesterFakes]::Calls | Should -BeNullOrEmpty
    }

    It '-WhatIf (or $WhatIfPreference) lists every step and runs none; -Confirm:$false runs the plan' {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-5 what if' -CatalogPath $catalog -WarningAction SilentlyContinue
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $catalog 'whatif.json')).FullName
        Invoke-OsRollback -Plan $plan -CatalogPath $catalog -WhatIf | Should -BeNullOrEmpty
        & { $WhatIfPreference = $true; Invoke-OsRollback -Plan $plan -CatalogPath $catalog } | Should -BeNullOrEmpty
        [PesterFakes]::Calls | Should -BeNullOrEmpty
        [PesterFakes]::Orders['Production'] | Should -Be 'orders-v2'
        Test-Path (Join-Path $catalog 'locks/production.lock') | Should -BeFalse

        $child = Invoke-ChildPwsh @"
Import-Module '$moduleDir'
Add-Type -ReferencedAssemblies '$($references -join "','")' -Path '$fakeFile' -IgnoreWarnings -WarningAction SilentlyContinue
[PesterFakes]::Install()
Invoke-OsRollback -Plan '$planFile' -CatalogPath '$catalog' -WhatIf
"[PesterFakes]::Calls=" + [PesterFakes]::Calls.Count
"@
        $out = $child.Output -join "`n"
        $out | Should -Match 'What if: .*Execute the LifeTime rollback plan'
        foreach ($step in $plan.Steps) { $out | Should -Match ([regex]::Escape("Step $($step.Number)/$($plan.Steps.Count) ($($step.Kind))")) }
        $out | Should -Match '\[PesterFakes\]::Calls=0'

        $result = Invoke-OsRollback -Plan $plan -CatalogPath $catalog -Confirm:$false
        $result.Status.ToString() | Should -Be 'Succeeded'
        [PesterFakes]::Calls | Should -Contain 'Deploy Quality->Production'
    }

    It 'runs the database runbook: hooks on the session thread, a failed smoke test stops before the firewall opens, -Resume finishes' {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-2 data' -Strategy Database -AllowDataLoss -CatalogPath $catalog -WarningAction SilentlyContinue
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $catalog 'db.json')).FullName
        $script:hooks = [System.Collections.Generic.List[string]]::new()
        $online = Join-Path $catalog 'online.ps1'
        $onlineMarker = Join-Path $catalog 'online.txt'
        Set-Content $online "param(`$context) Set-Content '$onlineMarker' (`$context.Environment + ' ' + `$context.Phase)"
        $script:healthy = $false
        $script:procedure = [System.Collections.Generic.List[string]]::new()
        $invoke = @{ Plan = $planFile; CatalogPath = $catalog; Confirm = $false; WarningAction = 'SilentlyContinue'
            OfflineScript = { param($context) $script:hooks.Add("offline $($context.Environment)") }; OnlineScript = $online; SmokeScript = { $script:healthy }
            ProcedureScript = { param($context) $script:procedure.Add("$($context.Operation) $($context.Role)".Trim()) } }

        $e = Get-ErrorRecord { Invoke-OsRollback @invoke }
        $e.FullyQualifiedErrorId | Should -BeLike 'SmokeTestFailed,*'
        $e.ErrorDetails.RecommendedAction | Should -Match '-Resume'
        $script:hooks | Should -Be @('offline Production')
        $script:procedure | Should -Be @('StopServices', 'ConfigureServer DeploymentController', 'ConfigureServer FrontEnd', 'ApplyPendingSettings DeploymentController')
        Test-Path $onlineMarker | Should -BeFalse
        [PesterFakes]::Calls | Should -Not -Contain 'Timers resume'
        [PesterFakes]::DatabaseContent | Should -Be 'DB:pre-deploy'

        (Get-ErrorRecord { Invoke-OsRollback @invoke }).FullyQualifiedErrorId | Should -BeLike 'RollbackAlreadyStarted,*'

        $script:healthy = $true
        $result = Invoke-OsRollback @invoke -Resume
        $result.Status.ToString() | Should -Be 'Succeeded'
        $script:hooks | Should -Be @('offline Production')
        Get-Content $onlineMarker | Should -Be 'Production FirewallOnline'
        @([PesterFakes]::Calls | Where-Object { $_ -eq 'Restore' }).Count | Should -Be 1
        [PesterFakes]::Calls[-1] | Should -Be 'RestoreParallel'
        $result.ParallelDatabase | Should -Match '_OsRollback_'
        $text = (Get-ChildItem -Recurse -File $catalog | Get-Content -Raw) -join "`n"
        $text | Should -Not -Match '(?i)bearer|password='
    }

    It 'without a -ProcedureScript hook or servers the run stops with ManualStepRequired, and -Resume -ManualStepDone goes on from there' {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-8 by hand' -Strategy Database -AllowDataLoss -CatalogPath $catalog -WarningAction SilentlyContinue
        $plan.Warnings | Where-Object { $_ -like 'No application server was named*' } | Should -Not -BeNullOrEmpty
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $catalog 'manual.json')).FullName
        $invoke = @{ Plan = $planFile; CatalogPath = $catalog; Confirm = $false; WarningAction = 'SilentlyContinue' }
        $e = Get-ErrorRecord { Invoke-OsRollback @invoke }
        $e.FullyQualifiedErrorId | Should -BeLike 'ManualStepRequired,*'
        $e.CategoryInfo.Category | Should -Be 'OperationStopped'
        $e.Exception.Message | Should -Match 'Stop-OSServerServices'
        $e.ErrorDetails.RecommendedAction | Should -Match '-Resume -ManualStepDone'
        [PesterFakes]::Calls | Should -Not -Contain 'Restore'
        (Get-ErrorRecord { Invoke-OsRollback @invoke -ManualStepDone }).FullyQualifiedErrorId | Should -BeLike 'ManualStepDoneNeedsResume,*'
        $stops = 1
        do {
            $e = $null
            try { $result = Invoke-OsRollback @invoke -Resume -ManualStepDone -ErrorAction Stop } catch { $e = $_ }
            if ($e) { $e.FullyQualifiedErrorId | Should -BeLike 'ManualStepRequired,*'; $stops++ }
        } while ($e -and $stops -lt 10)
        $result.Status.ToString() | Should -Be 'Succeeded'
        $stops | Should -Be @($plan.Steps | Where-Object Kind -In 'StopServices', 'ConfigureServer', 'ApplyPendingSettings').Count
        [PesterFakes]::DatabaseContent | Should -Be 'DB:pre-deploy'
        $journal = Get-Content (Join-Path $folder "runs/$($plan.Id)/journal.jsonl") | ConvertFrom-Json
        @($journal | Where-Object { $_.outcome.how -eq 'Manual' }).Count | Should -Be $stops
    }

    It 'with servers named, the server steps go by PowerShell remoting in the documented order, and the credential is written nowhere' {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-9 remoting' -Strategy Database -AllowDataLoss -CatalogPath $catalog `
            -DeploymentController dc1 -FrontEnd fe1, fe2 -WarningAction SilentlyContinue
        $plan.Warnings | Where-Object { $_ -like 'No application server was named*' } | Should -BeNullOrEmpty
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $catalog 'remoting.json')).FullName
        $secret = 'Remoting-Secret-5521'
        $credential = [pscredential]::new('corp\\rollback', (ConvertTo-SecureString $secret -AsPlainText -Force))
        $global:remoteCalls = [System.Collections.Generic.List[string]]::new()
        # Stands in for the remoting cmdlet: the built-in default resolves Invoke-Command in the session.
        function global:Invoke-Command([string[]] $ComputerName, [pscredential] $Credential, [object[]] $ArgumentList, [scriptblock] $ScriptBlock, $ErrorAction) {
            $global:remoteCalls.Add("$($ArgumentList[0]) $ComputerName $($Credential.UserName) $($ScriptBlock -match 'Set-OSServerConfig -Apply -InstallServiceCenter')")
        }
        try {
            $result = Invoke-OsRollback -Plan $planFile -CatalogPath $catalog -ServerCredential $credential -Confirm:$false -WarningAction SilentlyContinue
        }
        finally { Remove-Item Function:\Invoke-Command }
        $result.Status.ToString() | Should -Be 'Succeeded'
        $global:remoteCalls | Should -Be @(
            'StopServices dc1 corp\\rollback True', 'StopServices fe1 corp\\rollback True', 'StopServices fe2 corp\\rollback True',
            'ConfigureServer dc1 corp\\rollback True', 'ConfigureServer fe1 corp\\rollback True', 'ConfigureServer fe2 corp\\rollback True',
            'ApplyPendingSettings dc1 corp\\rollback True')
        $text = (Get-ChildItem -Recurse -File $catalog | Get-Content -Raw) -join "`n"
        $text | Should -Not -Match $secret
    }

    It 'with $DebugPreference Continue in this non-interactive pwsh a step error stays the step error (no NullReferenceException)' {
        [Environment]::GetCommandLineArgs() | Should -Contain '-NonInteractive' -Because 'the Pester suite runs in a non-interactive pwsh'
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-4 debug' -Strategy Database -AllowDataLoss -CatalogPath $catalog -WarningAction SilentlyContinue
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $catalog 'debug.json')).FullName
        $DebugPreference = 'Continue'
        $hook = @{ Plan = $planFile; CatalogPath = $catalog; Confirm = $false; WarningAction = 'SilentlyContinue'; OfflineScript = { throw 'offline hook broke' } }
        $e = Get-ErrorRecord { Invoke-OsRollback @hook -Debug 5>$null }
        $e.Exception | Should -Not -BeOfType ([System.NullReferenceException])
        $e.FullyQualifiedErrorId | Should -Not -Match 'NullReference'
        $e.Exception.Message | Should -Match 'offline hook broke'

        $smoke = @{ Plan = $planFile; CatalogPath = $catalog; Confirm = $false; WarningAction = 'SilentlyContinue'; SmokeScript = { $false }; Resume = $true; ProcedureScript = { param($context) } }
        $e = Get-ErrorRecord { Invoke-OsRollback @smoke -Debug 5>$null }
        $e.FullyQualifiedErrorId | Should -BeLike 'SmokeTestFailed,*'
    }

    It 'a second rollback of the environment fails clearly while the first holds the lock' {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-3' -CatalogPath $catalog -WarningAction SilentlyContinue
        $null = New-Item -ItemType Directory -Force (Join-Path $catalog 'locks')
        @{ environment = 'Production'; planId = 'other-plan'; processId = $PID; host = [Environment]::MachineName; user = 'night-shift'; acquiredAt = [datetime]::UtcNow.ToString('o') } |
            ConvertTo-Json | Set-Content (Join-Path $catalog 'locks/production.lock')
        $e = Get-ErrorRecord { Invoke-OsRollback -Plan $plan -CatalogPath $catalog -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'EnvironmentLocked,*'
        $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $e.Exception.Message | Should -Match 'night-shift'
        $e.Exception.Message | Should -Match 'other-plan'
        [PesterFakes]::Calls | Should -BeNullOrEmpty
    }

    It 'Invoke-OsPreDeployCheckpoint takes, verifies and retains rollback points' {
        $home2 = New-TestDirectory
        $db = @{ SqlitePath = (Join-Path $home2 'production.db'); CatalogPath = $home2 }
        $first = Invoke-OsPreDeployCheckpoint -Environment Production -KeepLast 1 @db
        $first.Environment | Should -Be 'Production'
        $first.Applications | Should -Be 'Orders 2.0'
        $first.HasSolutionPackage | Should -BeTrue
        [PesterFakes]::Calls | Should -Contain 'Verify'
        (Test-OsRollbackPoint -RollbackPoint $first.Id -CatalogPath $home2).BackupVerified | Should -BeTrue
        $second = Invoke-OsPreDeployCheckpoint -Environment Production -KeepLast 1 @db
        (Get-OsRollbackPoint -CatalogPath $home2).Id | Should -Be $second.Id
        Get-Content (Join-Path $second.Path 'rollback-point.json') -Raw | Should -Not -Match '(?i)password|token'
    }

    It 'in Azure DevOps it writes progress, the summary upload and the failure as logging commands' {
        $plan = New-OsRollbackPlan -RollbackPoint $folder -Reason 'INC-4' -CatalogPath $catalog -WarningAction SilentlyContinue
        $planFile = ($plan | Export-OsRollbackPlan -Path (Join-Path $catalog 'p.json')).FullName
        $child = Invoke-ChildPwsh @"
`$env:TF_BUILD = 'True'
Import-Module '$moduleDir'
Add-Type -ReferencedAssemblies '$($references -join "','")' -Path '$fakeFile' -IgnoreWarnings -WarningAction SilentlyContinue
[PesterFakes]::Install()
Invoke-OsRollback -Plan '$planFile' -CatalogPath '$catalog' -Confirm:`$false | Out-Null
try { Invoke-OsRollback -Plan '$planFile' -CatalogPath '$catalog' -Confirm:`$false } catch { 'failed as expected' }
"@
        $out = $child.Output -join "`n"
        $out | Should -Match '##vso\[task.setprogress value=\d+;\]'
        $out | Should -Match '##vso\[task.uploadsummary\].*report\.md'
        $out | Should -Match '##vso\[task.logissue type=error;\]Plan .* was already executed'
        $out | Should -Match 'failed as expected'
    }
}

Describe 'Test-OsSmoke' {
    BeforeAll {
        $tcp = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $tcp.Start(); $port = $tcp.LocalEndpoint.Port; $tcp.Stop()
        $server = Start-ThreadJob -ArgumentList $port -ScriptBlock {
            param($port)
            $listener = [System.Net.HttpListener]::new(); $listener.Prefixes.Add("http://127.0.0.1:$port/"); $listener.Start()
            try {
                while ($true) {
                    $context = $listener.GetContext()
                    $path = $context.Request.Url.AbsolutePath
                    if ($path -eq '/stop') { $context.Response.Close(); break }
                    if ($path -eq '/slow/') { Start-Sleep -Seconds 3 }
                    $body = [Text.Encoding]::UTF8.GetBytes('<title>Orders 1.0</title>')
                    $context.Response.StatusCode = if ($path -in '/Orders/', '/slow/') { 200 } else { 500 }
                    try { $context.Response.OutputStream.Write($body, 0, $body.Length); $context.Response.Close() } catch { }
                }
            } finally { $listener.Stop() }
        }
        $base = "http://127.0.0.1:$port"
        # wait until it answers
        foreach ($i in 1..50) { try { $null = Invoke-WebRequest "$base/Orders/" -TimeoutSec 1; break } catch { Start-Sleep -Milliseconds 100 } }
    }
    AfterAll {
        try { $null = Invoke-WebRequest "$base/stop" -TimeoutSec 2 } catch { }
        $server | Wait-Job -Timeout 10 | Out-Null
        $server | Remove-Job -Force
    }

    It 'passes a healthy page and fails a broken one, with a warning' {
        $r = Test-OsSmoke -Url "$base/Orders/", "$base/Billing/" -WarningVariable w -WarningAction SilentlyContinue
        $r.Count | Should -Be 2
        $r[0].Passed | Should -BeTrue
        $r[0].StatusCode | Should -Be 200
        $r[1].Passed | Should -BeFalse
        $r[1].StatusCode | Should -Be 500
        ($w -join "`n") | Should -Match 'Billing'
    }

    It 'refuses what is not an http(s) address, naming it' {
        $e = Get-ErrorRecord { Test-OsSmoke -Url 'Production-20261126T120000Z' }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidSmokeUrl,*'
        $e.Exception.Message | Should -Match 'Production-20261126T120000Z'
    }

    It 'checks the content with -Expect' {
        (Test-OsSmoke -Url "$base/Orders/" -Expect 'Orders 1\.0').Passed | Should -BeTrue
        (Test-OsSmoke -Url "$base/Orders/" -Expect 'Orders 2\.0' -WarningAction SilentlyContinue).Passed | Should -BeFalse
    }

    It 'fails a page slower than -TimeoutSeconds' {
        $r = Test-OsSmoke -Url "$base/slow/" -TimeoutSeconds 1 -WarningAction SilentlyContinue
        $r.Passed | Should -BeFalse
        $r.Message | Should -Match 'no answer within 1 s'
    }

    It 'runs script blocks as checks, on the session thread' {
        $marker = 'seen'
        $r = Test-OsSmoke -Environment Production -Script { param($environment) $environment -eq 'Production' -and $marker -eq 'seen' }, { throw 'health API down' } -WarningAction SilentlyContinue
        $r[0].Passed | Should -BeTrue
        $r[1].Passed | Should -BeFalse
        $r[1].Message | Should -Be 'health API down'
    }

    It 'binds Url by property name' {
        $r = [pscustomobject]@{ Url = "$base/Orders/" } | Test-OsSmoke
        $r.Passed | Should -BeTrue
    }

    It 'asks for a check when none is given' {
        (Get-ErrorRecord { Test-OsSmoke }).FullyQualifiedErrorId | Should -BeLike 'NoSmokeChecks,*'
    }
}

Describe 'Runbooks' {
    BeforeDiscovery {
        $runbooks = 'Invoke-OsPreDeployCheckpoint', 'Invoke-OsLifeTimeRollback', 'Invoke-OsSolutionRollback', 'Invoke-OsModuleRollback', 'Invoke-OsDatabaseRestoreRollback', 'Invoke-OsRollForward' | ForEach-Object { @{ Name = $_ } }
    }

    It '<Name> is exported with help, examples and every parameter described' -ForEach $runbooks {
        $command = Get-Command $Name -Module OsRollback
        $command.CommandType | Should -Be 'Function'
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            ($help.Parameters.Parameter | Where-Object Name -EQ $parameter).Description.Text | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'the shared runbook core is not exported' {
        Get-Command Invoke-OsRunbookStrategy -Module OsRollback -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'a strategy runbook without a rollback point in the catalog says so' {
        $catalog = New-TestDirectory
        { Invoke-OsLifeTimeRollback -Environment Production -Reason 'x' -CatalogPath $catalog -Confirm:$false } | Should -Throw '*No rollback point of*'
    }

    It 'a strategy runbook plans with its own strategy (and reaches the platform port)' {
        $catalog = New-TestDirectory
        $null = New-FixtureRollbackPoint -Catalog $catalog
        $e = Get-ErrorRecord { Invoke-OsSolutionRollback -Environment Production -Reason 'x' -CatalogPath $catalog -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'PlatformNotConnected,*'
    }

    It 'Invoke-OsPreDeployCheckpoint -WhatIf writes nothing' {
        $catalog = New-TestDirectory
        Invoke-OsPreDeployCheckpoint -Environment Production -SqlitePath (Join-Path $catalog 'p.db') -CatalogPath $catalog -WhatIf
        Test-Path (Join-Path $catalog 'rollback-points') | Should -BeFalse
    }
}
