@{
    Synopsis    = 'Lists past rollback runs and drills, newest first, with the users'' outage and every step''s time.'
    Description = @'
Invoke-OsRollback writes each run to runs/<plan id> inside its rollback point's folder: the approved plan (plan.json) and the journal (journal.jsonl), which records when each step started, finished or failed. Get-OsRollbackRun reads them back, from the catalog (-CatalogPath, else OSROLLBACK_HOME, else .osrollback in the user's profile) or from -Path, and returns one object per run that started, newest first.

Each run says its environment and strategy, whether it was a drill (a run on an environment not named Production, Prod, PRD or Live), how it ended (Succeeded, Failed, or Unfinished after a crash), how often it was resumed, the users' outage (UsersOfflineAt, UsersOnlineAt, UsersOutage: from the start of the step that takes the applications away from users to the end of the step that gives them back, pauses included), the whole run's Duration, the platform database's size when the run backed it up (DatabaseBytes), and Steps: per step its kind, status, attempts and the time of its last attempt, and whether it lies in the users' outage.

New-OsRollbackPlan estimates each strategy's outage from the latest succeeded run of the same strategy in the same environment or in a drill; the runs it can use are those listed here.
'@
    Parameters  = @{
        Environment = 'Only runs of this environment (Tab completes the names).'
        Strategy    = 'Only runs of this strategy: LifeTime, Solution, Module or Database.'
        CatalogPath = 'The catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
        Path        = 'A run folder (<rollback point>/runs/<plan id>), a rollback point folder (all its runs) or a catalog folder. A rollback point from Get-OsRollbackPoint pipes here by its Path. A folder that does not exist is the error RollbackRunPathNotFound; a folder that is none of these is RollbackRunPathInvalid.'
    }
    Inputs      = @('System.String (Path, by property name: a rollback point or a run)')
    Outputs     = @('OsRollback.Engine.Rollback.Execution.RollbackRunRecord')
    Examples    = @(
        @{
            Title   = 'The drills of the Database strategy'
            Code    = 'Get-OsRollbackRun -Environment Quality -Strategy Database'
            Remarks = 'Newest first, with the users'' outage and the whole run''s time.'
        }
        @{
            Title   = 'The time of every step of the latest run'
            Code    = '(Get-OsRollbackRun | Select-Object -First 1).Steps'
            Remarks = 'Kind, status, attempts (more than one after -Resume), time, and whether the step lies in the users'' outage.'
        }
        @{
            Title   = 'The runs of one rollback point'
            Code    = 'Get-OsRollbackPoint -Environment Production -Latest | Get-OsRollbackRun'
            Remarks = 'The rollback point pipes by its Path.'
        }
    )
    Notes       = 'Listing never changes anything. A run folder whose plan.json is missing or damaged is reported as the error RollbackRunUnreadable and the other runs are still listed; a folder where no step ran yet is left out.'
    Links       = @('Invoke-OsRollback', 'New-OsRollbackPlan', 'Get-OsRollbackPoint')
}
