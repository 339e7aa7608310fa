@{
    Synopsis    = 'Compares the application tables (OSUSR_*) of two databases on the primary key: rows only in the reference, changed, or gone.'
    Description = @'
After a database restore, every row written between the deploy and the rollback is gone from production, but it still lives in the pre-rollback backup, restored by the runbook as the parallel database. Compare-OsDatabaseData compares production (the database now) with that reference, table by table on the primary key, and returns one summary per table: Inserted (rows only in the reference: written after the deploy), Changed (rows in both that differ, in the columns both have), Deleted (rows only in the database now: deleted after the deploy, or written since the restore).

Both sides are read once, ordered by key, and merged as they stream, so memory does not grow with table size; progress is shown per table. A table without a primary key is reported (Status NoPrimaryKey) and not compared: rows are never matched by guess. A table that exists on one side only is reported with its row count. Tables are named with their OutSystems entity and module.

-Table, -Entity and -Module narrow the comparison (wildcards allowed). -Since keeps only the differing rows whose created/updated columns (CREATEDON, UPDATEDON and similar) are at or after the given time, on tables that have such columns. -Detailed also writes one object per differing row, with the key, the changed columns and both versions of the row.
'@
    Parameters  = @{
        SqlitePath             = 'Path of the SQLite database now (production after the restore).'
        ReferenceSqlitePath    = 'Path of the SQLite reference database (the parallel database with the pre-rollback data).'
        SqlInstance            = 'The SQL Server instance of the database now. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The database now (production after the restore) on -SqlInstance. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        ReferenceDatabase      = 'The reference database (the parallel database restored from the pre-rollback backup).'
        ReferenceSqlInstance   = 'The instance of -ReferenceDatabase when it is not on -SqlInstance. Same forms as -SqlInstance.'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        ReferenceSqlCredential = 'SQL login for the reference instance; defaults to -SqlCredential.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for a SQL Server connection (default 15).'
        Table                  = 'Only these physical tables (wildcards allowed, case-insensitive), for example OSUSR_7I3_*.'
        Entity                 = 'Only the tables of these OutSystems entities (OSSYS_ENTITY.NAME; wildcards allowed).'
        Module                 = 'Only the tables of entities owned by these modules (eSpace names; wildcards allowed).'
        Since                  = 'Only differing rows created or updated at or after this time, on tables with created/updated columns; compared as stored, without time zone conversion. Tables without such columns are compared whole (said in the verbose stream).'
        Detailed               = 'Also write one object per differing row (DataRowDifference), before the summary of its table.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Drift.TableDataDifference (Table, Entity, Module, Status, Inserted, Changed, Deleted, Unchanged, KeyColumns, ColumnsOnlyInReference, ...)', 'OsRollback.Engine.Drift.DataRowDifference (with -Detailed: Table, Kind, Key, ChangedColumns, ReferenceValues, CurrentValues)')
    Examples    = @(
        @{
            Title   = 'What the restore lost'
            Code    = 'Compare-OsDatabaseData -SqlInstance sql01 -Database outsystems -ReferenceDatabase outsystems_parallel | Where-Object HasDifferences'
            Remarks = 'One summary per OSUSR_* table; Inserted counts the rows written after the deploy that production no longer has.'
        }
        @{
            Title   = 'Row by row, for one module, since the deploy'
            Code    = 'Compare-OsDatabaseData -SqlitePath ./production.db -ReferenceSqlitePath ./parallel.db -Module Orders_CS -Since ''2026-02-01 12:00'' -Detailed | Where-Object Kind -EQ Changed'
            Remarks = 'The changed rows, with the columns that differ and both versions of each row.'
        }
        @{
            Title   = 'Into an export'
            Code    = 'Compare-OsDatabaseData -SqlitePath ./production.db -ReferenceSqlitePath ./parallel.db | Where-Object Inserted -GT 0 | Export-OsDataDelta -SqlitePath ./production.db -ReferenceSqlitePath ./parallel.db -Path ./lost-rows.jsonl'
            Remarks = 'Export-OsDataDelta binds Table by property name, so only the tables with lost rows are exported.'
        }
    )
    Notes       = 'Read only: SQLite files are opened read-only. On SQL Server, text keys are ordered with COLLATE Latin1_General_BIN2 so that both sides stream in the same order; a side that returns keys out of order stops the comparison (DataCompareOrderMismatch) rather than report wrong differences. Performance figures: docs/benchmarks.md, section Data compare.'
    Links       = @('Export-OsDataDelta', 'Import-OsDataDelta', 'Get-OsSchemaDrift')
}
