# Rolling forward on the sandbox: Orders 1.2.0 writes DISC-ERR into OSUSR_ORD_ORDER.DISCOUNT_CODE
# (a column 1.2.0 added); a LifeTime rollback brings 1.1.0 back with users writing; the readiness
# report names what was left; the repair is rehearsed on a copy, then run on production.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $ProgressPreference = 'SilentlyContinue'
    $dir = New-TestDirectory
    $catalog = Join-Path $dir 'catalog'
    Import-Module (Join-Path $PSScriptRoot 'RollForwardScenario.psm1') -Force
    # The bad deploy writes DISC-ERR; the LifeTime rollback; users keep writing after it.
    $story = Start-RolledBackOrders -Directory $dir -Catalog $catalog
    $sandbox = $story.Sandbox; $lt = $story.LifeTime; $db = $story.Database; $rp = $story.RollbackPoint
    $previous = $story.Previous; $bad = $story.Bad; $run = $story.Run

    function Send-Traffic([int] $Rows) { & $story.Traffic $Rows }
    # Every differing application row between two SQLite files, as 'TABLE|KEY' strings.
    function Get-ChangedKeys([string] $From, [string] $To) {
        @(Compare-OsDatabaseData -SqlitePath $From -ReferenceSqlitePath $To -Table OSUSR_* -Detailed -WarningAction SilentlyContinue |
            Where-Object { $null -ne $_.PSObject.Properties['Kind'] } | ForEach-Object { "$($_.Table)|$($_.Key)" })
    }
    function New-RepairFile([string] $Name, [string] $Sql) {
        $path = Join-Path $dir $Name
        Set-Content -Path $path -Value $Sql
        $path
    }
    function Snapshot([string] $Name) {
        $path = Join-Path $dir $Name
        Copy-Item $db $path -Force
        $path
    }


    $fix = New-RepairFile 'fix-discount.sql' "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE DISCOUNT_CODE = 'DISC-ERR';"
    $check = New-RepairFile 'check-discount.sql' "SELECT ID, DISCOUNT_CODE FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR';"
    $badRows = @(Invoke-OsDataRepair -SqlitePath $db -Script $fix -Check $check -Rehearse -ParallelSqlitePath (Snapshot 'probe.db') -CatalogPath (Join-Path $dir 'probe-catalog') -Confirm:$false).Statements[0].RowsChanged
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
}

Describe 'Rolling forward after a LifeTime rollback of Orders 1.2.0' -Tag 'RollForward' {
    It 'the rollback succeeded and 1.2.0 wrote DISC-ERR rows' {
        $run.Status | Should -Be 'Succeeded'
        $badRows | Should -BeGreaterThan 1
    }

    It 'the readiness report names 1.2.0 as the base and DISCOUNT_CODE with its rows' {
        $report = Test-OsRollForward -RollbackPoint $rp -SqlitePath $db -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        $orders = @($report.Base | Where-Object Application -EQ 'Orders')
        $orders | Should -HaveCount 1
        $orders[0].Version | Should -Be '1.2.0'
        $orders[0].VersionKey | Should -Be $bad.Key
        $orders[0].RolledBackTo | Should -Be '1.1.0'
        $column = @($report.LeftBehind | Where-Object { $_.Table -eq 'OSUSR_ORD_ORDER' -and $_.Column -eq 'DISCOUNT_CODE' })
        $column | Should -HaveCount 1
        $column[0].RowsWithData | Should -BeGreaterOrEqual $badRows
        @($report.Changes | Where-Object Table -EQ 'OSUSR_ORD_ORDER').Count | Should -Be 1
        ($report.Changes | Where-Object Table -EQ 'OSUSR_ORD_ORDER').Inserted | Should -BeGreaterThan 0
        $markdown = Test-OsRollForward -RollbackPoint $rp -SqlitePath $db -Connection $lt -CatalogPath $catalog -AsMarkdown -WarningAction SilentlyContinue
        $markdown | Should -Match '\| OSUSR_ORD_ORDER \| DISCOUNT_CODE \|'
        $markdown | Should -Match '\| Orders \| 1\.2\.0 \|'
    }

    It 'a fix version older than the rolled-back one is reported as not newer' {
        $check = $previous | Test-OsRollForward -RollbackPoint $rp -SqlitePath $db -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue | ForEach-Object Fixes
        $check.IsNewer | Should -BeFalse
        $check.CreatedAfter | Should -BeFalse
        $check.DefinesLeftovers | Should -Be 'Unknown'
        $check.Reason | Should -Match 'not newer'
    }

    It 'a rehearsal leaves the application tables of production unchanged' {
        $before = Snapshot 'before-rehearsal.db'
        $rehearsal = Invoke-OsDataRepair -SqlitePath $db -Script $fix -Check $check -Rehearse -CatalogPath $catalog -RollbackPoint $rp -Confirm:$false
        $rehearsal.ChecksPassed | Should -BeTrue
        $rehearsal.Statements[0].RowsChanged | Should -Be $badRows
        Get-ChangedKeys $before $db | Should -BeNullOrEmpty
    }

    It 'a repair whose check still finds rows changes nothing' {
        $partial = New-RepairFile 'fix-one.sql' "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = (SELECT MIN(ID) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR');"
        $before = Snapshot 'before-partial.db'
        $err = Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $db -Script $partial -Check $check -Force -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue }
        $err.FullyQualifiedErrorId | Should -BeLike 'RepairCheckFailed,*'
        Get-ChangedKeys $before $db | Should -BeNullOrEmpty
    }

    It 'a repair that writes OSSYS_ESPACE is refused before anything runs' {
        $platform = New-RepairFile 'fix-platform.sql' "UPDATE OSSYS_ESPACE SET IS_ACTIVE = 1 WHERE NAME = 'Orders_CS';"
        $before = Snapshot 'before-platform.db'
        $err = Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $db -Script $platform -Check $check -Force -CatalogPath $catalog -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -BeLike 'RepairNotApplicationTable,*'
        (Get-FileHash $before).Hash | Should -Be (Get-FileHash (Snapshot 'after-platform.db')).Hash
    }

    It 'the rehearsed repair leaves zero DISC-ERR rows and the same number of orders' {
        $before = Snapshot 'before-repair.db'
        $repair = Invoke-OsDataRepair -SqlitePath $db -Script $fix -Check $check -CatalogPath $catalog -RollbackPoint $rp -Confirm:$false
        $repair.Committed | Should -BeTrue
        $repair.Tables[0].RowsChanged | Should -Be $badRows
        $changed = Get-ChangedKeys $before $db
        $changed | Should -HaveCount $badRows
        $changed | ForEach-Object { $_ | Should -BeLike 'OSUSR_ORD_ORDER|*' }
        $after = Invoke-OsDataRepair -SqlitePath $db -Script $fix -Check $check -Rehearse -ParallelSqlitePath (Snapshot 'verify.db') -CatalogPath (Join-Path $dir 'verify-catalog') -Confirm:$false
        $after.Statements[0].RowsChanged | Should -Be 0
        (Compare-OsDatabaseData -SqlitePath $before -ReferenceSqlitePath $db -Table OSUSR_ORD_ORDER -WarningAction SilentlyContinue) | ForEach-Object {
            $_.Inserted | Should -Be 0
            $_.Deleted | Should -Be 0
        }
    }
}
