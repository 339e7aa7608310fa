@{
    Synopsis    = 'Takes a rollback point before a deploy: a verified database backup, the running versions, the solution package, the module graph and a schema snapshot.'
    Description = @'
Run New-OsRollbackPoint right before a deploy. It captures what a later rollback needs, into a new folder of the rollback point catalog:

- a verified full backup of the environment's database (copy-only on SQL Server), taken with the database parameters named as in Backup-OsDatabase (-SqlInstance/-Database/-SqlCredential, or -SqlitePath);
- the running version (tag) of every application and module of the environment, read from LifeTime;
- the solution package of those applications, downloaded, with its SHA-256;
- the module dependency graph (the format of Export-OsModuleGraph);
- a schema snapshot of the application tables (OSUSR_*: tables, columns, types, row counts, highest identity values);
- with -CatalogDatabase (SQL Server) or -CatalogSqlitePath (SQLite), a verified full backup of every other database catalog that eSpaces are bound to, each with its checksum and identity: the Database strategy restores them together with the platform database. A catalog backup that fails removes the whole rollback point.

-LoggingDatabase and -SessionDatabase are only recorded, so that plans name them as not touched: a rollback never restores the log database (it holds the evidence of the failed deploy) or the session database (transient state).

The folder holds rollback-point.json (a versioned manifest: every file with its size and SHA-256) and rollback-point.json.sha256 (sha256sum format, so the manifest can be checked with standard tools too). A rollback point holds no secret: the database is described by server and database name, or by file path.

The catalog is -CatalogPath, else the folder in the environment variable OSROLLBACK_HOME, else .osrollback in the user's profile. If any capture fails, the incomplete folder is removed. A solution package that cannot be downloaded is a warning: the rollback point is still written, and the Solution strategy will not be offered for it.

The database parameters are required, except where LifeTime says the environment's platform database is on Oracle (DatabaseProvider): OsRollback backs up and reads SQL Server (and the SQLite sandbox) only. There, given no database parameters, it captures the running versions and the solution package only and records in the manifest why the database was not captured (DatabaseNotCaptured; no backup, schema snapshot or module graph): the LifeTime and Solution strategies can use such a point, the Module and Database strategies say why they cannot, and Test-OsRollbackPoint passes and says the database was not captured. Back up an Oracle platform database with Oracle's own tools (RMAN, Data Pump). Database parameters given for an Oracle environment stop the command before anything is written (OracleDatabaseNotSupported: that database cannot be the platform database); without them, an environment that is not on Oracle stops it with DatabaseParametersRequired.
'@
    Parameters  = @{
        Environment            = 'The LifeTime environment about to receive the deploy, by name (e.g. Production).'
        Application            = 'The applications to capture, by name; default (or "all"): every application of the environment. An unknown name is an error that lists the closest names.'
        Connection             = 'The LifeTime connection returned by Connect-OsLifeTime. Default: the last connection made with Connect-OsLifeTime. The token stays inside the connection and is never written to the rollback point.'
        Description            = 'A note stored in the manifest, e.g. the release being deployed.'
        SkipSolutionPackage    = 'Do not download the solution package. The Solution strategy will not be available for this rollback point.'
        CatalogPath            = 'The catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
        SqlInstance            = 'The SQL Server instance of the environment''s database. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The environment''s OutSystems database on -SqlInstance. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is never stored or logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        SqlitePath             = 'Path of a SQLite database (the sandbox''s, or a drill copy) instead of SQL Server.'
        CatalogDatabase        = 'SQL Server: the other database catalogs that eSpaces are bound to (Service Center > Administration > Database Catalogs), by database name on -SqlInstance, with the same login. Each is backed up and verified with the platform database and restored with it by the Database strategy.'
        CatalogSqlitePath      = 'SQLite (sandbox, drills): the files of the other catalogs, backed up and restored with the platform database.'
        DiscoverCatalogsUnverified = 'SQL Server: also read the catalogs that active eSpaces are bound to from the platform database (OSSYS_DBCATALOG, without the ''(Main)'' entry). No public OutSystems source confirms that its NAME column is the database name, so the command warns, and stops (CatalogDiscoveryUnverified) when a name is not a database on the instance. Prefer -CatalogDatabase.'
        LoggingDatabase        = 'The separate log database (a database name on -SqlInstance, or a SQLite path). Recorded only: it is never backed up or restored, and plans say so.'
        SessionDatabase        = 'The session database (a database name on -SqlInstance, or a SQLite path). Recorded only: it is never backed up or restored, and plans say so.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Rollback.RollbackPoint (Id, Environment, CreatedAt, Applications, BackupTakenAt, HasSolutionPackage, Path)')
    Examples    = @(
        @{
            Title   = 'Before a production deploy'
            Code    = @'
$lt = Connect-OsLifeTime -Uri https://lifetime.example.com -TokenEnvironmentVariable LT_TOKEN
New-OsRollbackPoint -Environment Production -Connection $lt -SqlInstance sql01 -Database outsystems -Description 'Release 2026.11'
'@
            Remarks = 'Captures every application of Production and a verified backup of sql01\outsystems into the catalog.'
        }
        @{
            Title   = 'Only two applications, into a shared catalog'
            Code    = '$env:OSROLLBACK_HOME = ''\\fileserver\osrollback''; New-OsRollbackPoint -Environment Production -Application Orders, Billing -Connection $lt -SqlInstance sql01 -Database outsystems'
            Remarks = 'OSROLLBACK_HOME makes every command of the session (and of scheduled tasks that set it) use the same catalog.'
        }
        @{
            Title   = 'A factory with two more catalogs and a separate log database'
            Code    = 'New-OsRollbackPoint -Environment Production -Connection $lt -SqlInstance sql01 -Database outsystems -CatalogDatabase intranet, internet -LoggingDatabase outsystems_log'
            Remarks = 'Backs up outsystems, intranet and internet (each verified, with its checksum and database_guid); outsystems_log is named in every plan as not touched.'
        }
        @{
            Title   = 'See what it would do'
            Code    = 'New-OsRollbackPoint -Environment Quality -Connection $lt -SqlitePath ./quality.db -WhatIf'
            Remarks = 'Names the environment, the applications, the database and the catalog folder, and writes nothing.'
        }
        @{
            Title   = 'An environment whose platform database is on Oracle'
            Code    = 'New-OsRollbackPoint -Environment Production -Connection $lt -Description ''Release 2026.11'''
            Remarks = 'No database parameters: captures the running versions and the solution package, and records that the database was not captured (back it up with RMAN or Data Pump). Roll back with the LifeTime or Solution strategy.'
        }
    )
    Notes       = 'Take a rollback point before every deploy (Invoke-OsPreDeployCheckpoint does it and tests it). Keep the catalog on storage that survives the database server. Remove old points with Remove-OsRollbackPoint -KeepLast.'
    Links       = @('Get-OsRollbackPoint', 'Test-OsRollbackPoint', 'New-OsRollbackPlan', 'Backup-OsDatabase')
}
