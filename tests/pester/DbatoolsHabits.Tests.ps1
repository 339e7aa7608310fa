# What a DBA who uses dbatools expects of the database cmdlets: instance names piped as strings,
# connection strings and dbatools/SMO objects for -SqlInstance, SQL Server as the default set,
# -Newest/-LastFull, dbatools property names. SQL Server scripts (-OutputScriptOnly) need no server.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
}

Describe 'dbatools habits' {
    It 'instance names piped as strings are one item each' {
        $scripts = 'sql01', 'sql02\prod' | Backup-OsDatabase -Database outsystems -Path D:\b -EngineEdition 3 -OutputScriptOnly
        $scripts | Should -HaveCount 2
        $scripts[0] | Should -Match 'on sql01'
        $scripts[1] | Should -Match 'on sql02\\prod'
    }

    It 'a connection string names the instance and the database and never shows its password' {
        $script = Backup-OsDatabase -SqlInstance 'Server=sql03,1433;Database=outsystems;User ID=osadmin;Password=Sup3rS3cret' -Path D:\b -EngineEdition 3 -OutputScriptOnly
        $script | Should -Match 'BACKUP DATABASE \[outsystems\]'
        $script | Should -Match 'on sql03,1433'
        $script | Should -Not -Match 'Sup3rS3cret'
    }

    It 'dbatools objects with ComputerName and InstanceName bind as instances' {
        $server = [pscustomobject]@{ ComputerName = 'sql04'; InstanceName = 'OS'; Name = 'outsystems' }
        $script = $server | Backup-OsDatabase -Path D:\b -EngineEdition 3 -OutputScriptOnly
        $script | Should -Match 'on sql04\\OS'
        $script | Should -Match 'BACKUP DATABASE \[outsystems\]'
    }

    It 'an instance without a database is DatabaseNameRequired for that item only' {
        $scripts = Backup-OsDatabase -SqlInstance 'sql01', 'Server=sql02;Database=outsystems' -Path D:\b -EngineEdition 3 -OutputScriptOnly -ErrorVariable err -ErrorAction SilentlyContinue
        @($scripts) | Should -HaveCount 1
        $scripts | Should -Match 'on sql02'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DatabaseNameRequired,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'a text that is no instance fails at binding and says why' {
        $e = Get-ErrorRecord { Backup-OsDatabase -SqlInstance 'sql 01' -Database outsystems -Path D:\b -EngineEdition 3 -OutputScriptOnly }
        $e.FullyQualifiedErrorId | Should -BeLike 'CannotConvertArgument*,*'
        $e.Exception.Message | Should -Match 'not a SQL Server instance name'
    }

    It 'SQL Server is the default parameter set of the database cmdlets' {
        foreach ($name in 'Backup-OsDatabase', 'Get-OsDatabaseBackup', 'Remove-OsDatabaseBackup', 'Restore-OsDatabase', 'Compare-OsDatabaseData', 'Export-OsDataDelta', 'Import-OsDataDelta', 'Get-OsSchemaDrift') {
            (Get-Command $name).DefaultParameterSet | Should -Be 'SqlServer' -Because $name
        }
    }

    It 'Get-Command -Syntax lists the SQL Server set first, and an instance name binds by position' {
        foreach ($name in 'Backup-OsDatabase', 'Get-OsDatabaseBackup', 'Remove-OsDatabaseBackup', 'Restore-OsDatabase', 'Get-OsSchemaDrift', 'Compare-OsDatabaseData') {
            $first = (Get-Command $name -Syntax).Trim() -split '\r?\n' | Where-Object { $_ } | Select-Object -First 1
            $first | Should -Match '-SqlInstance' -Because "$name lists SQL Server first"
            $first | Should -Not -Match '-SqlitePath' -Because $name
        }
        # As in dbatools: the instance first, then the folder; a named -SqlInstance leaves the first position to -Path.
        $script = Backup-OsDatabase sql05 D:\b -Database outsystems -EngineEdition 3 -OutputScriptOnly
        $script | Should -Match 'on sql05'
        $script | Should -Match "TO DISK = N'D:\\b\\outsystems_sql05_"
        $named = Backup-OsDatabase -SqlInstance sql05 D:\b -Database outsystems -EngineEdition 3 -OutputScriptOnly
        $named | Should -Match "TO DISK = N'D:\\b\\outsystems_sql05_"
    }

    It 'a folder by position in front of a piped instance fails at binding instead of going elsewhere' {
        $e = Get-ErrorRecord { 'sql01' | Backup-OsDatabase D:\b -Database outsystems -EngineEdition 3 -OutputScriptOnly -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'CannotConvertArgument*,*'
        $e = Get-ErrorRecord { 'sql01' | Backup-OsDatabase /srv/b -Database outsystems -EngineEdition 3 -OutputScriptOnly -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'InputObjectNotBound,*'
    }

    It 'the folder keeps the first position in the SQLite set' {
        $dir = New-TestDirectory
        $db = Join-Path $dir 'platform.sqlite'
        Set-Content -Path $db -Value '' -NoNewline
        $backup = Backup-OsDatabase $dir -SqlitePath $db
        $backup.FilePath | Should -BeLike (Join-Path $dir '*')
        @(Get-OsDatabaseBackup $dir -SqlitePath $db) | Should -HaveCount 1
    }

    It "'sql01' | Get-OsDatabaseBackup without -Database reads the instance's msdb for all its databases" {
        # Nothing listens on port 1: the point is where it goes (msdb of the instance), not DatabaseNameRequired.
        $results = '127.0.0.1,1' | Get-OsDatabaseBackup -TrustServerCertificate -ConnectTimeout 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DatabaseUnreachable,*'
        $err[0].Exception.Message | Should -Match "database 'msdb'"
    }

    It 'a command only SQL Server has, given a SQLite file, is SqlServerOnly and writes nothing' {
        $dir = New-TestDirectory
        $db = Join-Path $dir 'platform.sqlite'
        $e = Get-ErrorRecord { Backup-OsDatabase -SqlInstance $db -Path $dir -OutputScriptOnly -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'SqlServerOnly,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.ErrorDetails.RecommendedAction | Should -Match 'SQL Server instance'
        Get-ChildItem $dir | Should -BeNullOrEmpty
    }

    It '-WhatIf of a SQLite backup says the engine verifies it and writes nothing' {
        $dir = New-TestDirectory
        $db = Join-Path $dir 'platform.sqlite'
        Set-Content -Path $db -Value '' -NoNewline
        $backups = Join-Path $dir 'backups'
        $null = New-Item -ItemType Directory $backups
        $child = Invoke-ChildPwsh "Import-Module '$(Get-OsRollbackModulePath)'; Backup-OsDatabase -SqlitePath '$db' -Path '$backups' -WhatIf"
        ($child.Output -join ' ') | Should -Match 'What if: .*Full backup to .*backups, then verify it'
        ($child.Output -join ' ') | Should -Not -Match 'copy-only'
        Get-ChildItem $backups | Should -BeNullOrEmpty
    }

    It '-Last given as a dbatools switch fails at binding instead of meaning something else' {
        $e = Get-ErrorRecord { Get-OsDatabaseBackup -SqlInstance sql01 -Database outsystems -Last }
        $e.FullyQualifiedErrorId | Should -BeLike 'MissingArgument,*'
        (Get-Command Get-OsDatabaseBackup).Parameters['Newest'].Aliases | Should -Contain 'Last'
    }

    It 'every cmdlet that takes -SqlInstance takes the one database-instance type' {
        $commands = Get-Command -Module OsRollback -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('SqlInstance') -and $_.Name -ne 'Test-OsDatabaseBackup' }
        $commands.Count | Should -BeGreaterThan 10
        foreach ($command in $commands) {
            $command.Parameters['SqlInstance'].ParameterType.Name | Should -BeIn 'DatabaseInstanceParameter', 'DatabaseInstanceParameter[]' -Because $command.Name
        }
    }

    It 'ComputerName, InstanceName and CompressionRatio read as in dbatools for SQL Server backups' {
        $named = [OsRollback.BackupResult]@{ SqlInstance = 'tcp:sql01\OS,1433'; Database = 'outsystems'; Size = 1000; CompressedSize = 250 }
        $named.ComputerName | Should -Be 'sql01'
        $named.InstanceName | Should -Be 'OS'
        $named.CompressionRatio | Should -Be 4
        $default = [OsRollback.BackupResult]@{ SqlInstance = 'sql02,1433'; Database = 'outsystems'; Size = 10 }
        $default.ComputerName | Should -Be 'sql02'
        $default.InstanceName | Should -Be 'MSSQLSERVER'
        $default.CompressionRatio | Should -Be 1
    }

    Context 'backup history on SQLite' {
        BeforeAll {
            $dir = New-TestDirectory
            $db = Join-Path $dir 'platform.sqlite'
            $backups = Join-Path $dir 'backups'
            $null = New-Item -ItemType Directory $backups
            Set-Content -Path $db -Value '' -NoNewline   # an empty file is an empty SQLite database
            1..2 | ForEach-Object { $null = Backup-OsDatabase -SqlitePath $db -Path $backups }
            $history = Get-OsDatabaseBackup -SqlitePath $db -Path $backups
        }

        It '-LastFull is the newest full backup, as in dbatools; -Last N still means the newest N' {
            $history | Should -HaveCount 2
            $latest = Get-OsDatabaseBackup -SqlitePath $db -Path $backups -LastFull
            @($latest) | Should -HaveCount 1
            $latest.FilePath | Should -Be $history[0].FilePath
            (Get-OsDatabaseBackup -SqlitePath $db -Path $backups -Last 1).FilePath | Should -Be $history[0].FilePath
            @(Get-OsDatabaseBackup -SqlitePath $db -Path $backups -Newest 2) | Should -HaveCount 2
        }

        It '-LastFull with -Newest is BackupCountAmbiguous' {
            $e = Get-ErrorRecord { Get-OsDatabaseBackup -SqlitePath $db -Path $backups -LastFull -Newest 2 }
            $e.FullyQualifiedErrorId | Should -BeLike 'BackupCountAmbiguous,*'
        }

        It 'backups carry the property names of Get-DbaDbBackupHistory beside their own' {
            $backup = $history[0]
            $backup.FullName | Should -Be $backup.FilePath
            $backup.TotalSize | Should -Be $backup.Size
            $backup.Type | Should -Be 'Full'
            $backup.BackupSetId | Should -Be $backup.BackupId
            $backup.PSObject.Properties.Name | Should -Contain 'CompressedBackupSize'
        }

        It 'backups show the columns of Get-DbaDbBackupHistory by their dbatools names' {
            $backup = $history[0]
            foreach ($name in 'ComputerName', 'InstanceName', 'SqlInstance', 'Database', 'Type', 'TotalSize', 'CompressedBackupSize', 'CompressionRatio', 'Start', 'End', 'Duration', 'FullName', 'BackupSetId', 'IsCopyOnly', 'FirstLsn', 'LastLsn', 'RecoveryModel') {
                $backup.PSObject.Properties.Name | Should -Contain $name -Because "dbatools' BackupHistory has $name"
            }
            $backup.ComputerName | Should -Be $backup.ServerName
            $backup.CompressionRatio | Should -Be 1
        }
    }
}
