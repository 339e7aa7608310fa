@{
    Synopsis    = 'Releases the rollback lock of an environment whose run is gone, after checking that no process holds it.'
    Description = @'
Invoke-OsRollback locks the environment for the whole run: a lock file beside the real path of the SQLite platform database (<file>.osrollback.lock, symbolic links resolved) kept open by the run, an OS lock on the database file itself, and a lock file in the catalog (locks/<environment>.lock). SQL Server uses an application lock that ends with the run's connection and needs no release.

When a run dies (the machine was switched off, the process was killed), its lock stays behind: the next run of another plan is refused with EnvironmentRollbackInterrupted, and the run's own plan resumes with Invoke-OsRollback -Resume. When the interrupted run is abandoned and the environment was checked, Unlock-OsEnvironment releases the lock. It checks first that the holder is gone: no process keeps the lock file open, no run holds the database file, and the holder's process no longer runs on this host (a holder on another host must be older than -StaleAfterHours). A lock held by a running rollback is refused with EnvironmentLockHeld and left as it is. Never delete lock files by hand: a run in flight would stop (EnvironmentLockLost) and another could start on top of it.
'@
    Parameters  = @{
        SqlitePath      = 'The environment''s SQLite platform database, by any path (links are resolved): its lock beside the database file is released.'
        Environment     = 'The environment whose lock in the catalog (locks/<environment>.lock) is released.'
        CatalogPath     = 'The catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
        StaleAfterHours = 'A lock taken on another host counts as abandoned only when it is older than this (default 24 hours, as Invoke-OsRollback).'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Database.Locking.LockHolder: the holder whose lock was released (nothing when there was no lock)')
    Examples    = @(
        @{
            Title   = 'Release the lock of a run that was killed'
            Code    = 'Unlock-OsEnvironment -SqlitePath D:\outsystems\production.db -WhatIf'
            Remarks = 'Says which lock it would release and who holds it; without -WhatIf it asks for confirmation, checks that the holder is gone, then releases it.'
        }
        @{
            Title   = 'Release the catalog lock of an environment'
            Code    = 'Unlock-OsEnvironment -Environment Production -CatalogPath D:\osrollback -Confirm:$false'
            Remarks = 'Refused with EnvironmentLockHeld while the run that holds it is alive.'
        }
    )
    Notes       = 'SupportsShouldProcess with ConfirmImpact High. See docs/rollback.md, "Lock".'
    Links       = @('Invoke-OsRollback')
}
