@{
    Synopsis    = 'Lists the tables, columns and indexes that differ from a rollback point''s schema snapshot (or a second database), with the entity, module, rows holding data and a recommendation.'
    Description = @'
A rollback never ends clean: OutSystems never drops the tables and columns a version added, so after rolling back to an older version they stay in the database, often with data written while the bad version ran. Get-OsSchemaDrift compares the schema of the application tables (OSUSR_*) now with a reference: the schema snapshot of a rollback point (schema-snapshot.json, taken before the deploy) or a second database.

Each difference is one object: TableAdded, ColumnAdded, ColumnChanged (type, length or nullability), IndexAdded, and the reverse (TableMissing, ColumnMissing, IndexMissing, for instance after a restore). It names the table and column, the OutSystems entity, attribute and module they belong to (read from OSSYS_ENTITY, OSSYS_ENTITY_ATTR and OSSYS_ESPACE of the database now), whether the platform marks them deleted, how many rows hold data in them (non-NULL values), and a recommendation.

Nothing is ever dropped. -OutputScriptOnly returns a clean-up script for a DBA to review and run: one transaction that drops the added indexes, the added empty columns (with their default constraints on SQL Server) and the added empty tables; statements for objects that hold data are written commented out, and changed columns are only described.
'@
    Parameters  = @{
        SqlitePath             = 'Path of the SQLite database to examine (the database now).'
        ReferenceSqlitePath    = 'Path of a second SQLite database to use as the reference instead of a rollback point. Give exactly one reference: this, -ReferenceDatabase or -RollbackPoint (DriftReferenceRequired, DriftReferenceAmbiguous).'
        SqlInstance            = 'The SQL Server instance of the database to examine. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The database to examine on -SqlInstance (the OutSystems database that holds the OSUSR_* and OSSYS_* tables). Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        ReferenceDatabase      = 'A second database to use as the reference instead of a rollback point (for instance the parallel database restored from the pre-rollback backup). Give exactly one reference: this, -ReferenceSqlitePath or -RollbackPoint.'
        ReferenceSqlInstance   = 'The instance of -ReferenceDatabase when it is not on -SqlInstance. Same forms as -SqlInstance.'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        ReferenceSqlCredential = 'SQL login for the reference instance; defaults to -SqlCredential.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for a SQL Server connection (default 15).'
        RollbackPoint          = 'The rollback point whose schema snapshot is the reference: an object from Get-OsRollbackPoint, its Id, its folder, its rollback-point.json, the schema-snapshot.json file itself, or an object with a SchemaSnapshotPath or Path property. The snapshot of a rollback point is used only when it matches the point''s checksums (else RollbackPointTampered). Accepts pipeline input.'
        CatalogPath            = 'The rollback point catalog for an Id given to -RollbackPoint (default: OSROLLBACK_HOME, else ~/.osrollback).'
        OutputScriptOnly       = 'Return the clean-up script (a string) for review instead of the drift objects. The script is not run.'
        NoRowCount             = 'Do not count the rows holding data in added tables and columns (faster on very large tables; recommendations then cannot tell empty objects apart).'
    }
    Inputs      = @('System.Management.Automation.PSObject (a rollback point: folder path, file path, or an object with SchemaSnapshotPath or Path)')
    Outputs     = @('OsRollback.Engine.Drift.SchemaDriftItem (Kind, Table, Column, Index, Entity, Attribute, Module, IsActiveInPlatform, ReferenceDefinition, CurrentDefinition, RowsWithData, Recommendation)', 'System.String (with -OutputScriptOnly)')
    Examples    = @(
        @{
            Title   = 'What the rolled-back version left behind'
            Code    = 'Get-OsSchemaDrift -SqlInstance sql01 -Database outsystems -RollbackPoint D:\rollback-points\2026-02-01-orders'
            Remarks = 'Compares the database now with the snapshot taken before the deploy; lists added tables, columns and indexes with their entity, module and rows holding data.'
        }
        @{
            Title   = 'A clean-up script for review'
            Code    = 'Get-OsSchemaDrift -SqlitePath ./production.db -RollbackPoint ./rollback-point -OutputScriptOnly | Set-Content ./cleanup.sql'
            Remarks = 'Writes the DROP statements for empty objects; objects holding data are commented out. Nothing is dropped by the cmdlet.'
        }
        @{
            Title   = 'Compare with the parallel database'
            Code    = 'Get-OsSchemaDrift -SqlInstance sql01 -Database outsystems -ReferenceDatabase outsystems_parallel | Format-Table Kind, Table, Column, RowsWithData'
            Remarks = 'After a database restore, the parallel database still has what the bad version added: those show as TableMissing and ColumnMissing.'
        }
    )
    Notes       = 'Read only. Rows holding data are counted with COUNT(*) ... WHERE column IS NOT NULL; OutSystems columns often have defaults, so a count above zero may be default values. The SQL Server clean-up script is parsed with SQL Server''s own parser in the tests. See docs/drift.md.'
    Links       = @('Compare-OsDatabaseData', 'Export-OsDataDelta', 'Import-OsDataDelta')
}
