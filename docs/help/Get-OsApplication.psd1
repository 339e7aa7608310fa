@{
    Synopsis    = 'Gets applications, or with -Environment which version of each application runs there.'
    Description = @'
Without -Environment, lists the applications of the LifeTime infrastructure with their status in every environment (AppStatusInEnvs). With -Environment, returns one row per application running in that environment: the running version tag (Version, VersionKey), whether modules were changed after tagging (IsModified), the consistency status and the number of modules. System applications are left out unless -IncludeSystem is given.
'@
    Parameters  = @{
        Name          = 'Names (wildcards allowed) or keys of the applications to return. Tab completion lists the applications of the default connection.'
        Environment   = 'Name or key of an environment: return which version of each application runs there. Tab completion lists the environments.'
        IncludeSystem = 'Also return OutSystems system applications.'
        Connection    = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Platform.LifeTimeApplication (without -Environment; plus RunningVersions, for example "Development 1.2.0, Quality 1.2.0, Production 1.1.0", * marking a modified version)', 'OsRollback.Engine.Platform.ApplicationInEnvironment (with -Environment: ApplicationName, Version, VersionKey, EnvironmentName, IsModified, ...)')
    Examples    = @(
        @{
            Title   = 'What runs in Production'
            Code    = 'Get-OsApplication -Environment Production'
            Remarks = 'One row per application with its running version tag.'
        }
        @{
            Title   = 'One application everywhere'
            Code    = @'
Get-OsApplication -Name 'Orders' | Select-Object -ExpandProperty AppStatusInEnvs
'@
            Remarks = 'The running version of Orders in each environment.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Get-OsApplicationVersion', 'Get-OsEnvironment')
}
