@{
    Synopsis    = 'Checks that a backup can be restored, and says exactly what was checked and how.'
    Description = @'
Test-OsDatabaseBackup checks one backup per input and returns an object with IsValid and the list of Checks, each with its Name, the Method used (the exact statement or check), whether it Passed and the Detail found.

SQL Server (when -SqlInstance is given or piped): RESTORE HEADERONLY (which database, backup type, start, whether checksums are present), RESTORE FILELISTONLY (the files inside), and RESTORE VERIFYONLY ... WITH CHECKSUM (the backup set is complete and readable and every page checksum matches). -TestRestore then restores the backup to a scratch database (OsRollbackTest_<database>_<id>) with every file moved and renamed, runs DBCC CHECKDB WITH NO_INFOMSGS, ALL_ERRORMSGS on it, and drops it again, also when a step fails, as dbatools' Test-DbaLastBackup does.

SQLite (no -SqlInstance): the file header, the checksum (XxHash128) and size recorded in the metadata file when there is one (a bare file is accepted too), and PRAGMA integrity_check. -TestRestore restores it with the backup API into a scratch file, runs PRAGMA integrity_check on that, and deletes it.

A failed check writes the object and a non-terminating error (BackupVerificationFailed), so -ErrorAction Stop stops a pipeline or a runbook on a bad backup. The cmdlet goes on with the next input after an error.
'@
    Parameters  = @{
        FilePath               = 'The backup file(s) of one backup (all stripes) or an Azure Blob URL. Binds by property name from Backup-OsDatabase and Get-OsDatabaseBackup, and from Get-ChildItem (FullName).'
        SqlInstance            = 'The SQL Server that reads a SQL Server backup (the paths are resolved on that machine). Binds by property name. Leave it out for a SQLite backup file.'
        EnableException          = 'Makes the failure of one database (or backup) a terminating error, for scripts that use try/catch. Without it each failed item is a non-terminating error with a stable ErrorId and the command goes on with the next one, as in dbatools.'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15). The checks themselves have no timeout.'
        TestRestore            = 'Also restore the backup to a scratch database (SQL Server) or scratch file (SQLite), check it (DBCC CHECKDB or PRAGMA integrity_check), and drop it.'
        DataDirectory          = 'Where the scratch restore puts its data files (default: the server''s default data folder; for SQLite the temporary folder).'
        LogDirectory           = 'Where the scratch restore puts its log file (default: the server''s default log folder).'
    }
    Inputs      = @('OsRollback.Engine.Database.BackupResult, or any object with FilePath (or FullName) and optionally SqlInstance')
    Outputs     = @('OsRollback.Engine.Database.BackupVerification (IsValid, Checks, FilePath, Engine, Database, BackupStart, Size, Files, ScratchDatabase, Duration)')
    Examples    = @(
        @{
            Title   = 'Check the backup just taken, with a test restore'
            Code    = 'Backup-OsDatabase -SqlInstance sql01 -Database outsystems -Path D:\Backup | Test-OsDatabaseBackup -TestRestore'
            Remarks = 'HEADERONLY, FILELISTONLY, VERIFYONLY WITH CHECKSUM, then a restore as OsRollbackTest_outsystems_<id>, DBCC CHECKDB and DROP DATABASE.'
        }
        @{
            Title   = 'A bare SQLite file'
            Code    = 'Test-OsDatabaseBackup -FilePath ./copy-of-platform.db | Select-Object -ExpandProperty Checks'
            Remarks = 'Without a metadata file the checksum check is skipped (the output says so); PRAGMA integrity_check still runs.'
        }
        @{
            Title   = 'Check every backup in a folder'
            Code    = 'Get-OsDatabaseBackup -SqlitePath ./platform.db -Path ./backups | Test-OsDatabaseBackup | Format-Table IsValid, FilePath'
            Remarks = 'One result per backup; a bad one also writes an error and the others are still checked.'
        }
    )
    Notes       = 'DBCC CHECKDB on a large database takes time and space equal to the database: run -TestRestore against a server with room for it.'
    Links       = @('Backup-OsDatabase', 'Restore-OsDatabase', 'Get-OsDatabaseBackup')
}
