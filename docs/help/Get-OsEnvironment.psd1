@{
    Synopsis    = 'Gets the environments that LifeTime manages.'
    Description = @'
Lists the environments of the LifeTime infrastructure in their order (Development, Quality, Production, ...) with key, OutSystems version, host, type and number of front-ends. -Name filters by name (wildcards) or key; a name that matches nothing is an error that names the closest environments.
'@
    Parameters  = @{
        Name       = 'Names (wildcards allowed) or keys of the environments to return. Tab completion lists the environments of the default connection.'
        Connection = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Platform.LifeTimeEnvironment (Key, Name, OSVersion, Order, HostName, UseHTTPS, EnvironmentType, NumberOfFrontEnds, DatabaseProvider, IsCloudEnvironment)')
    Examples    = @(
        @{
            Title   = 'All environments'
            Code    = 'Get-OsEnvironment'
            Remarks = 'Lists every environment in LifeTime order.'
        }
        @{
            Title   = 'One environment by name'
            Code    = 'Get-OsEnvironment -Name Prod*'
            Remarks = 'Environments whose name starts with Prod.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Connect-OsLifeTime', 'Get-OsApplication')
}
