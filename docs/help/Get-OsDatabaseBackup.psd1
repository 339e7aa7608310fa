@{
    Synopsis    = 'Lists the full backups of a database (or of every user database on an instance), newest first.'
    Description = @'
Get-OsDatabaseBackup reads the backup history of a database and returns the same objects as Backup-OsDatabase, so they pipe into Test-OsDatabaseBackup and Restore-OsDatabase.

SQL Server: full backups from msdb.dbo.backupset with their files from msdb.dbo.backupmediafamily, grouped per backup set. An instance given without a database (''sql01'' | Get-OsDatabaseBackup) lists every user database that exists on it (not master, model, msdb, tempdb), database by database, newest first, as dbatools' Get-DbaDbBackupHistory does without -Database; -Newest and -LastFull then count per database. Copy-only backups written by other tools are left out unless -IncludeCopyOnly is given (as in dbatools); copy-only backups written by this module are always listed. WrittenByOsRollback tells them apart. -Path narrows the list to backups with a file under one of the given folders.

SQLite: the metadata files (<backup>.osrollback.json) in the -Path folders, for the database named by -SqlitePath (matched by its file name), for backup files that still exist.
'@
    Parameters  = @{
        Path                   = 'SQLite: the backup folder(s) to read (required; the first positional parameter). SQL Server: only list backups with a file under these folders (second position, after -SqlInstance).'
        Since                  = 'Only backups started at or after this time.'
        Newest                 = 'Only the newest N backups of each database. Alias -Last, kept for scripts written before the rename: in dbatools -Last is a switch (the last backup chain), so the count has its own name; -LastFull is the dbatools switch.'
        LastFull               = 'Only the newest full backup of each database, as dbatools'' -LastFull (OsRollback writes and lists full backups only, so this is also dbatools'' -Last). Not with -Newest (BackupCountAmbiguous).'
        IncludeCopyOnly        = 'SQL Server: also list copy-only backups written by other tools.'
        SqlInstance            = 'One or more instances (arrays and pipeline input by property name, e.g. from Get-DbaDatabase); each instance x database is one item. The SQL Server instance whose msdb holds the history; the first positional parameter, as in dbatools (Get-OsDatabaseBackup sql01). Instance names also pipe in as strings (''sql01'' | ...); each may be a connection string or a dbatools/SMO object (SqlInstance, DomainInstanceName, ComputerName).'
        Database               = 'One or more databases (binds by property name, also as Name). The database whose backups are listed. Without it (and without a connection string or database object that names one), every user database on the instance is listed.'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        SqlitePath             = 'One or more SQLite files (binds by property name); each is one item. The SQLite database whose backups are listed (it need not exist any more).'
        EnableException          = 'Makes the failure of one database (or backup) a terminating error, for scripts that use try/catch. Without it each failed item is a non-terminating error with a stable ErrorId and the command goes on with the next one, as in dbatools.'
    }
    Inputs      = @('Objects with SqlInstance and Database (or Name) properties, such as the output of dbatools'' Get-DbaDatabase, or with SqlitePath')
    Outputs     = @('OsRollback.Engine.Database.BackupResult')
    Examples    = @(
        @{
            Title   = 'The latest backup of the platform database'
            Code    = 'Get-OsDatabaseBackup -SqlInstance sql01 -Database outsystems -LastFull'
            Remarks = 'Newest first; pipe it into Restore-OsDatabase or Test-OsDatabaseBackup.'
        }
        @{
            Title   = 'Instance names piped as strings, as with dbatools'
            Code    = "'sql01', 'sql02' | Get-OsDatabaseBackup -Database outsystems -Newest 3"
            Remarks = 'Each instance is one item; an unreachable one is a non-terminating error and the next goes on (-EnableException stops instead).'
        }
        @{
            Title   = 'Every database on an instance, as Get-DbaDbBackupHistory'
            Code    = "'sql01' | Get-OsDatabaseBackup -LastFull | Format-Table SqlInstance, Database, Type, TotalSize, Start, End"
            Remarks = 'The newest full backup of each user database on sql01, with the property names dbatools shows.'
        }
        @{
            Title   = 'SQLite backups of the last week'
            Code    = 'Get-OsDatabaseBackup -SqlitePath ./platform.db -Path ./backups -Since (Get-Date).AddDays(-7)'
            Remarks = 'Read from the metadata files Backup-OsDatabase writes beside each backup.'
        }
    )
    Notes       = 'msdb dates are the server''s local time.'
    Links       = @('Backup-OsDatabase', 'Remove-OsDatabaseBackup', 'Restore-OsDatabase')
}
