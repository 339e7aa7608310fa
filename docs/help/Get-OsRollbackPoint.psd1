@{
    Synopsis    = 'Lists the rollback points of the catalog, newest first.'
    Description = @'
Reads the rollback point catalog (-CatalogPath, else OSROLLBACK_HOME, else .osrollback in the user's profile) and returns one object per rollback point, newest first. A folder whose manifest does not match its checksum, or cannot be read, is skipped with a warning.

The objects bind to -RollbackPoint of Test-OsRollbackPoint, Remove-OsRollbackPoint, New-OsRollbackPlan and Test-OsSmoke.
'@
    Parameters  = @{
        Id          = 'Rollback point Ids; wildcards are allowed. An Id without wildcards that does not exist is an error.'
        Path        = 'A rollback point folder outside the catalog (e.g. copied from another machine).'
        Environment = 'Only rollback points of this environment.'
        Latest      = 'Only the newest rollback point of each environment.'
        CatalogPath = 'The catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Rollback.RollbackPoint')
    Examples    = @(
        @{
            Title   = 'The newest rollback point of Production'
            Code    = 'Get-OsRollbackPoint -Environment Production -Latest'
            Remarks = 'The one to plan a rollback from after a bad deploy.'
        }
        @{
            Title   = 'Plan from it'
            Code    = 'Get-OsRollbackPoint -Environment Production -Latest | New-OsRollbackPlan -Reason ''INC-1234: orders page fails'' -Connection $lt'
            Remarks = 'Pipes the rollback point into New-OsRollbackPlan.'
        }
        @{
            Title   = 'A rollback point copied from elsewhere'
            Code    = 'Get-OsRollbackPoint -Path ./Production-20261126T120000Z'
            Remarks = 'Reads the folder and checks its manifest against rollback-point.json.sha256.'
        }
    )
    Notes       = 'Listing never changes anything.'
    Links       = @('New-OsRollbackPoint', 'Test-OsRollbackPoint', 'Remove-OsRollbackPoint')
}
