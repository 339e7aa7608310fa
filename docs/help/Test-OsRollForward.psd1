@{
    Synopsis    = 'Readiness report before a fix is deployed after a rollback: the base to fix from, the schema left behind with its rows, the rows changed since the rollback point, and whether each fix version is a sound roll-forward.'
    Description = @'
Test-OsRollForward reads, and changes nothing. From the rollback point's newest rollback run (runs/<plan>/plan.json and report.json in the point's folder) it names the base a fix must start from: each application version that was deployed and rolled back, with the version it went back to, and (with a LifeTime connection) its version key and creation date.

It lists the schema left behind: every table and column the rolled-back version added that is still in the database (against the point's schema snapshot, as Get-OsSchemaDrift does), with the entity and attribute and the rows holding data in it. A fix that starts from the rolled-back version sees those columns again, with that data.

It counts the rows inserted, changed and deleted per application table since the rollback point, three-way with the point's backup as base (on SQLite the backup file is read directly; on SQL Server restore it under another name and give -BaseDatabase). After a Database rollback give the parallel database (-ParallelSqlitePath / -ParallelDatabase): it is the state at rollback, so its rows are reported as BeforeRollback and production's as SinceReopening.

With -FixVersion (objects from Get-OsApplicationVersion) it checks each fix version: newer than the rolled-back version, created after it, and whether its modules still define the leftover entities and attributes. LifeTime does not list a version's entities, so that last answer is Unknown with the reason (or NothingLeft when nothing was left behind).

The report is one object (Base, LeftBehind, Changes, Fixes, Warnings); -AsMarkdown writes it as Markdown for the change ticket.
'@
    Parameters  = @{
        RollbackPoint          = 'The rollback point the rollback used (object from Get-OsRollbackPoint, Id or folder).'
        SqlitePath             = 'The environment''s platform database now (SQLite).'
        SqlInstance            = 'The SQL Server instance, as for dbatools: server, server\instance or server,port.'
        Database               = 'The environment''s platform database on -SqlInstance.'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        FixVersion             = 'Application versions of the fix, from Get-OsApplicationVersion (binds from the pipeline).'
        ParallelSqlitePath     = 'After a Database rollback: the parallel database (the state at rollback).'
        ParallelDatabase       = 'After a Database rollback: the parallel database on -SqlInstance.'
        BaseSqlitePath         = 'The rollback point''s backup as a database, when not the point''s own SQLite backup file.'
        BaseDatabase           = 'SQL Server: the rollback point''s backup restored under this name on -SqlInstance (without it the row changes are reported unknown, with the reason).'
        Connection             = 'The LifeTime connection to read the base versions'' keys and dates (default: the last Connect-OsLifeTime).'
        AsMarkdown             = 'Write the report as Markdown (for the change ticket) instead of the object.'
        CatalogPath            = 'The rollback point catalog (default OSROLLBACK_HOME, else ~/.osrollback).'
    }
    Inputs      = @('OsRollback.Engine.Platform.LifeTimeApplicationVersion (the fix versions)')
    Outputs     = @('OsRollback.Engine.RollForward.RollForwardReport (RollbackPointId, Environment, Database, Strategy, Base, LeftBehind, Changes, ChangesNote, Fixes, Warnings, RowsInLeftovers, Ready)', 'System.String (with -AsMarkdown)')
    Examples    = @(
        @{
            Title   = 'After a LifeTime rollback'
            Code    = 'Test-OsRollForward -RollbackPoint $rp -SqlitePath ./platform.db | Select-Object -ExpandProperty LeftBehind'
            Remarks = 'The columns the rolled-back version added, with the rows holding data in them.'
        }
        @{
            Title   = 'Check the fix and write the change ticket'
            Code    = 'Get-OsApplicationVersion -Application Orders -Version 1.2.1 | Test-OsRollForward -RollbackPoint $rp -SqlInstance sql01 -Database outsystems -BaseDatabase outsystems_base -AsMarkdown | Set-Content D:\rf\readiness.md'
            Remarks = 'Says whether 1.2.1 is newer and created after the rolled-back 1.2.0.'
        }
    )
    Notes       = 'Reads only. See docs/roll-forward.md for the procedure.'
    Links       = @('Invoke-OsDataRepair', 'Get-OsSchemaDrift', 'Compare-OsDatabaseData')
}
