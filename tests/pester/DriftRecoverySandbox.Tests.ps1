# The headline recovery on the sandbox: a Database rollback, users work again on the restored
# production (no identity reseed: their new rows take the lost rows' ids), then the DBA exports
# the lost changes (base = the run's rollback point, found in the catalog) and imports them.
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

    function Send-Traffic([int] $Rows) { $null = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/production/orders/api/traffic?rows=$Rows" }
    # Every differing row between two SQLite files, as 'TABLE|KEY' strings.
    function Get-ChangedKeys([string] $From, [string] $To) {
        @(Compare-OsDatabaseData -SqlitePath $From -ReferenceSqlitePath $To -Table OSUSR_* -Detailed -WarningAction SilentlyContinue |
            Where-Object { $null -ne $_.PSObject.Properties['Kind'] } | ForEach-Object { "$($_.Table)|$($_.Key)" })
    }

    $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0 -Connection $lt
    $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $lt -Confirm:$false
    $rp = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $db -Connection $lt -CatalogPath $catalog -Confirm:$false
    $base = $rp.FullPath($rp.Manifest.Backup.Path)

    # The bad deploy; users write; the Database rollback restores the backup and keeps the parallel database.
    $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
    $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
    Send-Traffic 30
    $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-10 Database' -Strategy Database -AllowDataLoss -Connection $lt -CatalogPath $catalog
    $run = Invoke-OsRollback -Plan $plan -SqlitePath $db -Connection $lt -ServiceCenterConnection $sc -CatalogPath $catalog -ProcedureScript $sandbox.ProcedureScript -Confirm:$false -WarningAction SilentlyContinue
    $parallel = $run.ParallelDatabase

    # Users work again after reopening.
    Send-Traffic 30
    $beforeImport = Join-Path $dir 'production-before-import.db'
    Copy-Item $db $beforeImport
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
}

Describe 'Three-way recovery after a Database rollback on the sandbox' {
    It 'the rollback succeeded and left lost changes and writes after reopening' {
        $run.Status | Should -Be 'Succeeded'
        (Get-ChangedKeys $base $parallel).Count | Should -BeGreaterThan 0
        (Get-ChangedKeys $base $beforeImport).Count | Should -BeGreaterThan 0
    }

    It 'keeps every write after reopening, applies every other lost change, and lists the rest as conflicts' {
        $lost = Get-ChangedKeys $base $parallel
        $writtenAfter = Get-ChangedKeys $base $beforeImport
        # No -RollbackPoint: the base is the rollback point of the newest finished Database run of this database.
        $delta = Export-OsDataDelta -SqlitePath $db -ReferenceSqlitePath $parallel -CatalogPath $catalog -Path (Join-Path $dir 'lost.jsonl') -WarningAction SilentlyContinue
        $delta.RollbackPointId | Should -Be $rp.Id
        $results = Import-OsDataDelta -SqlitePath $db -Path $delta.Path -IncludeDeletes -Confirm:$false -WarningAction SilentlyContinue
        $conflicts = @($results.Conflicts | ForEach-Object { "$($_.Table)|$($_.Key)" })

        $changedByImport = Get-ChangedKeys $beforeImport $db
        foreach ($key in $writtenAfter) { $changedByImport | Should -Not -Contain $key -Because "$key was written after reopening" }
        $stillDifferent = Get-ChangedKeys $db $parallel
        foreach ($key in $lost) {
            if ($conflicts -contains $key) { $changedByImport | Should -Not -Contain $key }
            else { $stillDifferent | Should -Not -Contain $key -Because "the lost change $key is neither applied nor a conflict" }
        }
        foreach ($key in $changedByImport) { $lost | Should -Contain $key }
        $changedByImport.Count | Should -BeGreaterThan 0 -Because 'lost changes of rows nobody touched after reopening come back'
        foreach ($c in $results.Conflicts) { ($null -ne $c.Theirs -or $null -ne $c.Base) | Should -BeTrue; $c.Applied | Should -BeFalse }
    }

    It 'without a base and without a Database run in the catalog the export is refused' {
        $e = Get-ErrorRecord { Export-OsDataDelta -SqlitePath $db -ReferenceSqlitePath $parallel -CatalogPath (Join-Path $dir 'empty-catalog') -Path (Join-Path $dir 'none.jsonl') }
        $e.FullyQualifiedErrorId | Should -BeLike 'DeltaBaseNotFound,*'
        Test-Path (Join-Path $dir 'none.jsonl') | Should -BeFalse
    }

    It 'Get-OsSchemaDrift takes a rollback point Id, and refuses a tampered snapshot' {
        { Get-OsSchemaDrift -SqlitePath $db -RollbackPoint $rp.Id -CatalogPath $catalog -NoRowCount -ErrorAction Stop } | Should -Not -Throw
        Add-Content (Join-Path $rp.Path 'schema-snapshot.json') ' '
        $e = Get-ErrorRecord { Get-OsSchemaDrift -SqlitePath $db -RollbackPoint $rp.Id -CatalogPath $catalog }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointTampered,*'
        $e = Get-ErrorRecord { Get-OsSchemaDrift -SqlitePath $db -RollbackPoint $rp.Path }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointTampered,*'
    }
}
