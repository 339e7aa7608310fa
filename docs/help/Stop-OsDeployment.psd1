@{
    Synopsis    = 'Aborts a running LifeTime deployment.'
    Description = @'
Sends abort to LifeTime deployment plans and returns their status afterwards (aborting, then aborted). LifeTime refuses to abort a plan that is already publishing modules; that answer is reported as an error. ConfirmImpact is High: PowerShell asks before aborting unless -Confirm:$false is given.
'@
    Parameters  = @{
        DeploymentKey = 'Keys of the deployments to abort. Accepts Key or DeploymentKey by property name (from Get-OsDeployment or Publish-OsApplicationVersion).'
        Connection    = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('System.String (DeploymentKey by property name)')
    Outputs     = @('OsRollback.Engine.Platform.LifeTimeDeploymentStatus (DeploymentStatus, Info, DeploymentLog)')
    Examples    = @(
        @{
            Title   = 'Abort a deployment'
            Code    = 'Stop-OsDeployment -DeploymentKey $key -Confirm:$false'
            Remarks = 'Aborts it and returns its status.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Get-OsDeployment', 'Publish-OsApplicationVersion')
}
