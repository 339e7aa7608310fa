@{
    Synopsis    = 'Tags what runs in an environment as a new application version in LifeTime.'
    Description = @'
Creates a new version (tag) of an application from what runs in an environment now (LifeTime API v2, POST /environments/{EnvironmentKey}/applications/{ApplicationKey}/versions, documented by OutSystems). Use it after a Solution or Module rollback, which publishes without LifeTime: tagging what runs keeps LifeTime truthful, and the new tag can be deployed onward or used as the base of the next rollback point. It is also the tag-based way OutSystems gives when LifeTime refuses to deploy a version lower than the one running. The call is sent once and never retried, so a lost answer cannot create two tags. Returns the new ApplicationVersionKey with the application, environment, version and change log. -WhatIf changes nothing.
'@
    Parameters  = @{
        Application = 'Name or key of the application. Tab completion lists the applications.'
        Environment = 'Name or key of the environment whose running application is tagged.'
        Version     = 'The new version number (for example 1.1.1); LifeTime refuses one the application already has.'
        ChangeLog   = 'Change log of the new version; by default it says that OsRollback tagged what runs in the environment.'
        Connection  = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('Objects with an ApplicationName or ApplicationKey property')
    Outputs     = @('OsRollback.Cmdlets.Platform.ApplicationVersionTag (ApplicationVersionKey, ApplicationKey, ApplicationName, Environment, Version, ChangeLog)')
    Examples    = @(
        @{
            Title   = 'Tag Production after a Solution rollback'
            Code    = "New-OsApplicationVersion -Application Orders -Environment Production -Version 1.1.1 -ChangeLog 'Rollback of 1.2.0 (INC-42)'"
            Remarks = 'LifeTime now shows Orders 1.1.1 running in Production, unmodified.'
        }
        @{
            Title   = 'See what would be tagged'
            Code    = 'New-OsApplicationVersion Orders -Environment Production -Version 1.1.1 -WhatIf'
            Remarks = 'Resolves the application and environment and creates nothing.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Get-OsApplicationVersion', 'Publish-OsApplicationVersion', 'Invoke-OsRollback')
}
