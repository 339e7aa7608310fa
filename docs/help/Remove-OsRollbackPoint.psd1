@{
    Synopsis    = 'Deletes rollback points, by name or by a retention rule.'
    Description = @'
Remove-OsRollbackPoint deletes rollback point folders (backup, package, snapshots, journals and reports of runs made from them). Give the rollback points (objects, Ids or folders), or a retention rule: -KeepLast keeps the newest N of each environment, -OlderThan deletes those older than a time span; both may be combined (a point is deleted when either rule says so). The newest rollback point of each environment is never deleted by a rule, however old: it is the one a rollback would need. -Environment narrows the rule to one environment.

A rollback point from which a rollback run is unfinished (it may be needed for Invoke-OsRollback -Resume) is kept with an error unless -Force is given. ConfirmImpact is High: it asks before each deletion unless -Confirm:$false; -WhatIf lists what would be deleted.
'@
    Parameters  = @{
        RollbackPoint = 'The rollback points to delete: objects from Get-OsRollbackPoint, Ids, or folder paths. Accepts pipeline input.'
        KeepLast      = 'Retention: keep this many newest rollback points per environment (at least 1) and delete the others.'
        OlderThan     = 'Retention: delete rollback points older than this time span (e.g. (New-TimeSpan -Days 30) or ''30.00:00:00''); it must be positive (InvalidRetentionAge otherwise).'
        Environment   = 'Apply the retention rule to this environment only.'
        Force         = 'Delete even when a rollback run from the rollback point is unfinished.'
        CatalogPath   = 'The catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
    }
    Inputs      = @('OsRollback.Engine.Rollback.RollbackPoint, or an Id or folder path as a string')
    Outputs     = @('None')
    Examples    = @(
        @{
            Title   = 'Nightly retention in a scheduled task'
            Code    = 'Remove-OsRollbackPoint -KeepLast 10 -OlderThan (New-TimeSpan -Days 30) -Confirm:$false'
            Remarks = 'Keeps at most the 10 newest rollback points of each environment, and none older than 30 days.'
        }
        @{
            Title   = 'See what a rule would delete'
            Code    = 'Remove-OsRollbackPoint -Environment Quality -KeepLast 3 -WhatIf'
            Remarks = 'Lists the folders that would be deleted; deletes nothing.'
        }
        @{
            Title   = 'Delete one'
            Code    = 'Get-OsRollbackPoint Production-20261101T020000Z | Remove-OsRollbackPoint'
            Remarks = 'Asks for confirmation first.'
        }
    )
    Notes       = 'Deleting a rollback point deletes its database backup. Keep at least the one taken before the last deploy of each environment.'
    Links       = @('Get-OsRollbackPoint', 'New-OsRollbackPoint')
}
