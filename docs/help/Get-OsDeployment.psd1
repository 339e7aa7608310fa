@{
    Synopsis    = 'Gets LifeTime deployment plans, or one plan with its conflicts, status and log.'
    Description = @'
Without -DeploymentKey, lists deployment plans newest first (LifeTime lists the last week unless -Since says otherwise), optionally only those to -TargetEnvironment; LifeTime takes the dates as days (yyyy-MM-dd), so the list is cut to the exact times by CreatedOn. LifeTime lists plans without their outcome, so each plan's status is read too: DeploymentStatus, and Succeeded ($true when it finished successfully or with warnings, $false when it failed or was aborted, empty while it runs). With -DeploymentKey, returns each plan with its applications, conflicts, modules to delete, status, Info and deployment log.
'@
    Parameters  = @{
        DeploymentKey     = 'Keys of the plans to read in detail. Accepts Key or DeploymentKey by property name from the pipeline.'
        TargetEnvironment = 'Only plans to this environment (name or key).'
        Since             = 'Only plans created on or after this date (LifeTime default: a week ago).'
        Until             = 'Only plans created on or before this date.'
        Connection        = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('System.String (DeploymentKey by property name)')
    Outputs     = @('OsRollback.Engine.Platform.LifeTimeDeployment (list)', 'OsRollback.Engine.Platform.LifeTimeDeploymentReport (with -DeploymentKey)')
    Examples    = @(
        @{
            Title   = 'Plans to Production this week'
            Code    = 'Get-OsDeployment -TargetEnvironment Production'
            Remarks = 'Newest first.'
        }
        @{
            Title   = 'Status and log of one plan'
            Code    = 'Get-OsDeployment -DeploymentKey $result.DeploymentKey | Select-Object -ExpandProperty DeploymentLog'
            Remarks = 'The log lines of a deployment started by Publish-OsApplicationVersion.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Publish-OsApplicationVersion', 'Stop-OsDeployment')
}
