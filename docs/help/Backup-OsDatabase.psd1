@{
    Synopsis    = 'Takes a verified, copy-only full backup of a database: the first step of every rollback point.'
    Description = @'
Backup-OsDatabase backs up the OutSystems platform database (SQL Server) or a SQLite database (the sandbox's platform database, drills) and returns one object read back from the backup history, which pipes into Test-OsDatabaseBackup and Restore-OsDatabase.

SQL Server: BACKUP DATABASE ... TO DISK (one file per -Path folder, striped when several are given; or the exact -FilePath files) or TO URL (Azure Blob). The backup is COPY_ONLY unless -CopyOnly:$false is given, so a pre-deploy backup never breaks the log chain or the differential base of the regular backup jobs. CHECKSUM is always used. COMPRESSION is used when the server's edition supports it: the cmdlet reads SERVERPROPERTY('EngineEdition') and 'Edition' first (Standard, Enterprise, Developer and Managed Instance compress; Express and Web do not). Progress comes from the server's STATS messages, and BACKUP runs without a command timeout. -Verify then runs RESTORE VERIFYONLY ... WITH CHECKSUM. The result is read from msdb.dbo.backupset (files, start and finish, size and compressed size, first and last LSN, copy-only, checksum, recovery model).

File names follow the pattern {Database}_{Server}_{Timestamp} (UTC, yyyyMMdd_HHmmss), with _<n>of<N> added for each stripe and .bak (SQL Server) or .sqlite (SQLite) as extension; characters that are not valid in file names become "_". -FileNamePattern changes it (tokens {Database}, {Server}, {Timestamp}, {Stripe}, {Stripes}). An existing file is never overwritten unless -Initialize is given (SQL Server: WITH FORMAT, INIT); without it SQL Server appends another backup set to an existing file, so use -Initialize for a file name you reuse.

Azure SQL Database (engine edition 5) cannot back up to disk: there the cmdlet detects the edition and makes a transactionally consistent copy instead (CREATE DATABASE [<db>_osrollback_<timestamp>] AS COPY OF [<db>]), waits until the copy is ONLINE, and returns it with Kind = DatabaseCopy and CopyDatabaseName; Restore-OsDatabase swaps names to restore it.

SQLite: the SQLite online backup API copies the database page by page into a new file (readers and writers of the source may keep working), the copy passes PRAGMA quick_check before it gets its final name, and a metadata file (<backup>.osrollback.json, with an XxHash128 checksum and the size of the backup) is written beside it so that Get-OsDatabaseBackup, Remove-OsDatabaseBackup and Test-OsDatabaseBackup work. A SQLite backup is always verified.

-OutputScriptOnly returns the T-SQL instead of running it, without connecting to the server: what the cmdlet would otherwise probe (the edition, hence compression) comes from -EngineEdition or is stated as an assumption in a comment at the top of the script; without -Path the script asks the server for its default backup folder (SERVERPROPERTY('InstanceDefaultBackupPath')) when it runs. Database names are written as delimited identifiers and paths as N'...' literals, so no input can inject T-SQL.
'@
    Parameters  = @{
        Path                   = 'Folder(s) to write the backup to. For SQL Server the folders are on the SQL Server machine (or a share its service account can write); several folders stripe the backup, one file in each. Without -Path, -FilePath or -Url, SQL Server uses its default backup folder. For SQLite, a folder on this machine that must exist: a missing one is the error BackupPathNotFound (as in dbatools, so a mistyped folder is not created silently) unless -BuildPath is given. By position: second in the SQL Server set (after -SqlInstance), first in the SQLite set.'
        BuildPath              = 'SQLite: create a missing -Path folder (or the folder of a -FilePath) instead of failing with BackupPathNotFound, as dbatools'' -BuildPath does; with -WhatIf the folder is only announced. SQL Server backup folders are the server''s: it reports a missing one itself.'
        FilePath               = 'Exact backup file path(s) instead of a generated name (several stripe a SQL Server backup). An existing file is never overwritten unless -Initialize is given.'
        Url                    = 'Azure Blob container URL(s) for BACKUP TO URL, such as https://account.blob.core.windows.net/backups. The server must hold a Shared Access Signature credential named after the container URL (CREATE CREDENTIAL [https://account.blob.core.windows.net/backups] WITH IDENTITY = ''SHARED ACCESS SIGNATURE'', SECRET = ''...''); restore and verification use the same credential.'
        CopyOnly               = 'Take a copy-only backup (the default), which leaves the log chain and the differential base of the regular backup jobs untouched. Use -CopyOnly:$false for a normal full backup.'
        NoCompression          = 'Do not compress the backup even when the edition supports compression.'
        Verify                 = 'After the backup, run RESTORE VERIFYONLY ... WITH CHECKSUM and set Verified on the result. (SQLite backups are always checked with PRAGMA quick_check.)'
        Initialize             = 'Overwrite the backup file(s) (WITH FORMAT, INIT) instead of appending a backup set; use it for a file name you reuse.'
        FileNamePattern        = 'Pattern of the generated file name, without extension. Tokens: {Database}, {Server}, {Timestamp} (UTC yyyyMMdd_HHmmss), {Stripe}, {Stripes}. Default: {Database}_{Server}_{Timestamp}.'
        OutputScriptOnly       = 'Return the T-SQL script instead of running it; nothing connects to the server. Server facts the cmdlet would probe come from -EngineEdition or are stated as assumptions in comments at the top.'
        EngineEdition          = 'With -OutputScriptOnly: the server''s SERVERPROPERTY(''EngineEdition'') (2 Standard, 3 Enterprise/Developer, 4 Express, 5 Azure SQL Database, 8 Managed Instance), which decides compression and whether a database copy replaces BACKUP. Without it, Enterprise is assumed and the script says so.'
        SqlInstance            = 'One or more instances (arrays and pipeline input by property name, e.g. from Get-DbaDatabase); each instance x database is one item. The SQL Server instance, as for dbatools: server, server\instance or server,port. Instance names also pipe in as strings (''sql01'' | ...); each may be a connection string or a dbatools/SMO object (SqlInstance, DomainInstanceName, ComputerName). It is the first positional parameter, as in dbatools.'
        Database               = 'One or more databases (binds by property name, also as Name). The database to back up (for example the OutSystems platform database, often "outsystems"). Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15). BACKUP itself has no timeout.'
        SqlitePath             = 'One or more SQLite files (binds by property name); each is one item. Path of the SQLite database to back up.'
        EnableException          = 'Makes the failure of one database (or backup) a terminating error, for scripts that use try/catch. Without it each failed item is a non-terminating error with a stable ErrorId and the command goes on with the next one, as in dbatools.'
    }
    Inputs      = @('Objects with SqlInstance and Database (or Name) properties, such as the output of dbatools'' Get-DbaDatabase, or with SqlitePath')
    Outputs     = @('OsRollback.Engine.Database.BackupResult (Database, SqlInstance or SqlitePath, Engine, Kind, FilePath, Path, Start, End, Size, CompressedSize, FirstLsn, LastLsn, IsCopyOnly, HasChecksum, RecoveryModel, Verified, BackupId, CopyDatabaseName)', 'System.String (with -OutputScriptOnly)')
    Examples    = @(
        @{
            Title   = 'Back up the sandbox''s platform database'
            Code    = 'Backup-OsDatabase -SqlitePath ./sandbox/platform.db -Path ./backups'
            Remarks = 'Writes ./backups/platform_<machine>_<UTC timestamp>.sqlite and its .osrollback.json metadata file, after an integrity check of the copy.'
        }
        @{
            Title   = 'A verified pre-deploy backup of the platform database, striped over two folders'
            Code    = 'Backup-OsDatabase -SqlInstance sql01 -Database outsystems -Path D:\Backup, E:\Backup -Verify'
            Remarks = 'Copy-only, with CHECKSUM and (when the edition supports it) COMPRESSION; RESTORE VERIFYONLY runs afterwards. Progress shows the server''s percent processed.'
        }
        @{
            Title   = 'Back up, verify, and restore as a parallel database in one pipeline'
            Code    = 'Backup-OsDatabase -SqlitePath ./platform.db -Path ./backups | Test-OsDatabaseBackup -TestRestore | Where-Object IsValid | Restore-OsDatabase -SqlitePath ./platform_parallel.db -Confirm:$false'
            Remarks = 'FilePath binds by property name. Test-OsDatabaseBackup passes its object on (its FilePath property binds to Restore-OsDatabase).'
        }
        @{
            Title   = 'Get the script for a DBA to review, without connecting'
            Code    = 'Backup-OsDatabase -SqlInstance sql01 -Database outsystems -Path \\nas\backups -EngineEdition 2 -Verify -OutputScriptOnly'
            Remarks = 'Returns the BACKUP DATABASE and RESTORE VERIFYONLY statements, with the assumptions in comments at the top.'
        }
    )
    Notes       = 'Needs db_backupoperator (or sysadmin) on SQL Server, and on Azure SQL Database the right to create databases on the server. On Linux SQL Server paths use "/". SQLite backup speed is in docs/benchmarks.md; the full guide is docs/database.md.'
    Links       = @('Test-OsDatabaseBackup', 'Restore-OsDatabase', 'Get-OsDatabaseBackup', 'Remove-OsDatabaseBackup')
}
