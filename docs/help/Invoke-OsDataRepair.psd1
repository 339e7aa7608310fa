@{
    Synopsis    = 'Repairs data with a SQL script and checks: rehearsed on a parallel copy first, then run on the target after a verified safety backup, in one transaction rolled back if any check returns a row.'
    Description = @'
Invoke-OsDataRepair takes a repair script (-Script: INSERT, UPDATE, DELETE or MERGE statements) and a check file (-Check: queries that return the rows still wrong; no row means repaired).

Before anything runs, the database engine's own analysis reads both files against the target: SQLite prepares every statement with an authorizer callback (it sees every table each statement, and each trigger it fires, would write) and sqlite3_stmt_readonly; SQL Server's T-SQL is parsed with ScriptDom. Only DML on application tables (OSUSR_*) is allowed: DDL, transactions, PRAGMA/SET, EXEC, writes to OSSYS_* or any other platform table (RepairNotApplicationTable), and result sets in the script (SELECT, RETURNING, OUTPUT: RepairScriptReturnsRows) are refused; a check that is not a read-only query is RepairCheckNotQuery; SQL that does not parse or names a table or column the target lacks is RepairScriptInvalid. Missing or empty files: RepairScriptNotFound, RepairScriptEmpty, RepairCheckNotFound, RepairCheckEmpty.

-Rehearse runs the repair on a parallel copy, never on the target: a fresh copy (SQLite: the online backup API into a scratch file in the catalog; SQL Server: a verified copy-only backup restored under <database>_rehearsal_<time>), dropped afterwards unless -KeepParallelDatabase; or an existing copy given with -ParallelSqlitePath / -ParallelDatabase, where the rehearsal is rolled back so that copy stays as it was. It reports the rows each statement changed and what each check returns, and records the rehearsal in the catalog (repairs/<key>/rehearsal.json: SHA-256 of the script and of the check, the target database's identity, the result).

Without -Rehearse the repair runs on the target, only when these exact files (same SHA-256) were rehearsed for this database with every check passing (else RepairNotRehearsed, RepairRehearsalOfAnotherScript, RepairRehearsalFailed, RepairRehearsalOfAnotherDatabase; -Force runs anyway and writes the reason into the journal). A verified safety backup is taken first (the same machinery as Import-OsDataDelta). The statements and the checks run in one transaction; if any check returns a row, everything is rolled back and RepairCheckFailed names the check and its first rows. The repair is journaled in the catalog (repairs/<key>/repair.json) and applied at most once per database: a rerun after success runs nothing and returns the recorded result with AlreadyApplied; a run stopped between its passing checks and the recorded commit is never run again (RepairOutcomeUnknown).

-RollbackPoint makes sure the target is the database that rollback point was taken from (RollbackPointDatabaseMismatch otherwise).
'@
    Parameters  = @{
        Script                 = 'The repair script: INSERT, UPDATE, DELETE or MERGE statements on application tables (OSUSR_*), UTF-8. Its SHA-256 binds the rehearsal to the repair.'
        Check                  = 'The check file: one or more queries that return the rows still wrong; every one must return no row for the repair to commit.'
        SqlitePath             = 'The SQLite database to repair (the sandbox''s platform database, drills).'
        SqlInstance            = 'The SQL Server instance, as for dbatools: server, server\instance or server,port.'
        Database               = 'The database on -SqlInstance to repair.'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        Rehearse               = 'Run on a parallel copy instead of the target, report rows changed and check results, and record the rehearsal in the catalog.'
        ParallelDatabase       = 'With -Rehearse: an existing copy on -SqlInstance (a restore of the target, or the parallel database of a Database rollback) to rehearse on; the rehearsal is rolled back there.'
        ParallelSqlitePath     = 'With -Rehearse: an existing SQLite copy to rehearse on; the rehearsal is rolled back there.'
        KeepParallelDatabase   = 'With -Rehearse: keep the fresh copy with the repaired rows (for QA); its name is in ParallelDatabase.'
        RollbackPoint          = 'A rollback point (object, Id or folder): the target must be the database it was taken from.'
        Force                  = 'Repair without a passing rehearsal of these exact files. The reason is written into the journal as a warning.'
        OutputScriptOnly       = 'Write the repair as one script for review (the statements in a transaction, then each check, which stops the script before COMMIT when it returns a row) and change nothing.'
        SafetyBackupDirectory  = 'Folder of the SQLite safety backup (default: the repair''s folder in the catalog). SQL Server writes it to the server''s default backup folder.'
        CatalogPath            = 'The catalog that records rehearsals and repairs (default OSROLLBACK_HOME, else ~/.osrollback).'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.RollForward.DataRepairResult (Mode, Database, RanOn, Statements, Checks, Tables, RowsChanged, ChecksPassed, Committed, AlreadyApplied, SafetyBackupPath, ParallelDatabase, RecordPath)', 'System.String (with -OutputScriptOnly)')
    Examples    = @(
        @{
            Title   = 'Rehearse, then repair'
            Code    = @'
Invoke-OsDataRepair -SqlitePath ./production.db -Script ./fix-discount.sql -Check ./check-discount.sql -Rehearse -Confirm:$false
Invoke-OsDataRepair -SqlitePath ./production.db -Script ./fix-discount.sql -Check ./check-discount.sql -Confirm:$false | ForEach-Object Tables
'@
            Remarks = 'The rehearsal runs on a scratch copy and records the result; the repair then takes a safety backup, runs in one transaction and lists the rows changed per table.'
        }
        @{
            Title   = 'Rehearse on SQL Server and keep the copy for QA'
            Code    = 'Invoke-OsDataRepair -SqlInstance sql01 -Database outsystems -Script D:\rf\fix.sql -Check D:\rf\check.sql -Rehearse -KeepParallelDatabase'
            Remarks = 'Restores a copy-only backup as outsystems_rehearsal_<time>, runs the repair there and keeps it, so a QA environment can be pointed at it.'
        }
        @{
            Title   = 'Review the script'
            Code    = 'Invoke-OsDataRepair -SqlInstance sql01 -Database outsystems -Script D:\rf\fix.sql -Check D:\rf\check.sql -OutputScriptOnly > D:\rf\repair-review.sql'
            Remarks = 'Changes nothing; the script is refused just as the run would be when it is not DML on application tables.'
        }
    )
    Notes       = 'Changes data: SupportsShouldProcess with ConfirmImpact High (rehearsals too, which create a copy). See docs/roll-forward.md for the whole procedure.'
    Links       = @('Test-OsRollForward', 'Import-OsDataDelta', 'Get-OsSchemaDrift', 'Backup-OsDatabase')
}
