@{
    Synopsis    = 'Restores a database backup under another name, or over the original after a verified safety backup.'
    Description = @'
Restore-OsDatabase is the last-resort rollback step: it restores the pre-deploy backup over the platform database, or a backup as a parallel database (to recover data written since the deploy).

SQL Server: the cmdlet reads RESTORE HEADERONLY (which database the backup holds) and RESTORE FILELISTONLY first, and maps every file with MOVE: to -DestinationDataDirectory and -DestinationLogDirectory when given; over the existing database of the same name, otherwise to the current path of its file with the same logical name (sys.master_files), so the files stay where they are; otherwise (a new database, or a logical name the existing one does not have) to the server's default data and log folders. When the database is restored under another name (-DatabaseName), the files are renamed to match (<name>.mdf, <name>_<logical>.ndf, <name>_log.ldf), so they never collide with the original's.

Replacing an existing database needs -WithReplace and asks for confirmation as a High-impact action does (while $ConfirmPreference is High, the default; -Confirm:$false skips it). The cmdlet itself has ConfirmImpact Medium, so a restore under a new name does not prompt and a safety backup of the current database: by default the cmdlet takes a copy-only backup of it and verifies it (VERIFYONLY WITH CHECKSUM, or the SQLite integrity check) before anything is changed; or you pass one with -SafetyBackup, which must be a verified backup of that same database no older than -SafetyBackupMaxAge. Without a valid safety backup the cmdlet refuses and says why (SafetyBackupMissing, SafetyBackupNotVerified, SafetyBackupTooOld, SafetyBackupOfAnotherDatabase). A backup of another database is refused over an existing one unless -Force is given (BackupOfAnotherDatabase). SQL Server: when the existing database is not ONLINE (RESTORING after a restore that was cut short, RECOVERY_PENDING, SUSPECT), nothing readable is left to protect and it cannot be backed up, so the cmdlet warns, takes no safety backup and sets no SINGLE_USER, and restores WITH REPLACE; this is how a second run (Invoke-OsRollback -Resume) completes an interrupted restore.

Exclusive access: ALTER DATABASE ... SET SINGLE_USER WITH ROLLBACK IMMEDIATE runs in the same batch as the RESTORE, which narrows (but does not close) the window in which another session can take the one connection; afterwards the database is set back to MULTI_USER WITH ROLLBACK IMMEDIATE, also when the restore fails. RESTORE runs WITH CHECKSUM, without a command timeout, and its STATS messages become progress.

Azure SQL Database: a backup made by Backup-OsDatabase there is a database copy; piping it (CopyDatabaseName) makes the copy the database by swapping names, and the replaced database is kept under <name>_replaced_<timestamp> as the safety copy.

SQLite: the backup is checked first (the XxHash128 checksum from its metadata file and PRAGMA quick_check, side by side), then copied with the SQLite backup API into the target file, page by page under the target's write lock, with this process's connection pools cleared. Another process that uses the file (the sandbox, which opens a connection per request) sees the restored content on its next connection; a writer that keeps the file locked makes the cmdlet retry and then fail with DatabaseBusy, leaving the file unchanged.

-WhatIf says what would be restored, where, and which safety backup would be taken: the restore is planned once (SQL Server and SQLite) and the plan -WhatIf shows is the one that runs; a SQLite file that appeared or vanished since the plan was made is refused (RestoreTargetChanged). -OutputScriptOnly (SQL Server) reads the backup's header and file list and returns the script without changing anything.
'@
    Parameters  = @{
        FilePath                 = 'The backup file(s) to restore (all stripes of one backup) or Azure Blob URL(s). Binds by property name from Backup-OsDatabase, Get-OsDatabaseBackup and Test-OsDatabaseBackup. By position: second in the SQL Server set (after -SqlInstance), first in the SQLite set.'
        CopyDatabaseName         = 'Azure SQL Database: the database copy made by Backup-OsDatabase (binds by property name). The restore renames the current database and gives the copy its name.'
        DatabaseName             = 'SQL Server: restore under this name instead of -Database (the parallel database of the runbook); the files are renamed to match.'
        WithReplace              = 'Allow replacing an existing database. A verified safety backup of it is taken first (or -SafetyBackup is checked).'
        Force                    = 'Allow replacing an existing database with a backup of a different database.'
        DestinationDataDirectory = 'SQL Server: folder (on the server) for the data files. Default: over an existing database, where its data files are now (same logical name); otherwise the server''s default data folder.'
        DestinationLogDirectory  = 'SQL Server: folder (on the server) for the log file. Default: over an existing database, where its log file is now (same logical name); otherwise the server''s default log folder.'
        SafetyBackup             = 'A verified backup of the database being replaced (the output of Backup-OsDatabase -Verify) to use instead of taking a new one. It must be of the same database, no older than -SafetyBackupMaxAge, not the backup being restored (SafetyBackupIsRestoreSource), and, for SQLite, its file must still exist (SafetyBackupFileMissing).'
        SafetyBackupMaxAge       = 'How old -SafetyBackup may be (default 1 hour), measured from when it finished.'
        SafetyBackupPath         = 'Folder for the safety backup the cmdlet takes. Default: for SQLite the folder of the backup being restored; for SQL Server the server''s default backup folder.'
        OutputScriptOnly         = 'SQL Server: return the restore script (with MOVE mapping, SINGLE_USER/MULTI_USER) instead of running it. The backup header and file list are read; nothing is changed.'
        SqlInstance              = 'One or more instances (arrays and pipeline input by property name, e.g. from Get-DbaDatabase); each instance x database is one item. The SQL Server instance to restore on, as for dbatools: server, server\instance or server,port. Instance names also pipe in as strings (''sql01'' | ...); each may be a connection string or a dbatools/SMO object (SqlInstance, DomainInstanceName, ComputerName). It is the first positional parameter, as in dbatools.'
        Database                 = 'One or more databases (binds by property name, also as Name). The database to restore into (it is created, or replaced with -WithReplace). Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential            = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. Restore needs dbcreator or sysadmin.'
        TrustServerCertificate   = 'Accept the SQL Server certificate without validating it (development instances).'
        ConnectTimeout           = 'Seconds to wait for the SQL Server connection (default 15). RESTORE itself has no timeout.'
        SqlitePath               = 'One or more SQLite files (binds by property name); each is one item. The SQLite database file to restore into: a new file (restore under another name) or an existing one (needs -WithReplace).'
        EnableException          = 'Makes the failure of one database (or backup) a terminating error, for scripts that use try/catch. Without it each failed item is a non-terminating error with a stable ErrorId and the command goes on with the next one, as in dbatools.'
    }
    Inputs      = @('OsRollback.Engine.Database.BackupResult, or any object with FilePath (and, for Azure SQL Database, CopyDatabaseName)')
    Outputs     = @('OsRollback.Engine.Database.RestoreResult (Database, SourceDatabase, BackupFilePath, BackupStart, Files, ReplacedExisting, SafetyBackup, Start, End, Duration)', 'System.String (with -OutputScriptOnly)')
    Examples    = @(
        @{
            Title   = 'Restore a backup as a parallel database'
            Code    = 'Restore-OsDatabase -SqlitePath ./platform_parallel.db -FilePath ./backups/platform_HOST_20261126_100000.sqlite -Confirm:$false'
            Remarks = 'The target does not exist, so nothing is replaced and no safety backup is needed.'
        }
        @{
            Title   = 'Roll the platform database back to the pre-deploy backup'
            Code    = 'Get-OsDatabaseBackup -SqlInstance sql01 -Database outsystems -LastFull | Restore-OsDatabase -SqlInstance sql01 -Database outsystems -WithReplace'
            Remarks = 'Takes and verifies a copy-only safety backup of the current database, then restores with SINGLE_USER WITH ROLLBACK IMMEDIATE in the same batch, and sets MULTI_USER again. Asks for confirmation, because it replaces a database.'
        }
        @{
            Title   = 'Restore the pre-rollback data beside the original, under another name'
            Code    = '$before | Restore-OsDatabase -SqlInstance sql01 -Database outsystems -DatabaseName outsystems_before_rollback -DestinationDataDirectory E:\Data -Confirm:$false'
            Remarks = 'The files become outsystems_before_rollback.mdf and outsystems_before_rollback_log.ldf.'
        }
        @{
            Title   = 'See what would happen'
            Code    = 'Restore-OsDatabase -SqlitePath ./platform.db -FilePath ./backups/platform.sqlite -WithReplace -WhatIf'
            Remarks = 'Says which backup would replace which database and where the safety backup would go; nothing is changed.'
        }
        @{
            Title   = 'Use a safety backup taken earlier in the runbook'
            Code    = '$safety = Backup-OsDatabase -SqlInstance sql01 -Database outsystems -Path D:\Backup -Verify; Restore-OsDatabase -SqlInstance sql01 -Database outsystems -FilePath D:\Backup\predeploy.bak -WithReplace -SafetyBackup $safety -SafetyBackupMaxAge 00:30:00 -Confirm:$false'
            Remarks = 'No second safety backup is taken; the given one must be verified, of outsystems, and at most 30 minutes old.'
        }
    )
    Notes       = 'The database is always left usable: MULTI_USER after a failed restore, and nothing is deleted. Errors have stable ids: DatabaseExists, BackupOfAnotherDatabase, BackupCorrupt, DatabaseBusy, DiskFull, ConnectionLost, BackupPathNotFound, BackupFileNotFound and the SafetyBackup* ids.'
    Links       = @('Backup-OsDatabase', 'Test-OsDatabaseBackup', 'Get-OsDatabaseBackup')
}
