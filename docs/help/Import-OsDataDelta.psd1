@{
    Synopsis    = 'Applies the lost changes of a data delta to production where production still equals the base, after a verified safety backup, in one transaction; everything else is a conflict.'
    Description = @'
Import-OsDataDelta writes back the rows that a database restore lost, from a delta written by Export-OsDataDelta. Before it writes, it checks that every table and column of the delta exists in the target, and takes a verified safety backup, as for a restore: on SQLite a copy through the SQLite backup API checked with PRAGMA integrity_check (beside the delta file, or in -SafetyBackupDirectory); or it verifies the backup given with -SafetyBackupPath.

The whole file is validated before anything is written: every line parses; every table and column is in the header and in production; each key matches its row; the row images match the operation. Any error (DataDeltaMalformed, DataDeltaUnknownTable, DataDeltaUnknownColumn, DataDeltaColumnMissing, DataDeltaKeyMismatch, DataDeltaKeyInvalid, DataDeltaRowIncomplete, DataDeltaRowsOutOfOrder, DeltaTargetSchemaMismatch) writes nothing. A delta of format version 1 (written before three-way recovery) is refused (DataDeltaNotThreeWay): export it again.

Three-way: a lost insert is applied only when its key is absent in production; a lost update or delete only when production's row still equals the base row (what production was restored to). Otherwise it is a conflict, reported with the three versions of the row (Base, Theirs = the parallel database, Ours = production) in the Conflicts property and left alone; -OverwriteConflicts applies conflicts anyway. A lost child whose parent conflicts by identity (a row written after reopening took its key, or production deleted it) is a conflict too, so it never attaches to the wrong parent; a lost delete of a row that production rows still reference is a conflict that is never applied. Inserts and updates go parents first, deletes children first, identity values kept (SET IDENTITY_INSERT on SQL Server).

Trust: Export-OsDataDelta seals the file (format version 3: a SHA-256 digest over the header and every row line, in the header). The import refuses a file changed since (DataDeltaTampered), checks the seal again while it writes (a file changed during the import is rolled back), and refuses an old unsealed file unless -AllowUnsealedDelta. It writes application tables only: every table the header lists must be an OSUSR_* table in the default schema and, where the target's metamodel (OSSYS_ENTITY) says so, not the table of a system entity; a delta that lists OSSYS_USER or any other platform table is refused whole (DataDeltaTableNotAllowed), even with a valid seal. When the rollback point named in the delta is in the catalog, each row's before image is checked against its backup (the base) and a row that does not match is refused with DataDeltaBaseMismatch (a before image copied from a row written after reopening would otherwise overwrite that row). The delta goes into the database it was exported for (the same file by any path counts); another database needs -AllowOtherDatabase and another environment's platform database is always refused (DataDeltaWrongDatabase).

The whole import runs in one transaction, streaming one row at a time (memory stays flat whatever the size of the file: see docs/benchmarks.md): if any statement fails, everything is rolled back and the error (DataDeltaImportFailed) says that nothing was committed.

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
        AllowUnsealedDelta     = 'Import a delta of format version 2, written before deltas were sealed: nothing then proves that the file is the one that was exported. Without it such a file is refused (DataDeltaUnsealed). Review every line first; platform tables are refused all the same.'
        AllowOtherDatabase     = 'Import into a database other than the one the delta was exported for (a copy for review, say). Without it the import is refused (DataDeltaWrongDatabase). It never allows the platform database of another environment (known from the catalog''s rollback points): that is refused with DataDeltaWrongDatabase whatever the switches.'
        CatalogPath            = 'The rollback point catalog (default OSROLLBACK_HOME, else .osrollback in the user''s profile). The import reads the base from the rollback point named in the delta (its backup) to check every before image, and the environment of the target from the rollback points taken of it.'
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
