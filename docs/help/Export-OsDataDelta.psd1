@{
    Synopsis    = 'Writes the changes the restore lost (parallel database against the base production was restored to) as a reviewable delta file (JSON lines) and a SQL script.'
    Description = @'
Export-OsDataDelta computes the changes lost by a Database rollback three-way: the base is what production was restored to (the rollback point's backup), the parallel database holds the state before the rollback, and the lost changes are the rows inserted, updated or deleted between the two. Production's rows are not read here, so rows users wrote after reopening never become part of the delta; Import-OsDataDelta applies a lost change only where production still equals the base.

The base comes from -RollbackPoint (an object, an Id or a folder; a SQLite backup is read directly and read-only after its checksum is checked), or from -BaseSqlitePath or -BaseSqlInstance/-BaseDatabase (a SQL Server backup must first be restored under another name). Without any of these, the rollback point of the newest finished Database rollback into this database is found in the catalog; when there is none, the export is refused (DeltaBaseNotFound).

The file (format version 2) is JSON lines: the first line is a header with the format version, the time, the database the delta is for, the source (parallel) database, the base and the rollback point, the filters, and per table its entity, module, key, columns, identity column and row counts; then one line per lost change (insert, update or delete) with the key, the base row (before) and the parallel database's row (after). Tables come in foreign-key order, parents first. Values JSON cannot carry exactly (decimals, dates, binary, GUIDs) are tagged, for example {"$decimal":"12.50"}.

Beside it, a SQL script for the databases' engine (same name, .sql): one transaction per table, IDENTITY_INSERT on SQL Server, deletes commented out. The script makes no conflict check and takes no backup; prefer Import-OsDataDelta, and use the script for review or for change processes that require one.

Only the columns both databases have are exported: a column the rolled-back version added has no place in production after the restore (see Get-OsSchemaDrift). Tables without a primary key, or present on one side only, are not exported and are listed in Skipped.
'@
    Parameters  = @{
        Path                   = 'The delta file to write (for example ./lost-rows.jsonl). The script is written beside it with the extension .sql.'
        SqlitePath             = 'Path of the SQLite database the delta is for (production after the restore).'
        ReferenceSqlitePath    = 'Path of the SQLite database the rows come from (the parallel database).'
        SqlInstance            = 'The SQL Server instance of production. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The production database (after the restore) on -SqlInstance. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        ReferenceDatabase      = 'The parallel database the rows come from.'
        ReferenceSqlInstance   = 'The instance of -ReferenceDatabase when it is not on -SqlInstance. Same forms as -SqlInstance.'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        ReferenceSqlCredential = 'SQL login for the reference instance; defaults to -SqlCredential.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for a SQL Server connection (default 15).'
        Table                  = 'Only these physical tables (wildcards allowed). Binds by property name, so summaries from Compare-OsDatabaseData can be piped in; an empty pipeline exports nothing (with a warning), never every table.'
        Entity                 = 'Only the tables of these OutSystems entities (wildcards allowed).'
        Module                 = 'Only the tables of entities owned by these modules (wildcards allowed).'
        Since                  = 'Only rows created or updated at or after this time, on tables with created/updated columns (as Compare-OsDatabaseData -Since).'
        RollbackPoint          = 'The rollback point production was restored to (object from Get-OsRollbackPoint, Id or folder): its backup is the base. Default: the rollback point of the newest finished Database rollback into this database.'
        BaseSqlitePath         = 'The base as a SQLite file: the database production was restored to (for example the rollback point''s backup copy).'
        BaseSqlInstance        = 'The instance of -BaseDatabase when it is not on -SqlInstance. Same forms as -SqlInstance.'
        BaseDatabase           = 'The base as a SQL Server database: the rollback point''s backup restored under another name.'
        CatalogPath            = 'The rollback point catalog for -RollbackPoint Ids and the default lookup (default: OSROLLBACK_HOME, else ~/.osrollback).'
        NoScript               = 'Do not write the .sql script.'
        Force                  = 'Overwrite an existing delta file.'
    }
    Inputs      = @('Objects with a Table property (such as the summaries of Compare-OsDatabaseData)')
    Outputs     = @('OsRollback.Engine.Drift.DataDeltaExportResult (Path, ScriptPath, Database, Source, Base, RollbackPointId, CreatedAt, Tables, Inserted, Changed, Deleted, Skipped); Path binds to Import-OsDataDelta -Path')
    Examples    = @(
        @{
            Title   = 'Export what the restore lost'
            Code    = 'Export-OsDataDelta -SqlInstance sql01 -Database outsystems -ReferenceDatabase outsystems_parallel -BaseDatabase outsystems_base -Path D:\rollback\lost-rows.jsonl'
            Remarks = 'outsystems_base is the rollback point''s backup restored under another name. Writes lost-rows.jsonl and lost-rows.sql for review.'
        }
        @{
            Title   = 'Export and import in one pipeline, after a dry run'
            Code    = 'Export-OsDataDelta -SqlitePath ./production.db -ReferenceSqlitePath ./parallel.db -RollbackPoint Production-20260201-1200 -Path ./lost-rows.jsonl | Import-OsDataDelta -SqlitePath ./production.db -WhatIf'
            Remarks = 'Import-OsDataDelta binds Path by property name; -WhatIf says what it would import and writes nothing.'
        }
    )
    Notes       = 'Reads the base and the parallel database; writes only the two files (atomically: temporary files then a rename, so a full disk leaves no file that looks valid; errors are DataDeltaWriteFailed). The format is described in docs/drift.md.'
    Links       = @('Import-OsDataDelta', 'Compare-OsDatabaseData')
}
