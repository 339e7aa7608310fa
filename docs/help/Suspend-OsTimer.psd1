@{
    Synopsis    = 'Suspends OutSystems timers, recording each one''s next run so that Resume-OsTimer restores exactly that.'
    Description = @'
Reads the timers of a platform database (OSSYS_META_CYCLIC_JOB and OSSYS_CYCLIC_JOB_SHARED, on SQL Server or SQLite), records each selected timer's NEXT_RUN, and moves it to 2999-12-31 so that the scheduler (which runs a timer when NEXT_RUN is due) leaves it alone. A timer that is running is not interrupted (a warning says so); a timer already suspended is left out with a warning.

Returns the state (and writes it to -StatePath as JSON): give it to Resume-OsTimer to restore every recorded NEXT_RUN. The change runs in one transaction. -WhatIf lists the timers and changes nothing.
'@
    Parameters  = @{
        Name                   = 'Only timers with these names (wildcards allowed). Default: all timers.'
        StatePath              = 'Also write the state to this JSON file (keep it until Resume-OsTimer has run). The file is written before the suspension commits, and an existing file is never overwritten (TimerStateExists): nothing is suspended then.'
        SqlInstance            = 'The SQL Server instance that holds the OutSystems platform database. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The OutSystems platform database on -SqlInstance (often "outsystems"). Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        SqlitePath             = 'Path of a SQLite platform database (the sandbox''s, or a drill copy) with the OSSYS_* tables.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Platform.TimerSuspensionState (Database, SuspendedOn, Timers with their prior NextRun)')
    Examples    = @(
        @{
            Title   = 'Suspend all timers before a restore'
            Code    = '$timers = Suspend-OsTimer -SqlInstance sql01 -Database outsystems -StatePath ./timers.json'
            Remarks = 'Every timer''s next run is recorded in $timers and in timers.json.'
        }
        @{
            Title   = 'Resume them afterwards'
            Code    = 'Resume-OsTimer -SqlInstance sql01 -Database outsystems -State ./timers.json'
            Remarks = 'Restores the recorded next runs.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Resume-OsTimer', 'Set-OsMaintenanceMode')
}
