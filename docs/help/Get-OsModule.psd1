@{
    Synopsis    = 'Gets the modules LifeTime knows, optionally with their versions.'
    Description = @'
Lists the modules of the LifeTime infrastructure (Key, Name, Kind eSpace or Extension, Description). With -IncludeVersions returns the versions of the selected modules instead (Key, ModuleKey, CreatedOn, CreatedBy, GeneralHash), newest first; LifeTime returns the newest 5 per module unless -MaximumVersions asks for more.
'@
    Parameters  = @{
        Name            = 'Names (wildcards allowed) or keys of the modules to return.'
        IncludeVersions = 'Return the versions of the selected modules instead of the modules.'
        MaximumVersions = 'With -IncludeVersions, how many versions per module LifeTime returns (default 5, as LifeTime; 0 returns all).'
        Connection      = 'The LifeTime connection returned by Connect-OsLifeTime. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Platform.LifeTimeModule', 'OsRollback.Engine.Platform.LifeTimeModuleVersion (with -IncludeVersions; plus ModuleName and Version, the number counted from the oldest version of the module, as LifeTime gives neither)')
    Examples    = @(
        @{
            Title   = 'Modules of a layer'
            Code    = 'Get-OsModule -Name *_CS'
            Remarks = 'Every core-service module.'
        }
        @{
            Title   = 'Versions of one module'
            Code    = 'Get-OsModule -Name Orders_CS -IncludeVersions'
            Remarks = 'The versions of Orders_CS with their hashes.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Get-OsApplication', 'Publish-OsModuleVersion')
}
