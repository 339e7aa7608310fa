# Get-OsSchemaDrift, Compare-OsDatabaseData, Export-OsDataDelta, Import-OsDataDelta on a SQLite
# after-rollback scenario built here: production with the OSSYS_* mapping, a rollback point
# (schema snapshot + pre-deploy copy), a "deploy" that adds a table and a column and writes
# rows, the parallel database (copy before the rollback), and production restored to the copy.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force

    # The module loads the engine and Microsoft.Data.Sqlite in its private load context; the
    # fixture borrows them from there (after one call that makes the engine load SQLite).
    $null = try { Compare-OsDatabaseData -SqlitePath (Join-Path ([IO.Path]::GetTempPath()) 'osr-none.db') -ReferenceSqlitePath (Join-Path ([IO.Path]::GetTempPath()) 'osr-none2.db') } catch { }
    $assemblies = [AppDomain]::CurrentDomain.GetAssemblies()
    $script:SqliteAssembly = $assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
    $script:EngineAssembly = $assemblies | Where-Object { $_.GetName().Name -eq 'OsRollback.Engine' } | Select-Object -First 1

    function New-DriftScenario {
        $dir = New-TestDirectory
        $s = [pscustomobject]@{
            Dir = $dir; Production = Join-Path $dir 'production.db'; Parallel = Join-Path $dir 'parallel.db'
            Backup = Join-Path $dir 'backup.db'; RollbackPoint = Join-Path $dir 'rollback-point'
        }
        $null = New-Item -ItemType Directory $s.RollbackPoint
        Invoke-Sqlite $s.Production @"
CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL);
CREATE TABLE OSSYS_ENTITY (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, PHYSICAL_TABLE_NAME TEXT, ESPACE_ID INTEGER, IS_ACTIVE INTEGER NOT NULL);
CREATE TABLE OSSYS_ENTITY_ATTR (ID INTEGER PRIMARY KEY, ENTITY_ID INTEGER NOT NULL, NAME TEXT NOT NULL, IS_ACTIVE INTEGER NOT NULL, DATABASE_NAME TEXT);
INSERT INTO OSSYS_ESPACE VALUES (1, 'Shop_CS');
INSERT INTO OSSYS_ENTITY VALUES (10, 'Customer', 'OSUSR_S1_CUSTOMER', 1, 1), (11, 'Log', 'OSUSR_S1_LOG', 1, 1);
CREATE TABLE OSUSR_S1_CUSTOMER (ID INTEGER PRIMARY KEY, NAME NVARCHAR(50) NOT NULL);
CREATE TABLE OSUSR_S1_LOG (MESSAGE TEXT);
INSERT INTO OSUSR_S1_CUSTOMER VALUES (1, 'One'), (2, 'Two'), (3, 'Three');
"@ | Out-Null
        $snapshot = $script:EngineAssembly.GetType('OsRollback.Engine.Schema.SchemaSnapshotReader')::Capture(
            $script:EngineAssembly.GetType('OsRollback.Engine.Data.SqliteTarget')::new($s.Production), $null,
            $script:EngineAssembly.GetType('OsRollback.Engine.Diagnostics.NullReporter')::Instance)
        $script:EngineAssembly.GetType('OsRollback.Engine.Schema.SchemaSnapshotFile')::Write((Join-Path $s.RollbackPoint 'schema-snapshot.json'), $snapshot)
        Copy-Item $s.Production $s.Backup
        Invoke-Sqlite $s.Production @"
ALTER TABLE OSUSR_S1_CUSTOMER ADD COLUMN VIP INTEGER;
CREATE TABLE OSUSR_S1_COUPON (ID INTEGER PRIMARY KEY, CODE TEXT);
INSERT INTO OSSYS_ENTITY VALUES (12, 'Coupon', 'OSUSR_S1_COUPON', 1, 1);
INSERT INTO OSSYS_ENTITY_ATTR VALUES (1, 10, 'Vip', 1, 'VIP');
INSERT INTO OSUSR_S1_CUSTOMER VALUES (4, 'Four', 1), (5, 'Five', NULL);
UPDATE OSUSR_S1_CUSTOMER SET NAME = 'Deux' WHERE ID = 2;
INSERT INTO OSUSR_S1_COUPON VALUES (1, 'C1');
"@ | Out-Null
        Copy-Item $s.Production $s.Parallel
        Copy-Item $s.Backup $s.Production -Force
        $s
    }
}

Describe 'Drift cmdlets' {
    BeforeEach { $s = New-DriftScenario }

    Context 'Get-OsSchemaDrift' {
        It 'finds the table and column the rolled-back version added, from a rollback point folder' {
            $items = Get-OsSchemaDrift -SqlitePath $s.Parallel -RollbackPoint $s.RollbackPoint
            $table = $items | Where-Object Kind -EQ 'TableAdded'
            $table.Table | Should -Be 'OSUSR_S1_COUPON'
            $table.Entity | Should -Be 'Coupon'
            $table.Module | Should -Be 'Shop_CS'
            $table.RowsWithData | Should -Be 1
            $column = $items | Where-Object Kind -EQ 'ColumnAdded'
            $column.Column | Should -Be 'VIP'
            $column.Attribute | Should -Be 'Vip'
            $column.RowsWithData | Should -Be 1
            $column.Recommendation | Should -Not -BeNullOrEmpty
        }

        It 'takes the rollback point from the pipeline as an object with SchemaSnapshotPath or Path' {
            $byPath = [pscustomobject]@{ Path = Join-Path $s.RollbackPoint 'rollback-point.json' } | Get-OsSchemaDrift -SqlitePath $s.Parallel
            $bySnapshot = [pscustomobject]@{ SchemaSnapshotPath = Join-Path $s.RollbackPoint 'schema-snapshot.json' } | Get-OsSchemaDrift -SqlitePath $s.Parallel
            @($byPath).Count | Should -Be 2
            @($bySnapshot).Count | Should -Be 2
        }

        It 'compares with a second database' {
            $items = Get-OsSchemaDrift -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel
            ($items | Where-Object Kind -EQ 'TableMissing').Table | Should -Be 'OSUSR_S1_COUPON'
            ($items | Where-Object Kind -EQ 'ColumnMissing').Column | Should -Be 'VIP'
        }

        It '-OutputScriptOnly returns a script and drops nothing' {
            $script = Get-OsSchemaDrift -SqlitePath $s.Parallel -RollbackPoint $s.RollbackPoint -OutputScriptOnly
            $script | Should -BeOfType [string]
            $script | Should -Match 'DROP TABLE "OSUSR_S1_COUPON"'
            Invoke-Sqlite $s.Parallel "SELECT COUNT(*) FROM OSUSR_S1_COUPON" | Should -Be 1
        }

        It 'a missing snapshot is SchemaSnapshotNotFound' {
            $e = Get-ErrorRecord { Get-OsSchemaDrift -SqlitePath $s.Parallel -RollbackPoint (Join-Path $s.Dir 'nowhere') }
            $e.FullyQualifiedErrorId | Should -BeLike 'SchemaSnapshotNotFound,*'
            $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'an object without a path is RollbackPointInvalid' {
            $e = Get-ErrorRecord { [pscustomobject]@{ Name = 'x' } | Get-OsSchemaDrift -SqlitePath $s.Parallel }
            $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointInvalid,*'
        }

        It 'no reference is DriftReferenceRequired, two are DriftReferenceAmbiguous' {
            $e = Get-ErrorRecord { Get-OsSchemaDrift -SqlitePath $s.Parallel }
            $e.FullyQualifiedErrorId | Should -BeLike 'DriftReferenceRequired,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e = Get-ErrorRecord { Get-OsSchemaDrift -SqlitePath $s.Parallel -ReferenceSqlitePath $s.Production -RollbackPoint $s.RollbackPoint }
            $e.FullyQualifiedErrorId | Should -BeLike 'DriftReferenceAmbiguous,*'
        }

        It 'a missing database file is DatabaseFileNotFound and is not created' {
            $missing = Join-Path $s.Dir 'missing.db'
            $e = Get-ErrorRecord { Get-OsSchemaDrift -SqlitePath $missing -RollbackPoint $s.RollbackPoint }
            $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseFileNotFound,*'
            Test-Path $missing | Should -BeFalse
        }
    }

    Context 'Compare-OsDatabaseData' {
        It 'returns a summary per table with Table, Inserted, Changed, Deleted' {
            $summary = Compare-OsDatabaseData -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -WarningAction SilentlyContinue
            $customer = $summary | Where-Object Table -EQ 'OSUSR_S1_CUSTOMER'
            $customer.Inserted | Should -Be 2
            $customer.Changed | Should -Be 1
            $customer.Deleted | Should -Be 0
            $customer.Entity | Should -Be 'Customer'
            ($summary | Where-Object Table -EQ 'OSUSR_S1_LOG').Status | Should -Be 'NoPrimaryKey'
            ($summary | Where-Object Table -EQ 'OSUSR_S1_COUPON').Status | Should -Be 'OnlyInReference'
        }

        It 'warns about the table without a primary key' {
            $null = Compare-OsDatabaseData -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -WarningVariable w -WarningAction SilentlyContinue
            ($w -join "`n") | Should -Match 'OSUSR_S1_LOG.*no primary key'
        }

        It '-Detailed adds one object per differing row' {
            $rows = Compare-OsDatabaseData -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -Table OSUSR_S1_CUSTOMER -Detailed |
                Where-Object { $_.GetType().FullName -eq 'OsRollback.Engine.Drift.DataRowDifference' }
            $rows.Key | Should -Be @('ID=2', 'ID=4', 'ID=5')
            ($rows | Where-Object Key -EQ 'ID=2').ChangedColumns | Should -Be 'NAME'
        }
    }

    Context 'Export-OsDataDelta and Import-OsDataDelta' {
        It 'Export -WhatIf writes no file' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file -WhatIf -WarningAction SilentlyContinue
            Test-Path $file | Should -BeFalse
        }

        It 'Export binds Table from Compare-OsDatabaseData and writes the file and its script' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            $result = Compare-OsDatabaseData -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -WarningAction SilentlyContinue |
                Where-Object Inserted -GT 0 | Where-Object Status -EQ 'Compared' |
                Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file
            $result.Path | Should -Be $file
            $result.Inserted | Should -Be 2
            Test-Path $result.ScriptPath | Should -BeTrue
            (Get-Content $file -First 1 | ConvertFrom-Json).format | Should -Be 'osrollback-data-delta'
        }

        It 'Export with an empty pipeline exports nothing rather than every table' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            $out = @() | Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file -WarningVariable w -WarningAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            Test-Path $file | Should -BeFalse
            ($w -join "`n") | Should -Match 'nothing was exported'
        }

        It 'Export refuses to overwrite without -Force' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            Set-Content $file 'x'
            $e = Get-ErrorRecord { Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file }
            $e.FullyQualifiedErrorId | Should -BeLike 'DeltaFileExists,*'
            $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        }

        It 'Import -WhatIf changes nothing and takes no backup' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            $before = (Get-ChildItem $s.Dir).Count + 1
            Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file -NoScript -WarningAction SilentlyContinue |
                Import-OsDataDelta -SqlitePath $s.Production -WhatIf
            Invoke-Sqlite $s.Production 'SELECT COUNT(*) FROM OSUSR_S1_CUSTOMER' | Should -Be 3
            (Get-ChildItem $s.Dir).Count | Should -Be $before
        }

        It 'Import is ConfirmImpact High' {
            (Get-Command Import-OsDataDelta).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be 'High'
        }

        It 'Export | Import brings the lost rows back after a safety backup' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            $results = Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file -WarningAction SilentlyContinue |
                Import-OsDataDelta -SqlitePath $s.Production -Confirm:$false
            $customer = $results | Where-Object Table -EQ 'OSUSR_S1_CUSTOMER'
            $customer.Inserted | Should -Be 2
            $customer.Updated | Should -Be 1
            Test-Path $customer.SafetyBackupPath | Should -BeTrue
            Invoke-Sqlite $s.Production "SELECT NAME FROM OSUSR_S1_CUSTOMER WHERE ID = 2" | Should -Be 'Deux'
            $after = Compare-OsDatabaseData -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -Table OSUSR_S1_CUSTOMER
            $after.Inserted + $after.Changed + $after.Deleted | Should -Be 0
        }

        It 'reports a conflict as a warning and leaves the row alone' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            $null = Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file -WarningAction SilentlyContinue
            Invoke-Sqlite $s.Production "UPDATE OSUSR_S1_CUSTOMER SET NAME = 'Changed since' WHERE ID = 2" | Out-Null
            $results = Import-OsDataDelta -SqlitePath $s.Production -Path $file -Confirm:$false -WarningVariable w -WarningAction SilentlyContinue
            ($results | Where-Object Table -EQ 'OSUSR_S1_CUSTOMER').Conflicts.Key | Should -Be 'ID=2'
            ($w -join "`n") | Should -Match 'conflicting'
            Invoke-Sqlite $s.Production "SELECT NAME FROM OSUSR_S1_CUSTOMER WHERE ID = 2" | Should -Be 'Changed since'
        }

        It 'a SQL Server import first takes the safety backup, and stops when the server cannot be reached' {
            $file = Join-Path $s.Dir 'delta.jsonl'
            $null = Export-OsDataDelta -SqlitePath $s.Production -ReferenceSqlitePath $s.Parallel -BaseSqlitePath $s.Backup -Path $file -WarningAction SilentlyContinue
            $e = Get-ErrorRecord { Import-OsDataDelta -SqlInstance '127.0.0.1,1' -Database outsystems -Path $file -Confirm:$false -ConnectTimeout 1 }
            $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseUnreachable,*'
            $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        }

        It 'a file that is not a delta is DataDeltaMalformed' {
            $file = Join-Path $s.Dir 'not-a-delta.jsonl'
            Set-Content $file '{"hello": 1}'
            $e = Get-ErrorRecord { Import-OsDataDelta -SqlitePath $s.Production -Path $file -Confirm:$false }
            $e.FullyQualifiedErrorId | Should -BeLike 'DataDeltaMalformed,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
        }
    }

    AfterEach { Remove-Item -Recurse -Force $s.Dir -ErrorAction SilentlyContinue }
}
