# Invoke-OsDataRepair on a SQLite production left by a LifeTime rollback of Orders 1.2.0: the
# rolled-back version wrote DISC-ERR into OSUSR_ORD_ORDER.DISCOUNT_CODE; the repair clears it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    # The engine carries Microsoft.Data.Sqlite in its private load context: one call loads it for Invoke-Sqlite.
    $null = try { Compare-OsDatabaseData -SqlitePath (Join-Path ([IO.Path]::GetTempPath()) 'osr-none.db') -ReferenceSqlitePath (Join-Path ([IO.Path]::GetTempPath()) 'osr-none2.db') } catch { }

    function New-RepairScenario {
        $dir = New-TestDirectory
        $s = [pscustomobject]@{
            Dir = $dir; Production = Join-Path $dir 'production.db'; Catalog = Join-Path $dir 'catalog'
            Fix = Join-Path $dir 'fix.sql'; Check = Join-Path $dir 'check.sql'
        }
        Invoke-Sqlite $s.Production @"
CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, SS_KEY TEXT, IS_ACTIVE INTEGER NOT NULL, VERSION_ID INTEGER);
INSERT INTO OSSYS_ESPACE VALUES (1, 'Orders', 'k-orders', 1, 10);
CREATE TABLE OSUSR_ORD_ORDER (ID INTEGER PRIMARY KEY AUTOINCREMENT, CUSTOMER TEXT NOT NULL, DISCOUNT_CODE TEXT);
INSERT INTO OSUSR_ORD_ORDER (CUSTOMER, DISCOUNT_CODE) VALUES ('ana', NULL), ('bo', 'DISC-ERR'), ('cy', 'SPRING'), ('di', 'DISC-ERR');
"@ | Out-Null
        Set-Content $s.Fix "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE DISCOUNT_CODE = 'DISC-ERR';"
        Set-Content $s.Check "SELECT ID, CUSTOMER FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR';"
        $s
    }

    function Get-FileHashText([string] $Path) { (Get-FileHash -Algorithm SHA256 $Path).Hash }
}

Describe 'Invoke-OsDataRepair' -Tag 'RollForward' {
    BeforeEach { $s = New-RepairScenario }
    AfterEach { Remove-Item -Recurse -Force $s.Dir -ErrorAction SilentlyContinue }

    It 'rehearses on a copy, leaving production byte for byte, then repairs: no DISC-ERR row, the same orders, rows per table' {
        $before = Get-FileHashText $s.Production
        $rehearsal = Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -Rehearse -CatalogPath $s.Catalog -Confirm:$false
        Get-FileHashText $s.Production | Should -Be $before
        $rehearsal.Mode | Should -Be 'Rehearsal'
        $rehearsal.RowsChanged | Should -Be 2
        $rehearsal.ChecksPassed | Should -BeTrue

        $repair = Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -Confirm:$false
        $repair.Committed | Should -BeTrue
        $repair.Tables | Should -HaveCount 1
        $repair.Tables[0].Table | Should -Be 'OSUSR_ORD_ORDER'
        $repair.Tables[0].RowsChanged | Should -Be 2
        Test-Path $repair.SafetyBackupPath | Should -BeTrue
        Invoke-Sqlite $s.Production "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'" | Should -Be 0
        Invoke-Sqlite $s.Production 'SELECT COUNT(*) FROM OSUSR_ORD_ORDER' | Should -Be 4
    }

    It 'applies a repair at most once: the rerun runs nothing and warns' {
        $null = Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -Rehearse -CatalogPath $s.Catalog -Confirm:$false
        $null = Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -Confirm:$false
        Invoke-Sqlite $s.Production "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = 'DISC-ERR' WHERE ID = 1" | Out-Null

        $again = Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $again.AlreadyApplied | Should -BeTrue
        $warnings | Should -Not -BeNullOrEmpty
        Invoke-Sqlite $s.Production "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'" | Should -Be 1
    }

    It '-WhatIf says what it would do and changes nothing, not even the catalog' {
        $before = Get-FileHashText $s.Production
        # What-if text goes to the host: read it from a child pwsh.
        $child = Invoke-ChildPwsh "Import-Module '$(Get-OsRollbackModulePath)'; Invoke-OsDataRepair -SqlitePath '$($s.Production)' -Script '$($s.Fix)' -Check '$($s.Check)' -CatalogPath '$($s.Catalog)' -Force -WhatIf"
        $child.ExitCode | Should -Be 0
        ($child.Output -join ' ') | Should -Match 'What if: .*safety backup.*1 statements writing OSUSR_ORD_ORDER.*rolled back if any check returns a row'
        Get-FileHashText $s.Production | Should -Be $before
        Test-Path $s.Catalog | Should -BeFalse
    }

    It '-OutputScriptOnly writes the reviewed script and changes nothing' {
        $before = Get-FileHashText $s.Production
        $script = Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -OutputScriptOnly
        $script | Should -Match 'BEGIN IMMEDIATE'
        $script | Should -Match 'COMMIT;'
        Get-FileHashText $s.Production | Should -Be $before
    }

    It 'a repair whose check still finds rows is rolled back with an ErrorRecord naming the check and the rows' {
        Set-Content $s.Fix 'UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = NULL WHERE ID = 2;'
        $before = Get-FileHashText $s.Production
        $err = Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -Force -Confirm:$false -WarningAction SilentlyContinue }
        $err.FullyQualifiedErrorId | Should -BeLike 'RepairCheckFailed*'
        $err.CategoryInfo.Category | Should -Be 'InvalidResult'
        $err.Exception.Message | Should -Match 'check 1'
        $err.Exception.Message | Should -Match 'CUSTOMER=di'
        Invoke-Sqlite $s.Production "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'" | Should -Be 2
    }

    It 'refuses <Case> with <ErrorId> and changes nothing' -ForEach @(
        @{ Case = 'a script that writes OSSYS_ESPACE'; Script = 'UPDATE OSSYS_ESPACE SET IS_ACTIVE = 0;'; Check = $null; ErrorId = 'RepairNotApplicationTable'; Category = 'InvalidData' }
        @{ Case = 'DDL'; Script = 'DROP TABLE OSUSR_ORD_ORDER;'; Check = $null; ErrorId = 'RepairScriptNotDml'; Category = 'InvalidData' }
        @{ Case = 'a script that returns rows'; Script = 'SELECT * FROM OSUSR_ORD_ORDER;'; Check = $null; ErrorId = 'RepairScriptReturnsRows'; Category = 'InvalidData' }
        @{ Case = 'a script that does not parse'; Script = 'UPDATE OSUSR_ORD_ORDER SET WHERE;'; Check = $null; ErrorId = 'RepairScriptInvalid'; Category = 'InvalidData' }
        @{ Case = 'a check that is not a query'; Script = $null; Check = 'DELETE FROM OSUSR_ORD_ORDER;'; ErrorId = 'RepairCheckNotQuery'; Category = 'InvalidData' }
        @{ Case = 'an empty script'; Script = '-- to do'; Check = $null; ErrorId = 'RepairScriptEmpty'; Category = 'InvalidData' }
    ) {
        if ($Script) { Set-Content $s.Fix $Script }
        if ($Check) { Set-Content $s.Check $Check }
        $before = Get-FileHashText $s.Production
        foreach ($rehearse in $true, $false) {
            $err = Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -Rehearse:$rehearse -Force -Confirm:$false }
            $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err.CategoryInfo.Category | Should -Be $Category
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
        Get-FileHashText $s.Production | Should -Be $before
        Test-Path $s.Catalog | Should -BeFalse
    }

    It 'refuses a repair never rehearsed, and one rehearsed with another script' {
        $err = Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -BeLike 'RepairNotRehearsed,*'
        $other = Join-Path $s.Dir 'other.sql'
        Set-Content $other "UPDATE OSUSR_ORD_ORDER SET DISCOUNT_CODE = 'NONE' WHERE DISCOUNT_CODE = 'DISC-ERR';"
        $null = Invoke-OsDataRepair -SqlitePath $s.Production -Script $other -Check $s.Check -Rehearse -CatalogPath $s.Catalog -Confirm:$false
        $err = Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -CatalogPath $s.Catalog -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -BeLike 'RepairRehearsalOfAnotherScript,*'
        Invoke-Sqlite $s.Production "SELECT COUNT(*) FROM OSUSR_ORD_ORDER WHERE DISCOUNT_CODE = 'DISC-ERR'" | Should -Be 2
    }

    It 'refuses a missing file and a parallel database without -Rehearse' {
        (Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $s.Production -Script (Join-Path $s.Dir 'none.sql') -Check $s.Check -CatalogPath $s.Catalog -Confirm:$false }).FullyQualifiedErrorId | Should -BeLike 'RepairScriptNotFound,*'
        (Get-ErrorRecord { Invoke-OsDataRepair -SqlitePath $s.Production -Script $s.Fix -Check $s.Check -ParallelSqlitePath $s.Production -CatalogPath $s.Catalog -Confirm:$false }).FullyQualifiedErrorId | Should -BeLike 'ParallelDatabaseWithoutRehearse,*'
    }

    It 'never writes the SQL password: the SQL Server review script is parsed offline' {
        $credential = [pscredential]::new('repairer', (ConvertTo-SecureString 'Rep41r-S3cret!' -AsPlainText -Force))
        Set-Content $s.Fix "UPDATE o SET DISCOUNT_CODE = NULL FROM dbo.OSUSR_ORD_ORDER o WHERE o.DISCOUNT_CODE = N'DISC-ERR';"
        $text = Invoke-OsDataRepair -SqlInstance 'sql01.invalid' -Database outsystems -SqlCredential $credential -Script $s.Fix -Check $s.Check -OutputScriptOnly -Verbose 4>&1 | Out-String
        $text | Should -Match 'SET XACT_ABORT ON'
        $text | Should -Not -Match 'Rep41r-S3cret'
    }
}
