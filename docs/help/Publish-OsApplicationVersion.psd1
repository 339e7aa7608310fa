@{
    Synopsis    = 'Deploys application version tags from a source to a target environment as one LifeTime plan, and waits for it.'
    Description = @'
Publish-OsApplicationVersion does what the LifeTime console and OutSystems' pipeline do, in one step:
1. refuses a source equal to the target (LifeTime cannot deploy an environment onto itself: to roll back, deploy the older tag from an upstream environment that holds it);
2. waits while another plan runs on the target (only one runs at a time);
3. creates the plan with every given version;
4. if LifeTime reports conflicts, shows them as warnings, deletes the saved plan and stops with the error DeploymentConflicts;
5. starts the plan and polls its status and log, with progress; log lines are written as verbose messages (warnings and errors as warnings);
6. when a two-step deployment reports deployment_prepared, sends continue only with -Continue (otherwise it stops and reports needs_user_intervention);
7. returns the outcome as an object with DeploymentStatus and the log. A deployment that ends with errors or aborted also writes the error DeploymentFailed.

-WhatIf resolves the environments and checks the request (reads only) and says what would be deployed; it creates nothing.

Whether LifeTime's API refuses a version older than the one running is not documented; the API's answer is reported as it comes.
'@
    Parameters  = @{
        ApplicationVersion             = 'The versions to deploy: objects from Get-OsApplicationVersion, or version keys. Accepts pipeline input; all versions go into one plan.'
        SourceEnvironment              = 'Name or key of the environment the versions are deployed from (it must hold them). Tab completion lists the environments.'
        TargetEnvironment              = 'Name or key of the environment to deploy to. Tab completion lists the environments.'
        Continue                       = 'When a two-step deployment reports deployment_prepared, send continue and wait for the end. Without it, the cmdlet stops there and reports needs_user_intervention.'
        Notes                          = 'Notes saved with the plan (shown in LifeTime). Default: a line naming OsRollback and the source.'
        WaitForOtherDeploymentsMinutes = 'How long to wait for another plan running on the target before giving up with TargetEnvironmentBusy (default 30).'
        Connection                     = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('OsRollback.Engine.Platform.LifeTimeApplicationVersion', 'System.String (version keys)')
    Outputs     = @('OsRollback.Engine.Platform.DeploymentResult (DeploymentKey, DeploymentStatus, Info, Succeeded, SourceEnvironment, TargetEnvironment, DeploymentLog, Duration, PollCount)')
    Examples    = @(
        @{
            Title   = 'Roll Production back to the previous tag'
            Code    = @'
$previous = Get-OsApplicationVersion -Application Orders -MaximumVersions 2 | Select-Object -Last 1
Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Quality -TargetEnvironment Production
'@
            Remarks = 'Deploys the tag before the newest from Quality to Production and returns DeploymentStatus.'
        }
        @{
            Title   = 'See what would happen'
            Code    = 'Get-OsApplicationVersion -Application Orders, Billing -MaximumVersions 1 | Publish-OsApplicationVersion -SourceEnvironment Quality -TargetEnvironment Production -WhatIf'
            Remarks = 'Checks the request and prints the plan; nothing is created.'
        }
        @{
            Title   = 'Two-step deployment in a pipeline'
            Code    = 'Publish-OsApplicationVersion -ApplicationVersion $key -SourceEnvironment Quality -TargetEnvironment Production -Continue -Confirm:$false'
            Remarks = 'Continues after the prepare stage and waits for the end.'
        }
    )
    Notes       = 'Polling starts every 2 seconds (Connect-OsLifeTime -PollIntervalSec), grows by half while nothing changes up to 15 seconds, and drops back when a log line arrives. Reads are retried on transient faults; create, start, continue and abort are sent once.'
    Links       = @('Get-OsApplicationVersion', 'Get-OsDeployment', 'Stop-OsDeployment')
}
