@{
    Synopsis    = 'Turns maintenance mode of an environment on or off through LifeTime.'
    Description = @'
Sets the maintenance mode of an environment (PUT /environments/{key}/maintenancemode). While it is on, LifeTime refuses to start deployments to the environment. Returns the environment and the mode set. -WhatIf changes nothing.
'@
    Parameters  = @{
        Environment = 'Name or key of the environment. Tab completion lists the environments.'
        Enabled     = '$true to turn maintenance mode on, $false to turn it off.'
        Reason      = 'Why (shown in LifeTime).'
        Connection  = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Platform.MaintenanceModeResult (EnvironmentName, EnvironmentKey, IsMaintenanceModeEnabled, Reason)')
    Examples    = @(
        @{
            Title   = 'Freeze Production during a restore'
            Code    = @'
Set-OsMaintenanceMode -Environment Production -Enabled $true -Reason 'Database restore'
'@
            Remarks = 'No deployment can start in Production until it is turned off.'
        }
        @{
            Title   = 'Back to normal'
            Code    = 'Set-OsMaintenanceMode Production $false'
            Remarks = 'Turns it off.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Suspend-OsTimer')
}
