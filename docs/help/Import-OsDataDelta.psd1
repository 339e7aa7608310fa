@{
    Synopsis    = 'Applies the lost changes of a data delta to production where production still equals the base, after a verified safety backup, in one transaction; everything else is a conflict.'
    Description = @'
Import-OsDataDelta writes back the rows that a database restore lost, from a delta written by Export-OsDataDelta. Before it writes, it checks that every table and column of the delta exists in the target, and takes a verified safety backup, as for a restore: on SQLite a copy through the SQLite backup API checked with PRAGMA integrity_check (beside the delta file, or in -SafetyBackupDirectory); or it verifies the backup given with -SafetyBackupPath.

The whole file is validated before anything is written: every line parses; every table and column is in the header and in production; each key matches its row; the row images match the operation. Any error (DataDeltaMalformed, DataDeltaUnknownTable, DataDeltaUnknownColumn, DataDeltaColumnMissing, DataDeltaKeyMismatch, DataDeltaKeyInvalid, DataDeltaRowIncomplete, DataDeltaRowsOutOfOrder, DeltaTargetSchemaMismatch) writes nothing. A delta of format version 1 (written before three-way recovery) is refused (DataDeltaNotThreeWay): export it again.

Three-way: a lost insert is applied only when its key is absent in production; a lost update or delete only when production's row still equals the base row (what production was restored to). Otherwise it is a conflict, reported with the three versions of the row (Base, Theirs = the parallel database, Ours = production) in the Conflicts property and left alone; -OverwriteConflicts applies conflicts anyway. A lost child whose parent conflicts by identity (a row written after reopening took its key, or production deleted it) is a conflict too, so it never attaches to the wrong parent; a lost delete of a row that production rows still reference is a conflict that is never applied. Inserts and updates go parents first, deletes children first, identity values kept (SET IDENTITY_INSERT on SQL Server).

The whole import runs in one transaction: if any statement fails, everything is rolled back and the error (DataDeltaImportFailed) says that nothing was committed.

SQL Server: the safety backup is taken by the same engine as Backup-OsDatabase (copy-only, CHECKSUM, in the server's default backup folder) and checked with RESTORE VERIFYONLY; a backup given with -SafetyBackupPath is checked with RESTORE VERIFYONLY too.
'@
    Parameters  = @{
        Path                   = 'The delta file written by Export-OsDataDelta. Binds by property name (Path or FullName).'
        SqlitePath             = 'Path of the SQLite database to import into (production).'
        SqlInstance            = 'The SQL Server instance of production. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The production database on -SqlInstance. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        Table                  = 'Only these tables of the delta (wildcards allowed).'
        IncludeDeletes         = 'Also delete the rows that are only in production (checked against the row exported). Off by default: such rows may have been written since the restore.'
        OverwriteConflicts     = 'Apply conflicting rows anyway, overwriting what production wrote since the export. Each one is still reported with Applied = True.'
        SafetyBackupPath       = 'An existing, verified backup of the target taken just before. For SQLite it is checked with PRAGMA integrity_check; for SQL Server with RESTORE VERIFYONLY on the server.'
        SafetyBackupDirectory  = 'Folder for the SQLite safety backup the cmdlet takes (default: the folder of the delta file).'
    }
    Inputs      = @('Objects with a Path or FullName property (such as the result of Export-OsDataDelta, or a FileInfo)')
    Outputs     = @('OsRollback.Engine.Drift.DataDeltaImportResult (Table, Database, Inserted, Updated, Deleted, AlreadyApplied, DeletesSkipped, ConflictCount, Conflicts, SafetyBackupPath)')
    Examples    = @(
        @{
            Title   = 'See what would happen'
            Code    = 'Import-OsDataDelta -SqlitePath ./production.db -Path ./lost-rows.jsonl -WhatIf'
            Remarks = 'Names the tables and the number of rows it would write, and writes nothing (no backup either).'
        }
        @{
            Title   = 'Import into SQL Server with the backup you just took'
            Code    = @'
$backup = Backup-OsDatabase -SqlInstance sql01 -Database outsystems -Path D:\backups -CopyOnly
$backup | Test-OsDatabaseBackup
Import-OsDataDelta -SqlInstance sql01 -Database outsystems -Path D:\rollback\lost-rows.jsonl -SafetyBackupPath $backup.FilePath[0]
'@
            Remarks = 'Asks for confirmation (ConfirmImpact High), then applies the delta table by table; conflicts are listed as warnings.'
        }
        @{
            Title   = 'Review the conflicts'
            Code    = 'Import-OsDataDelta -SqlitePath ./production.db -Path ./lost-rows.jsonl -Confirm:$false | ForEach-Object Conflicts | Format-Table Table, Key, Operation, Reason'
            Remarks = 'Each conflicting row with the reason it was left alone; run again with -OverwriteConflicts -Table <name> to apply a table''s conflicts.'
        }
    )
    Notes       = 'Changes production: SupportsShouldProcess with ConfirmImpact High. Values travel as parameters, identifiers are quoted for the engine. See docs/drift.md for the whole recovery procedure.'
    Links       = @('Export-OsDataDelta', 'Compare-OsDatabaseData', 'Backup-OsDatabase')
}
