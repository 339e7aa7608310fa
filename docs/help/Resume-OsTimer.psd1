@{
    Synopsis    = 'Restores the timers suspended by Suspend-OsTimer to exactly their recorded next run.'
    Description = @'
Writes back each timer's NEXT_RUN recorded by Suspend-OsTimer, in one transaction. A timer whose next run was changed since the suspension (rescheduled by someone else), or that no longer exists, is left alone with a warning and listed in Skipped. -WhatIf changes nothing.
'@
    Parameters  = @{
        State                  = 'The object Suspend-OsTimer returned, or the path of the file written by its -StatePath. Accepts pipeline input.'
        SqlInstance            = 'The SQL Server instance that holds the OutSystems platform database. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The OutSystems platform database on -SqlInstance (often "outsystems"). Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        SqlitePath             = 'Path of a SQLite platform database (the sandbox''s, or a drill copy) with the OSSYS_* tables.'
    }
    Inputs      = @('OsRollback.Engine.Platform.TimerSuspensionState', 'System.String (path of a state file)')
    Outputs     = @('OsRollback.Engine.Platform.TimerResumeResult (Database, Restored, Skipped)')
    Examples    = @(
        @{
            Title   = 'Pipe the state'
            Code    = 'Suspend-OsTimer -SqlitePath ./production.db | Resume-OsTimer -SqlitePath ./production.db'
            Remarks = 'Suspends and immediately resumes (a drill).'
        }
        @{
            Title   = 'From the state file'
            Code    = 'Resume-OsTimer -SqlInstance sql01 -Database outsystems -State ./timers.json'
            Remarks = 'Restores the next runs recorded in the file.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Suspend-OsTimer')
}
