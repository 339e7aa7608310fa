@{
    Synopsis    = 'Checks that a rollback point can be used: files present, checksums match, backup verifies.'
    Description = @'
Test-OsRollbackPoint re-reads the manifest (it must match rollback-point.json.sha256), checks that every captured file is present with the recorded size and SHA-256, and verifies the database backup with the database engine (RESTORE VERIFYONLY on SQL Server, an integrity check on SQLite). It returns one object per rollback point with Passed, BackupVerified and each check; every failed check is also written as a warning.

The backup is verified on the database given by the database parameters, or, without them, on the one recorded in the rollback point (SQLite file, or SQL Server with integrated authentication). -NoBackupVerify checks files and checksums only, without any connection.

A rollback point that cannot be read at all (unknown Id, changed manifest) is an error for that input; the others are still tested.
'@
    Parameters  = @{
        RollbackPoint          = 'The rollback point: an object from Get-OsRollbackPoint, an Id, or a folder path. Accepts pipeline input.'
        NoBackupVerify         = 'Check files and checksums only; do not verify the backup with the database engine (no connection needed).'
        CatalogPath            = 'The catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
        SqlInstance            = 'The SQL Server instance used to verify the backup (RESTORE VERIFYONLY). Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The database of -SqlInstance named by the rollback point. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is never stored or logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        SqlitePath             = 'The SQLite database of the rollback point, when it was moved.'
    }
    Inputs      = @('OsRollback.Engine.Rollback.RollbackPoint, or an Id or folder path as a string')
    Outputs     = @('OsRollback.Engine.Rollback.RollbackPointTestResult (Id, Passed, BackupVerified, Checks, Failures)')
    Examples    = @(
        @{
            Title   = 'Test every rollback point of Production'
            Code    = 'Get-OsRollbackPoint -Environment Production | Test-OsRollbackPoint -SqlInstance sql01 -Database outsystems'
            Remarks = 'Verifies each backup on sql01 and checks every file.'
        }
        @{
            Title   = 'Fail a pipeline step when the rollback point is unusable'
            Code    = @'
$test = Test-OsRollbackPoint -RollbackPoint $rp -NoBackupVerify
if (-not $test.Passed) { throw "Rollback point $($test.Id) is unusable: $($test.Failures -join '; ')" }
'@
            Remarks = 'Files and checksums only: fast, and needs no database connection.'
        }
    )
    Notes       = 'Run it after New-OsRollbackPoint (Invoke-OsPreDeployCheckpoint does) and before relying on an old rollback point.'
    Links       = @('New-OsRollbackPoint', 'Get-OsRollbackPoint', 'Test-OsDatabaseBackup')
}
