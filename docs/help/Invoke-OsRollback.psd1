@{
    Synopsis    = 'Executes a rollback plan step by step, with a journal, an environment lock, progress and a report; -Resume continues after a failure or crash.'
    Description = @'
Invoke-OsRollback executes a plan from New-OsRollbackPlan (the object, or the path of a JSON plan exported with Export-OsRollbackPlan). Before anything changes it checks that the plan is unchanged since it was made (its SHA-256 digest over the canonical plan, refused as PlanDigestMismatch; a plan without digest, such as a version 1 plan, is refused as PlanNotApproved unless -AllowUnapprovedPlan is given, and then runs with a warning), that the plan belongs to its rollback point (same Id, unchanged manifest), that the rollback point is for the plan's environment (and for -Environment when given), that the files the strategy needs are intact, and, for the Database strategy, that the database given is the rollback point's.

Each step is idempotent and recorded in a journal next to the rollback point (runs/<plan id>/journal.jsonl: started, finished, failed, with details). When a step fails the run stops, and the error says which step and how to continue: after fixing the cause, -Resume continues from the first unfinished step and never repeats a finished one (also after a crash). Running a plan again without -Resume is refused.

One rollback per environment runs at a time: a lock file in the catalog names the holder (user, host, process, plan, time). A lock whose process is gone, or older than 24 hours on another host, is stale and taken over with a warning. -LockTimeoutSeconds waits for the other run instead of failing at once.

The Database strategy runs the full runbook: maintenance mode on and timers suspended, -OfflineScript (close the firewall), IIS and the OutSystems services stopped on the application servers, a verified pre-rollback backup, the restore of the pre-deploy backup, the Configuration Tool applied and the services restarted on the deployment controller and then each front-end, the pending settings of all modules applied, the republish of all modules (in waves, or the All Components solution in one publication), the timers woken by publishing suspended again, maintenance mode off (online internally), the smoke tests (HTTP checks of the captured application URLs and -SmokeScript), -OnlineScript (open the firewall), timers resumed, and the pre-rollback backup restored as a parallel database, to recover the data written since the pre-deploy backup. A failed smoke test stops before the firewall opens.

-WhatIf prints every step with its target and changes nothing (no lock, no journal). -OutputScriptOnly writes the whole runbook for a DBA to review, as strings: the T-SQL of every database step in plan order (built by the same statement builders the run uses) and every other step as a "-- Step n/N (Kind): title" comment; it opens no connection, takes no lock and writes no journal. What only the server knows at run time (the log backups msdb lists, other snapshots to drop, the file list of a backup, the identity values) is written as comments. For a SQLite database the database steps are file operations and are listed as comments. ConfirmImpact is High: it asks once before running, naming the strategy and any data loss; use -Confirm:$false in pipelines. Progress is shown for the whole run and each step; -Verbose narrates. In Azure DevOps (TF_BUILD set) it also writes ##vso[task.setprogress], ##vso[task.logissue] for warnings and failures, and uploads the Markdown report with ##vso[task.uploadsummary].

It returns one result: the overall Status, one entry per step (Finished, FinishedEarlier, Failed, NotRun), the parallel database and the paths of the journal and of the report, written as report.json and report.md next to the journal. On failure the result is written first, then the error.
'@
    Parameters  = @{
        Plan                   = 'The plan: the object from New-OsRollbackPlan, or the path of a JSON plan file. Accepts pipeline input.'
        ReportPath             = 'A folder to copy the run''s report to (report.json, report.md, report.html), whether the run succeeded or failed; created when missing, refused (ReportPathIsFile) when it or a parent is a file. The result''s ReportPath and MarkdownReportPath then name the copies; the originals stay next to the journal. Made for pipelines: give the artifact folder and publish it with condition: succeededOrFailed().'
        OutputScriptOnly       = 'Write the T-SQL of every database step of the run, in plan order, with the other steps as comments, and change nothing: no connection, no lock, no journal. The plan is checked as for a run (digest, rollback point, files).'
        Resume                 = 'Continue a run that failed or crashed, from its first unfinished step. Finished steps are not repeated.'
        Environment            = 'Refuse a plan that is not for this environment. Pipelines pass it so an approved plan can only run where intended.'
        Force                  = 'Run a Database plan although its rollback point was restored after the plan was made (RollbackPointAlreadyRestored otherwise); a warning names that earlier restore.'
        ExpectedPlanDigest     = 'Refuse the plan unless its SHA-256 digest is this one (as shown in the plan''s Markdown, with or without the sha256: prefix). An approval gate passes the digest the approver read, so only that plan can run (PlanDigestMismatch).'
        AllowUnapprovedPlan    = 'Run a plan that carries no digest (a format version 1 plan, or one whose digest was removed), with a warning. Without it such a plan is refused (PlanNotApproved): nothing proves it is the plan that was approved, and a downgraded plan could have lost its pre-rollback backup. Prefer making and approving a new plan; -ExpectedPlanDigest with the content digest the refusal names approves it too.'
        Connection             = 'The LifeTime connection returned by Connect-OsLifeTime (deployments, maintenance mode, versions). Default: the last connection made.'
        ServiceCenterConnection = 'The Service Center connection returned by Connect-OsServiceCenter (module publishes). Default: the last connection made.'
        OfflineScript          = 'Database strategy: a script block, or the path of a script, that closes the applications to end users (firewall, load balancer). It receives a context object (Environment, PlanId, RollbackPointId, Phase) and must be safe to run twice.'
        OnlineScript           = 'Database strategy: a script block, or the path of a script, that opens the applications to end users again; run only after the smoke tests passed. It receives the same context object.'
        ProcedureScript        = 'Database strategy: a script block, or the path of a script, that does the server steps of OutSystems'' platform-database restore procedure. It receives a context object (Environment, PlanId, RollbackPointId, Step, Operation, Server, Role); Operation is StopServices, ConfigureServer, ApplyPendingSettings or PublishAllComponents; Server is a server named in the plan, or empty when none was named. It must be safe to run twice. Without it, the steps use PowerShell remoting (Invoke-Command) to the servers named in the plan, with OutSystems.SetupTools'' Stop-OSServerServices, Set-OSServerConfig -Apply -InstallServiceCenter and Start-OSServerServices where installed, and ConfigurationTool.com /ApplySettingsFactory for the pending settings; All Components is published through Service Center. A step with neither a hook nor a named server stops the run with ManualStepRequired.'
        ServerCredential       = 'Database strategy: the credential for PowerShell remoting to the servers named in the plan (-DeploymentController, -FrontEnd of New-OsRollbackPlan). Never written to the plan, journal or report. Default: the current user.'
        ManualStepDone         = 'With -Resume: the step the run stopped at with ManualStepRequired (a server step with no -ProcedureScript hook and no server named) was done by hand; the run records it as done by the operator and continues. It confirms only a step that stopped that way.'
        SmokeScript            = 'Extra smoke checks: script blocks that receive the environment name and pass unless they throw or return $false. They run with the HTTP checks of the captured application URLs.'
        SmokeTimeoutSeconds    = 'Seconds one smoke HTTP request may take (default 30).'
        LockTimeoutSeconds     = 'Seconds to wait for another rollback of the same environment to end (default 0: fail at once with a message naming the holder).'
        CatalogPath            = 'The catalog folder (locks, and rollback points found by Id). Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
        SqlInstance            = 'Database strategy: the SQL Server instance of the environment''s database (must be the rollback point''s). Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'Database strategy: the environment''s database on -SqlInstance. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'Database strategy: SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is never stored or logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15).'
        SqlitePath             = 'Database strategy: the SQLite database (sandbox, drills). Without database parameters, the rollback point''s database is used.'
    }
    Inputs      = @('OsRollback.Engine.Rollback.Planning.RollbackPlan, or the path of a JSON plan file')
    Outputs     = @('OsRollback.Engine.Rollback.Execution.RollbackResult (Status, Steps, FailedStep, ParallelDatabase, JournalPath, ReportPath, MarkdownReportPath)', 'System.String (with -OutputScriptOnly: a header, then one script part per step)')
    Examples    = @(
        @{
            Title   = 'See every step first'
            Code    = 'Invoke-OsRollback -Plan ./plan.json -WhatIf'
            Remarks = 'Prints each step with its target; changes nothing.'
        }
        @{
            Title   = 'Let a DBA review the T-SQL first'
            Code    = 'Invoke-OsRollback -Plan ./plan.json -OutputScriptOnly | Set-Content ./rollback.sql'
            Remarks = 'The restore, revert, backup and reseed statements in the order the run issues them; nothing is run.'
        }
        @{
            Title   = 'Execute an approved plan in a pipeline'
            Code    = 'Invoke-OsRollback -Plan ./plan.json -Environment Production -Connection $lt -ServiceCenterConnection $sc -Confirm:$false'
            Remarks = 'Refuses a plan for another environment; writes progress and the summary for Azure DevOps.'
        }
        @{
            Title   = 'Keep the report when the rollback fails'
            Code    = @'
try { $result = Invoke-OsRollback -Plan ./plan.json -Connection $lt -ReportPath ./rollback-report -Confirm:$false -ErrorAction Stop }
catch { "Failed; report: $($_.TargetObject.MarkdownReportPath)"; throw }
'@
            Remarks = 'A failed run writes its result and then stops with the failure; the error''s TargetObject is that result, so the report''s path is known even though $result was never assigned. ./rollback-report holds the report either way.'
        }
        @{
            Title   = 'A database restore with firewall hooks and a smoke check'
            Code    = @'
Invoke-OsRollback -Plan $plan -Connection $lt -ServiceCenterConnection $sc -SqlInstance sql01 -Database outsystems `
    -OfflineScript ./close-firewall.ps1 -OnlineScript ./open-firewall.ps1 `
    -SmokeScript { param($environment) (Invoke-RestMethod https://orders.example.com/api/health).status -eq 'ok' }
'@
            Remarks = 'A failed smoke check stops before -OnlineScript runs: the applications stay closed to users.'
        }
        @{
            Title   = 'Restore with the servers reached by remoting, or steps done by hand'
            Code    = @'
$plan = New-OsRollbackPlan -RollbackPoint $point -Reason 'INC-1234' -Strategy Database -AllowDataLoss `
    -DeploymentController dc1.corp.local -FrontEnd fe1.corp.local, fe2.corp.local
Invoke-OsRollback -Plan $plan -ServerCredential (Get-Credential) -Confirm:$false

# a plan without servers stops at each server step (ManualStepRequired); do it by hand, then:
Invoke-OsRollback -Plan $planPath -Resume -ManualStepDone
'@
            Remarks = 'Services are stopped before the backup and restore; after it the deployment controller, then each front-end, is configured; the pending settings are applied before the republish.'
        }
        @{
            Title   = 'Continue after a failure'
            Code    = 'Invoke-OsRollback -Plan ./plan.json -Resume -Connection $lt -ServiceCenterConnection $sc'
            Remarks = 'Starts at the first unfinished step; finished steps are listed as FinishedEarlier.'
        }
    )
    Notes       = 'When a step fails, the run writes its report, outputs the result and then throws the failure as a terminating error whose TargetObject is the result (Status Failed, FailedStep, ReportPath, MarkdownReportPath). In Azure DevOps a warning silenced with -WarningAction SilentlyContinue is not written as ##vso[task.logissue] either. The journal and the reports hold no token or password. After a Database rollback, compare the live and the parallel database (Compare-OsDatabaseData) to recover the data written since the pre-deploy backup.'
    Links       = @('New-OsRollbackPlan', 'Export-OsRollbackPlan', 'Test-OsSmoke', 'Invoke-OsDatabaseRestoreRollback')
}
