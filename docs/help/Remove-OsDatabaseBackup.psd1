@{
    Synopsis    = 'Applies retention to scheduled backups: removes old backups, only ones this module wrote.'
    Description = @'
Remove-OsDatabaseBackup keeps the newest -KeepLast backups of a database, or removes those older than -OlderThan (both may be given: then a backup goes only when it is beyond the newest N and older than the age). It only ever removes backups this module wrote: for SQLite, files with an OsRollback metadata file (both are deleted); for SQL Server, backups whose msdb description is OsRollback, whose files are deleted when this machine can reach their path (a share, or a local folder on the server) and named in a warning otherwise. Backups written by anything else are never touched. msdb history is left to the server's own history cleanup.

Each removal goes through ShouldProcess (ConfirmImpact High): -WhatIf lists what would be removed, and scheduled jobs pass -Confirm:$false. The removed backups are returned.
'@
    Parameters  = @{
        Path                   = 'The backup folder(s) retention applies to (required, SQLite and SQL Server: RetentionPathRequired otherwise). Only backups this module wrote with a file under these folders are considered, and never a backup inside a rollback point folder (those go with Remove-OsRollbackPoint). By position: second in the SQL Server set (after -SqlInstance), first in the SQLite set.'
        KeepLast               = 'Keep the newest N backups (at least 1) and remove the older ones.'
        OlderThan              = 'Remove backups started longer ago than this age, for example (New-TimeSpan -Days 14) or ''14.00:00:00''.'
        SqlInstance            = 'One or more instances (arrays and pipeline input by property name, e.g. from Get-DbaDatabase); each instance x database is one item. The SQL Server instance whose msdb holds the history. Instance names also pipe in as strings (''sql01'' | ...); each may be a connection string or a dbatools/SMO object (SqlInstance, DomainInstanceName, ComputerName). It is the first positional parameter, as in dbatools.'
        Database               = 'One or more databases (binds by property name, also as Name). The database whose backups are considered. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        SqlitePath             = 'One or more SQLite files (binds by property name); each is one item. The SQLite database whose backups are considered.'
        EnableException          = 'Makes the failure of one database (or backup) a terminating error, for scripts that use try/catch. Without it each failed item is a non-terminating error with a stable ErrorId and the command goes on with the next one, as in dbatools.'
    }
    Inputs      = @('Objects with SqlInstance and Database (or Name) properties, such as the output of dbatools'' Get-DbaDatabase, or with SqlitePath')
    Outputs     = @('OsRollback.Engine.Database.BackupResult (the backups removed)')
    Examples    = @(
        @{
            Title   = 'Keep the last 7 pre-deploy backups'
            Code    = 'Remove-OsDatabaseBackup -SqlitePath ./platform.db -Path ./backups -KeepLast 7 -Confirm:$false'
            Remarks = 'Removes older backups written by Backup-OsDatabase and their metadata files; other files in the folder are untouched.'
        }
        @{
            Title   = 'See what a 14-day retention would remove'
            Code    = 'Remove-OsDatabaseBackup -SqlInstance sql01 -Database outsystems -Path \\nas\backups -OlderThan 14.00:00:00 -WhatIf'
            Remarks = 'Lists each backup that would be removed; nothing is deleted.'
        }
    )
    Notes       = 'See examples/scheduled-backup for a Windows scheduled task, a systemd timer, a cron line and an Azure DevOps step that back up and apply retention.'
    Links       = @('Get-OsDatabaseBackup', 'Backup-OsDatabase')
}
