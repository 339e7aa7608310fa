@{
    Synopsis    = 'Plans a rollback: picks the best strategy that can work, explains each one skipped, and lists every step. Changes nothing.'
    Description = @'
New-OsRollbackPlan compares what runs in the environment now (LifeTime) with the rollback point, and considers the four strategies in order, from best to last resort:

- LifeTime: deploy the previous version tags with a LifeTime plan from an upstream environment (LifeTime refuses source = target), as OutSystems documents its API rollback: one that runs the previous tags is preferred, otherwise the nearest one, although it runs newer tags. Not possible when LifeTime no longer has a previous tag. If LifeTime refuses a version lower than the running one, the rollback stops with LifeTimeRefusedDeployment and says how to tag the previous version anew or use the next strategy. No data is lost.
- Solution: publish the solution package captured with the rollback point. No data is lost.
- Module: republish the previous version of each changed module and all their consumers, producers first, in waves. No data is lost; skipped when more than -MaxModules modules would be republished, and unless -AllowUnverifiedModuleVersionField is given, as only Service Center's undocumented staging Version field reaches a previous module version.
- Database: the full restore runbook, with the steps of OutSystems' platform-database restore procedure (maintenance mode, timers off, firewall hook, IIS and OutSystems services stopped on the servers, verified pre-rollback backup, restore of the pre-deploy backup, Configuration Tool applied and services restarted on the deployment controller and then each front-end, pending settings applied, republish of all modules in waves or as the All Components solution (-Republish; the plan records which and why), timers woken by publishing suspended again, smoke test, firewall open, the pre-rollback backup restored as a parallel database for data recovery). Chosen only with -AllowDataLoss; the plan states the data-loss window, from the backup time to now.

For each skipped strategy the plan says why (LifeTime no longer has a previous tag; no package captured; only the unverified Version field reaches a previous module version; too many modules with consumers; ...). With -DataCorruption the code-only strategies are skipped, as they do not repair data. -Strategy considers only one strategy and fails with the reason when it cannot work. When none can work, the error lists every reason.

Each strategy assessed carries the users' expected outage (ExpectedOutage, OutageBasis; the plan's view and Markdown show the chosen one's): from the latest succeeded run of the same strategy in the same environment or in a drill on a lower environment, as Get-OsRollbackRun lists them in the catalog (-CatalogPath), with its backup and restore steps scaled by the database's size now over its size at that run; without such a run, from default step durations (docs/rollback.md). OutageBasis names the run ("drill 3f2a1b9c on Quality of 2026-12-01 10:00 UTC, restore scaled ×1.40 for 42 GB vs 30 GB") or says "default durations".

The plan lists every step with its target. Export it with Export-OsRollbackPlan: JSON is the input of Invoke-OsRollback (so a pipeline can have it approved first), Markdown is for an approval gate or a pipeline summary. Plans hold no secret.
'@
    Parameters  = @{
        RollbackPoint  = 'The rollback point to go back to: an object from Get-OsRollbackPoint, an Id, or a folder path. Accepts pipeline input.'
        Reason         = 'Why the rollback is needed (incident number, symptom). Stored in the plan, the deployment notes, the journal and the report.'
        Strategy       = 'Consider only this strategy: LifeTime, Solution, Module or Database. The plan fails with the reason when it cannot work.'
        DataCorruption = 'The bad version wrote corrupt data: the code-only strategies (LifeTime, Solution, Module) are skipped, and the plan warns that data needs a repair plan.'
        Module         = 'Roll back only these modules (and their consumers), module by module. Names are matched without regard to case.'
        Force          = 'Plan the Database strategy from a rollback point whose backup was already restored over the environment (each restore is recorded in restores.jsonl beside the manifest). Without it that strategy is skipped, saying when, by whom and by which plan the point was restored; with it a warning names that restore.'
        AllowDataLoss  = 'Allow the Database strategy. Everything written since the rollback point''s backup is removed from the live database; the last step restores it into a parallel database for recovery.'
        AssessAllStrategies = 'Assess every strategy, also those after the chosen one (and, with -Strategy, the others), so the decision document (Export-OsRollbackPlan -Format Html or Markdown) says for each whether it is possible or why not. Without it the strategies after the chosen one read "not assessed". The chosen strategy and the steps are the same either way; the assessments are part of the plan and of its digest.'
        AllowUnverifiedModuleVersionField = 'Let the Module strategy publish the previous version of each changed module through Service Center''s staging Version field, which OutSystems does not document (its own tools republish the published version). Without it the Module strategy is not possible for changed modules and the plan says so. Which versions run is verified afterwards either way.'
        DeploymentController = 'Database strategy: the host name of the deployment controller server. Its services are stopped before the restore; after it, the Configuration Tool is applied on it first and its pending settings step runs there. Reached by PowerShell remoting (Invoke-OsRollback -ServerCredential) unless Invoke-OsRollback gets -ProcedureScript. Without any server named, the plan lists the server steps the operator does by hand.'
        FrontEnd       = 'Database strategy: the host names of the front-end servers; each is stopped before the restore and configured after the deployment controller.'
        Republish      = 'Database strategy: how the factory is republished after the restore: ModuleWaves (default; producers before consumers, each wave journaled so -Resume continues from the first wave not published) or AllComponents (OutSystems'' documented way: the current running version of every module in one publication, like the All Components solution in Service Center). The plan records the choice and its reason.'
        MaxModules     = 'The most modules the Module strategy may republish, changed ones plus their consumers (default 25). Above it, the Module strategy is skipped.'
        Connection     = 'The LifeTime connection returned by Connect-OsLifeTime, to read what runs now and what upstream environments hold. Default: the last connection made.'
        CatalogPath    = 'The catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
    }
    Inputs      = @('OsRollback.Engine.Rollback.RollbackPoint, or an Id or folder path as a string')
    Outputs     = @('OsRollback.Engine.Rollback.Planning.RollbackPlan (Strategy, Environment, DataLoss, DataLossFrom, Assessments, Changes, Steps, Warnings)')
    Examples    = @(
        @{
            Title   = 'The best way back'
            Code    = 'Get-OsRollbackPoint -Environment Production -Latest | New-OsRollbackPlan -Reason ''INC-1234: orders page fails'' -Connection $lt'
            Remarks = 'Shows the chosen strategy, why the better ones were skipped, and each step.'
        }
        @{
            Title   = 'A plan for approval in a pipeline'
            Code    = @'
$plan = New-OsRollbackPlan -RollbackPoint $rp -Reason $env:INCIDENT -Connection $lt
$plan | Export-OsRollbackPlan -Path "$env:BUILD_ARTIFACTSTAGINGDIRECTORY/rollback-plan.json"
$plan | Export-OsRollbackPlan -Path "$env:BUILD_ARTIFACTSTAGINGDIRECTORY/rollback-plan.md"
Write-Host "##vso[task.uploadsummary]$env:BUILD_ARTIFACTSTAGINGDIRECTORY/rollback-plan.md"
'@
            Remarks = 'The JSON goes to the approval stage, which runs Invoke-OsRollback -Plan rollback-plan.json; the Markdown shows on the run''s summary page.'
        }
        @{
            Title   = 'Corrupt data: restore the database'
            Code    = 'New-OsRollbackPlan -RollbackPoint $rp -Reason ''INC-77: prices overwritten'' -DataCorruption -AllowDataLoss -Connection $lt'
            Remarks = 'Plans the Database strategy and states the data-loss window and the parallel-database recovery step.'
        }
        @{
            Title   = 'A plan for the customer to decide on'
            Code    = '$plan = New-OsRollbackPlan -RollbackPoint $rp -Reason ''INC-42 checkout broken'' -AssessAllStrategies; $plan | Export-OsRollbackPlan -Path ./decision.html; $plan | Export-OsRollbackPlan -Path ./plan.json'
            Remarks = 'decision.html shows the four ways back (possible or why not, outage, data lost, what users see) and the digest of plan.json, which is what runs after sign-off.'
        }
    )
    Notes       = 'Planning only reads. Tables and columns added by the rolled-back version stay in the database (OutSystems never drops them); roll a fix forward from the version that was deployed.'
    Links       = @('Export-OsRollbackPlan', 'Invoke-OsRollback', 'Get-OsRollbackPoint')
}
