BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force

    # Microsoft.Data.Sqlite as the module's private load context resolves it (no sqlite3 needed).
    function Get-SqliteConnectionType {
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OsRollback.Engine' } | Select-Object -First 1
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine)
        $context.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Microsoft.Data.Sqlite')).GetType('Microsoft.Data.Sqlite.SqliteConnection', $true)
    }

    # A SQLite database with data, written through the module's own SQLite (no sqlite3 needed).
    function New-TestDatabase([string] $Path, [int] $Rows = 500) {
        $type = Get-SqliteConnectionType
        $connection = [Activator]::CreateInstance($type, @("Data Source=$Path;Pooling=False"))
        $connection.Open()
        try {
            $command = $connection.CreateCommand()
            $command.CommandText = "CREATE TABLE OSSYS_ESPACE (ID INTEGER PRIMARY KEY, NAME TEXT NOT NULL); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $Rows) INSERT INTO OSSYS_ESPACE SELECT i, 'Module_' || i FROM n;"
            $null = $command.ExecuteNonQuery()
        }
        finally { $connection.Dispose() }
    }

    function Invoke-Sqlite([string] $Path, [string] $Sql) {
        $type = Get-SqliteConnectionType
        $connection = [Activator]::CreateInstance($type, @("Data Source=$Path;Pooling=False"))
        $connection.Open()
        try { $command = $connection.CreateCommand(); $command.CommandText = $Sql; $command.ExecuteScalar() }
        finally { $connection.Dispose() }
    }
}

Describe 'Database safety net (SQLite, real files)' {
    BeforeEach {
        $dir = New-TestDirectory
        $db = Join-Path $dir 'platform.db'
        $backups = (New-Item -ItemType Directory (Join-Path $dir 'backups')).FullName
        # Loads the engine into the module's private context.
        $null = Get-OsDatabaseBackup -SqlitePath $db -Path $backups
        New-TestDatabase -Path $db
    }
    AfterEach { Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue }

    It 'backs up, verifies, and restores under another name with the data intact' {
        $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
        $backup.FilePath | Should -HaveCount 1
        $backup.Verified | Should -BeTrue
        Test-Path "$($backup.FilePath[0]).osrollback.json" | Should -BeTrue

        $check = $backup | Test-OsDatabaseBackup -TestRestore
        $check.IsValid | Should -BeTrue
        $check.Checks.Name | Should -Be @('Header', 'Checksum', 'Integrity', 'TestRestore')

        $parallel = Join-Path $dir 'platform_parallel.db'
        $result = $backup | Restore-OsDatabase -SqlitePath $parallel -Confirm:$false
        $result.ReplacedExisting | Should -BeFalse
        Invoke-Sqlite $parallel 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 500
    }

    It 'restores over the original only with -WithReplace, after a verified safety backup' {
        $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
        $null = Invoke-Sqlite $db "INSERT INTO OSSYS_ESPACE VALUES (9999, 'After_Deploy')"

        $e = Get-ErrorRecord { $backup | Restore-OsDatabase -SqlitePath $db -Confirm:$false -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseExists,*'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.ErrorDetails.RecommendedAction | Should -Match '-WithReplace'
        Invoke-Sqlite $db 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 501

        $result = $backup | Restore-OsDatabase -SqlitePath $db -WithReplace -Confirm:$false
        $result.SafetyBackup.Verified | Should -BeTrue
        Invoke-Sqlite $db 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 500
        Invoke-Sqlite $result.SafetyBackup.FilePath[0] "SELECT count(*) FROM OSSYS_ESPACE WHERE NAME = 'After_Deploy'" | Should -Be 1
    }

    It 'refuses a safety backup that is too old and changes nothing' {
        $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
        $safety = Backup-OsDatabase -SqlitePath $db -Path $backups
        $null = Invoke-Sqlite $db 'DELETE FROM OSSYS_ESPACE'
        $e = Get-ErrorRecord { Restore-OsDatabase -SqlitePath $db -FilePath $backup.FilePath -WithReplace -SafetyBackup $safety -SafetyBackupMaxAge 0 -Confirm:$false -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'SafetyBackupTooOld,*'
        Invoke-Sqlite $db 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 0
    }

    It '-WhatIf says what would happen and changes nothing' {
        $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
        $null = Invoke-Sqlite $db 'DELETE FROM OSSYS_ESPACE'
        # What-if text goes to the host: read it from a child pwsh.
        $child = Invoke-ChildPwsh "Import-Module '$(Get-OsRollbackModulePath)'; Restore-OsDatabase -SqlitePath '$db' -FilePath '$($backup.FilePath[0])' -WithReplace -WhatIf"
        $child.ExitCode | Should -Be 0
        ($child.Output -join ' ') | Should -Match 'What if: .*Replace the existing database .*platform\.db.*take and verify a copy-only safety backup'
        Invoke-Sqlite $db 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 0
        @(Get-ChildItem $backups -Filter *.sqlite).Count | Should -Be 1

        Backup-OsDatabase -SqlitePath $db -Path $backups -WhatIf
        @(Get-ChildItem $backups -Filter *.sqlite).Count | Should -Be 1
    }

    It 'Test-OsDatabaseBackup works on a bare file and reports a damaged one' {
        $bare = Join-Path $dir 'bare.db'
        Copy-Item $db $bare
        (Test-OsDatabaseBackup -FilePath $bare).IsValid | Should -BeTrue

        $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
        $bytes = [IO.File]::ReadAllBytes($backup.FilePath[0]); $bytes[$bytes.Length - 50] = $bytes[$bytes.Length - 50] -bxor 0xFF
        [IO.File]::WriteAllBytes($backup.FilePath[0], $bytes)
        $result = $backup | Test-OsDatabaseBackup -ErrorVariable err -ErrorAction SilentlyContinue
        $result.IsValid | Should -BeFalse
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BackupVerificationFailed,*'

        $e = Get-ErrorRecord { $backup | Restore-OsDatabase -SqlitePath (Join-Path $dir 'x.db') -Confirm:$false -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'BackupCorrupt,*'
        Test-Path (Join-Path $dir 'x.db') | Should -BeFalse
    }

    It 'goes on with the next piped backup after a bad one' {
        $good = Backup-OsDatabase -SqlitePath $db -Path $backups
        $inputs = @([pscustomobject]@{ FilePath = @(Join-Path $dir 'missing.sqlite') }, $good)
        $results = $inputs | Test-OsDatabaseBackup -ErrorVariable err -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $results.IsValid | Should -BeTrue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BackupFileNotFound,*'
    }

    It 'lists history and applies retention only to its own backups, with -WhatIf' {
        1..3 | ForEach-Object { $null = Backup-OsDatabase -SqlitePath $db -Path $backups }
        Copy-Item $db (Join-Path $backups 'manual.sqlite')
        $history = Get-OsDatabaseBackup -SqlitePath $db -Path $backups
        $history | Should -HaveCount 3
        (Get-OsDatabaseBackup -SqlitePath $db -Path $backups -Last 1).FilePath | Should -Be $history[0].FilePath

        Remove-OsDatabaseBackup -SqlitePath $db -Path $backups -KeepLast 1 -WhatIf
        @(Get-ChildItem $backups -Filter *.sqlite).Count | Should -Be 4

        $removed = Remove-OsDatabaseBackup -SqlitePath $db -Path $backups -KeepLast 1 -Confirm:$false
        $removed | Should -HaveCount 2
        Test-Path (Join-Path $backups 'manual.sqlite') | Should -BeTrue
        (Get-OsDatabaseBackup -SqlitePath $db -Path $backups).FilePath | Should -Be $history[0].FilePath
    }

    It 'reports progress for a backup' {
        $null = Invoke-Sqlite $db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO OSSYS_ESPACE SELECT i + 1000, printf('%0100d', i) FROM n"
        $ps = [PowerShell]::Create()
        $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-OsRollbackModulePath)).AddStatement().AddCommand('Backup-OsDatabase').AddParameter('SqlitePath', $db).AddParameter('Path', $backups)
        $null = $ps.Invoke()
        $ps.Streams.Progress.Count | Should -BeGreaterThan 1
        ($ps.Streams.Progress | Where-Object RecordType -EQ 'Completed') | Should -Not -BeNullOrEmpty
        $ps.Dispose()
    }

    It 'restores into a file another process keeps reading, which sees the restored data on its next connection' {
        $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
        $null = Invoke-Sqlite $db 'DELETE FROM OSSYS_ESPACE WHERE ID > 100'
        $log = Join-Path $dir 'reader.log'
        $stop = Join-Path $dir 'stop'
        # A reader like the sandbox: a new connection per request, pooling off, until told to stop.
        $reader = Join-Path $dir 'reader.ps1'
        Set-Content $reader @"
Import-Module '$(Get-OsRollbackModulePath)'
`$null = Get-OsDatabaseBackup -SqlitePath '$db' -Path '$backups'
`$engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'OsRollback.Engine' } | Select-Object -First 1
`$type = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$engine).LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Microsoft.Data.Sqlite')).GetType('Microsoft.Data.Sqlite.SqliteConnection', `$true)
while (-not (Test-Path '$stop')) {
    try {
        `$c = [Activator]::CreateInstance(`$type, @('Data Source=$db;Pooling=False;Default Timeout=5'))
        `$c.Open(); `$cmd = `$c.CreateCommand(); `$cmd.CommandText = 'SELECT count(*) FROM OSSYS_ESPACE'
        Add-Content '$log' ([string]`$cmd.ExecuteScalar())
        `$c.Dispose()
    } catch { Add-Content '$log' "error: `$(`$_.Exception.Message)" }
    Start-Sleep -Milliseconds 20
}
"@
        $pwsh = & (Join-Path (Get-RepoRoot) 'tools/Get-PwshCommand.ps1')
        $process = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $reader)) -PassThru
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Test-Path $log) -and (Get-Content $log) -contains '100') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            (Get-Content $log) | Should -Contain '100'

            $result = $backup | Restore-OsDatabase -SqlitePath $db -WithReplace -Confirm:$false
            $result.ReplacedExisting | Should -BeTrue

            while (-not ((Get-Content $log) -contains '500') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $lines = Get-Content $log
            $lines | Should -Contain '500'
            # Once the reader has seen the restored data, it never sees the old data again.
            $lines[([array]::IndexOf($lines, '500'))..($lines.Count - 1)] | Should -Not -Contain '100'
        }
        finally {
            Set-Content $stop 'stop'
            if (-not $process.WaitForExit(20000)) { $process.Kill() }
        }
        Invoke-Sqlite $db 'PRAGMA integrity_check' | Should -Be 'ok'
    }

    It 'backs up several SQLite files, piped by property name; a bad one does not stop the others' {
        $second = Join-Path $dir 'second.db'
        New-TestDatabase -Path $second -Rows 7
        $inputs = @($db, (Join-Path $dir 'gone.db'), $second) | ForEach-Object { [pscustomobject]@{ SqlitePath = $_ } }
        $results = $inputs | Backup-OsDatabase -Path $backups -ErrorVariable err -ErrorAction SilentlyContinue
        $results | Should -HaveCount 2
        $results.SqlitePath | Should -Be @($db, $second)
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DatabaseFileNotFound,*'
        @(Get-OsDatabaseBackup -SqlitePath $db, $second -Path $backups) | Should -HaveCount 2

        $e = Get-ErrorRecord { Backup-OsDatabase -SqlitePath (Join-Path $dir 'gone.db'), $second -Path $backups -EnableException }
        $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseFileNotFound,*'
        @(Get-OsDatabaseBackup -SqlitePath $second -Path $backups) | Should -HaveCount 1 -Because '-EnableException stops before the next item'
    }

    It 'with the default $ConfirmPreference a restore under a new name does not prompt, a replace does' {
        $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
        $null = Invoke-Sqlite $db "INSERT INTO OSSYS_ESPACE VALUES (9999, 'After_Deploy')"
        $parallel = Join-Path $dir 'parallel.db'
        # A non-interactive pwsh fails any prompt: what succeeds there did not prompt.
        $prelude = "Import-Module '$(Get-OsRollbackModulePath)'; `$ConfirmPreference | Write-Output; `$b = Get-OsDatabaseBackup -SqlitePath '$db' -Path '$backups' -Last 1"
        $new = Invoke-ChildPwsh "$prelude; (`$b | Restore-OsDatabase -SqlitePath '$parallel').ReplacedExisting"
        $new.Output[0] | Should -Be 'High'
        $new.Output | Should -Contain 'False'
        Invoke-Sqlite $parallel 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 500

        $replace = Invoke-ChildPwsh "$prelude; try { `$b | Restore-OsDatabase -SqlitePath '$db' -WithReplace; 'restored' } catch { 'refused: ' + `$_.Exception.Message }"
        ($replace.Output -join ' ') | Should -Match 'refused: .*(NonInteractive|prompt)'
        Invoke-Sqlite $db 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 501

        $lowered = Invoke-ChildPwsh "$prelude; `$ConfirmPreference = 'None'; (`$b | Restore-OsDatabase -SqlitePath '$db' -WithReplace).ReplacedExisting"
        $lowered.Output | Should -Contain 'True'
        Invoke-Sqlite $db 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 500
        $backup | Should -Not -BeNullOrEmpty
    }

    Context 'bad input' {
        It 'a missing backup folder is BackupPathNotFound and is not created (a typo stays a typo)' {
            $folder = Join-Path $dir 'typo/nightly'
            $e = Get-ErrorRecord { Backup-OsDatabase -SqlitePath $db -Path $folder }
            $e.FullyQualifiedErrorId | Should -BeLike 'BackupPathNotFound*'
            $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $e.ErrorDetails.RecommendedAction | Should -Match '-BuildPath'
            Test-Path (Join-Path $dir 'typo') | Should -BeFalse
            $e = Get-ErrorRecord { Backup-OsDatabase -SqlitePath $db -FilePath (Join-Path $folder 'x.sqlite') }
            $e.FullyQualifiedErrorId | Should -BeLike 'BackupPathNotFound*'
            Test-Path (Join-Path $dir 'typo') | Should -BeFalse
        }

        It 'with -BuildPath a missing backup folder is created, and with -WhatIf only announced' {
            $folder = Join-Path $dir 'nope/nightly'
            Backup-OsDatabase -SqlitePath $db -Path $folder -BuildPath -WhatIf
            Test-Path (Join-Path $dir 'nope') | Should -BeFalse
            $child = Invoke-ChildPwsh "Import-Module '$(Get-OsRollbackModulePath)'; Backup-OsDatabase -SqlitePath '$db' -Path '$folder' -BuildPath -WhatIf"
            ($child.Output -join ' ') | Should -Match 'What if: .*Create the missing backup folder.*nightly'
            Test-Path (Join-Path $dir 'nope') | Should -BeFalse

            $backup = Backup-OsDatabase -SqlitePath $db -Path $folder -BuildPath
            Test-Path $folder -PathType Container | Should -BeTrue
            $backup.FilePath[0] | Should -BeLike (Join-Path $folder '*')
            $backup.Verified | Should -BeTrue
        }

        It 'a backup folder that is a file is BackupPathNotFound and nothing is written' {
            $file = Join-Path $dir 'afile'
            Set-Content $file 'not a folder'
            $e = Get-ErrorRecord { Backup-OsDatabase -SqlitePath $db -Path $file -ErrorAction Stop }
            $e.FullyQualifiedErrorId | Should -BeLike 'BackupPathNotFound,*'
            Get-Content $file | Should -Be 'not a folder'
        }

        It 'a truncated backup under -TestRestore fails the check (no raw SQLite error) and leaves no scratch file' {
            $null = Invoke-Sqlite $db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO OSSYS_ESPACE SELECT i + 1000, printf('%050d', i) FROM n"
            $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
            $bytes = [IO.File]::ReadAllBytes($backup.FilePath[0])
            $scratch = (New-Item -ItemType Directory (Join-Path $dir 'scratch')).FullName
            foreach ($length in 100, 4096, [int]($bytes.Length / 2)) {
                $truncated = Join-Path $dir "truncated_$length.sqlite"
                [IO.File]::WriteAllBytes($truncated, $bytes[0..($length - 1)])
                $result = Test-OsDatabaseBackup -FilePath $truncated -TestRestore -DataDirectory $scratch -ErrorVariable err -ErrorAction SilentlyContinue
                $result.IsValid | Should -BeFalse -Because "$length bytes"
                ($result.Checks | Where-Object Name -EQ 'TestRestore').Passed | Should -BeFalse -Because "$length bytes"
                $err | Should -HaveCount 1
                $err[0].FullyQualifiedErrorId | Should -BeLike 'BackupVerificationFailed,*'
                @(Get-ChildItem $scratch) | Should -HaveCount 0 -Because 'the scratch restore is removed'
            }
        }

        It 'a missing database file is DatabaseFileNotFound' {
            $e = Get-ErrorRecord { Backup-OsDatabase -SqlitePath (Join-Path $dir 'none.db') -Path $backups -ErrorAction Stop }
            $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseFileNotFound,*'
        }

        It 'a backup of another database does not replace it' {
            $backup = Backup-OsDatabase -SqlitePath $db -Path $backups
            $other = Join-Path $dir 'billing.db'
            New-TestDatabase -Path $other -Rows 3
            $e = Get-ErrorRecord { $backup | Restore-OsDatabase -SqlitePath $other -WithReplace -Confirm:$false -ErrorAction Stop }
            $e.FullyQualifiedErrorId | Should -BeLike 'BackupOfAnotherDatabase,*'
            Invoke-Sqlite $other 'SELECT count(*) FROM OSSYS_ESPACE' | Should -Be 3
        }

        It 'paths with quotes work' {
            $quoted = (New-Item -ItemType Directory (Join-Path $dir "it's [here]")).FullName
            $backup = Backup-OsDatabase -SqlitePath $db -FilePath (Join-Path $quoted "o'brien.sqlite")
            $backup.FilePath[0] | Should -BeLike "*o'brien.sqlite"
            ($backup | Test-OsDatabaseBackup).IsValid | Should -BeTrue
        }
    }
}

Describe 'Database safety net (SQL Server scripts, no server needed)' {
    It '-OutputScriptOnly returns T-SQL with hostile names quoted and the assumptions stated' {
        $script = Backup-OsDatabase -SqlInstance sql01 -Database 'a]; DROP DATABASE x;--' -Path "D:\it's" -Verify -OutputScriptOnly
        $script | Should -Match '^-- Backup of'
        $script | Should -Match 'Assumed: engine edition 3'
        $script | Should -Match ([regex]::Escape('BACKUP DATABASE [a]]; DROP DATABASE x;--]'))
        $script | Should -Match ([regex]::Escape("TO DISK = N'D:\it''s\"))
        $script | Should -Match 'COPY_ONLY, CHECKSUM, COMPRESSION'
        $script | Should -Match 'RESTORE VERIFYONLY'
    }

    It '-EngineEdition 4 (Express) turns compression off, -CopyOnly:$false takes a full backup' {
        $script = Backup-OsDatabase -SqlInstance sql01 -Database outsystems -Path D:\b -EngineEdition 4 -CopyOnly:$false -OutputScriptOnly
        $script | Should -Match 'CHECKSUM, NO_COMPRESSION'
        $script | Should -Not -Match 'COPY_ONLY'
    }

    It '-EngineEdition 5 (Azure SQL Database) scripts a database copy' {
        $script = Backup-OsDatabase -SqlInstance x.database.windows.net -Database outsystems -EngineEdition 5 -OutputScriptOnly
        $script | Should -Match 'CREATE DATABASE \[outsystems_osrollback_\d{8}_\d{6}\] AS COPY OF \[outsystems\]'
    }

    It 'an unreachable server is a ConnectionError' {
        $e = Get-ErrorRecord { Backup-OsDatabase -SqlInstance '127.0.0.1,1' -Database outsystems -Path D:\b -TrustServerCertificate -ConnectTimeout 2 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseUnreachable,*'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'Restore-OsDatabase is ConfirmImpact Medium (replace confirms itself) and Remove-OsDatabaseBackup supports -WhatIf' {
        $restore = Get-Command Restore-OsDatabase
        $restore.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'Medium'
        (Get-Command Remove-OsDatabaseBackup).Parameters.ContainsKey('WhatIf') | Should -BeTrue
        (Get-Command Backup-OsDatabase).Parameters.ContainsKey('WhatIf') | Should -BeTrue
    }

    It 'SqlInstance, Database and SqlitePath take arrays and bind by property name (Database also as Name)' {
        foreach ($name in 'Backup-OsDatabase', 'Get-OsDatabaseBackup', 'Remove-OsDatabaseBackup', 'Restore-OsDatabase') {
            $command = Get-Command $name
            # -SqlInstance takes every form dbatools takes (names, connection strings, dbatools/SMO objects), piped as strings too.
            $command.Parameters['SqlInstance'].ParameterType | Should -Be ([OsRollback.DatabaseInstanceParameter[]]) -Because "$name -SqlInstance"
            ($command.Parameters['SqlInstance'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipeline | Should -BeTrue -Because "$name -SqlInstance"
            foreach ($parameter in 'SqlInstance', 'Database', 'SqlitePath') {
                if ($parameter -ne 'SqlInstance') { $command.Parameters[$parameter].ParameterType | Should -Be ([string[]]) -Because "$name -$parameter" }
                $attribute = $command.Parameters[$parameter].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
                $attribute.ValueFromPipelineByPropertyName | Should -BeTrue -Because "$name -$parameter"
            }
            $command.Parameters['Database'].Aliases | Should -Contain 'Name'
            $command.Parameters.ContainsKey('EnableException') | Should -BeTrue
        }
    }

    It 'objects shaped like Get-DbaDatabase output are one item per instance x database' {
        $databases = @(
            [pscustomobject]@{ SqlInstance = 'sql01'; Name = 'outsystems' }
            [pscustomobject]@{ SqlInstance = 'sql02\prod'; Name = 'outsystems_log' }
        )
        $scripts = $databases | Backup-OsDatabase -Path D:\b -EngineEdition 3 -OutputScriptOnly
        $scripts | Should -HaveCount 2
        $scripts[0] | Should -Match 'BACKUP DATABASE \[outsystems\]'
        $scripts[1] | Should -Match 'BACKUP DATABASE \[outsystems_log\]'
        $scripts[1] | Should -Match 'on sql02\\prod'

        $grid = Backup-OsDatabase -SqlInstance sql01, sql02 -Database a, b -Path D:\b -EngineEdition 3 -OutputScriptOnly
        $grid | Should -HaveCount 4
        ($grid | ForEach-Object { if ($_ -match '-- Backup of (\S+) on (\S+),') { "$($Matches[2])/$($Matches[1])" } }) | Should -Be @('sql01/a', 'sql01/b', 'sql02/a', 'sql02/b')
    }

    It 'an unreachable instance among several is a non-terminating error; -EnableException makes it terminating' {
        $instances = '127.0.0.1,1', '127.0.0.1,2'
        $results = Get-OsDatabaseBackup -SqlInstance $instances -Database outsystems -TrustServerCertificate -ConnectTimeout 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $err | Should -HaveCount 2
        $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'DatabaseUnreachable,*' }

        $e = Get-ErrorRecord { Get-OsDatabaseBackup -SqlInstance $instances -Database outsystems -TrustServerCertificate -ConnectTimeout 1 -EnableException -ErrorAction SilentlyContinue }
        $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseUnreachable,*'
        $e.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'keeps the parameter names users and scripts rely on' {
        $expected = @{
            'Backup-OsDatabase'       = 'SqlInstance', 'Database', 'SqlCredential', 'SqlitePath', 'Path', 'FilePath', 'Url', 'CopyOnly', 'Verify', 'OutputScriptOnly', 'WhatIf'
            'Test-OsDatabaseBackup'   = 'FilePath', 'SqlInstance', 'SqlCredential', 'TestRestore'
            'Restore-OsDatabase'      = 'SqlInstance', 'Database', 'SqlCredential', 'SqlitePath', 'FilePath', 'DatabaseName', 'WithReplace', 'DestinationDataDirectory', 'DestinationLogDirectory', 'SafetyBackup', 'OutputScriptOnly', 'WhatIf', 'Confirm'
            'Get-OsDatabaseBackup'    = 'SqlInstance', 'Database', 'SqlCredential', 'SqlitePath', 'Path', 'Since', 'Last', 'IncludeCopyOnly'
            'Remove-OsDatabaseBackup' = 'SqlInstance', 'Database', 'SqlCredential', 'SqlitePath', 'Path', 'KeepLast', 'OlderThan', 'WhatIf', 'Confirm'
        }
        foreach ($name in $expected.Keys) {
            # A renamed parameter keeps its old name as an alias (Get-OsDatabaseBackup -Last is -Newest's alias).
            $parameters = (Get-Command $name).Parameters.Values | ForEach-Object { $_.Name; $_.Aliases }
            foreach ($parameter in $expected[$name]) { $parameters | Should -Contain $parameter -Because "$name -$parameter" }
        }
    }

    It 'FilePath binds by property name into Test-OsDatabaseBackup and Restore-OsDatabase' {
        foreach ($name in 'Test-OsDatabaseBackup', 'Restore-OsDatabase') {
            $attribute = (Get-Command $name).Parameters['FilePath'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
            $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
        }
    }
}
