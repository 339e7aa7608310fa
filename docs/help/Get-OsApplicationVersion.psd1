@{
    Synopsis    = 'Gets the version tags of applications, newest first.'
    Description = @'
Lists the version tags of one or more applications (LifeTime ApplicationVersion_v2), newest first: Key, Version, CreatedOn, ChangeLog, InUse, ApplicationKey, ApplicationName and the module versions of the tag. The output pipes into Publish-OsApplicationVersion. LifeTime returns 5 versions unless -MaximumVersions asks for more.
'@
    Parameters  = @{
        Application     = 'Names or keys of the applications. Accepts pipeline input (strings, objects from Get-OsApplication, or objects with ApplicationName or ApplicationKey). Tab completion lists the applications.'
        Version         = 'Only versions whose tag matches (wildcards allowed), for example 1.4.*.'
        MaximumVersions = 'How many versions per application LifeTime returns (default 5).'
        Connection      = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('System.String (application names or keys)')
    Outputs     = @('OsRollback.Engine.Platform.LifeTimeApplicationVersion (Key, Version, CreatedOn, ApplicationKey, ApplicationName, ChangeLog, InUse, ModuleVersions)')
    Examples    = @(
        @{
            Title   = 'The last tags of an application'
            Code    = 'Get-OsApplicationVersion -Application Orders'
            Remarks = 'The 5 newest version tags of Orders.'
        }
        @{
            Title   = 'The previous tag, ready to deploy'
            Code    = 'Get-OsApplicationVersion -Application Orders -MaximumVersions 2 | Select-Object -Last 1'
            Remarks = 'The tag before the newest one.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Publish-OsApplicationVersion', 'Get-OsApplication')
}
