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

    It 'every cmdlet that takes -SqlInstance takes the one database-instance type' {
        $commands = Get-Command -Module OsRollback -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('SqlInstance') -and $_.Name -ne 'Test-OsDatabaseBackup' }
        $commands.Count | Should -BeGreaterThan 10
        foreach ($command in $commands) {
            $command.Parameters['SqlInstance'].ParameterType.Name | Should -BeIn 'DatabaseInstanceParameter', 'DatabaseInstanceParameter[]' -Because $command.Name
        }
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
    }
}
