@{
    Synopsis    = 'Republishes modules wave by wave, producers first, one Service Center staging per wave.'
    Description = @'
Takes modules with a Wave number, usually straight from Get-OsModuleOrder (Name, Kind and Wave bind by property name), and republishes them through Service Center's staging publication: all modules of one wave in one staging, waves in order. Modules of one wave do not depend on each other, so this is as safe as one module at a time and much faster (see docs/benchmarks.md).

Every name is checked against Service Center before anything is published. The first wave that ends with errors (or with warnings, with -StopOnWarning) stops the run: the result lists the modules already published, the failing wave and the modules not attempted, and the error ModuleWaveFailed is written. -WhatIf lists the waves and publishes nothing.

Single-module deploys are supported by OutSystems for Traditional Web modules only. The Service Center connection's password must be platform-hashed (see Connect-OsServiceCenter).
'@
    Parameters  = @{
        Name          = 'Module names. Binds Name by property name from Get-OsModuleOrder.'
        Kind          = 'eSpace or Extension (binds Kind by property name; Service Center''s own kind is used when it knows the module).'
        Wave          = 'The wave of the module (binds Wave by property name; default 1). Waves are published in ascending order.'
        StopOnWarning = 'Stop at a wave that finishes with warnings, not only with errors.'
        StagingName   = 'Prefix of the staging names (default OsRollback): each wave is staged as "<prefix> wave <n>".'
        OneByOne      = 'Publish one staging per module instead of one per wave (slower; for comparison or troubleshooting).'
        Connection    = 'The Service Center connection returned by Connect-OsServiceCenter. When omitted, the last connection made in this session is used.'
    }
    Inputs      = @('OsRollback.Engine.Modules.ModuleOrderEntry (or any object with Name, Kind, Wave)')
    Outputs     = @('OsRollback.Engine.Platform.ModuleWavePublishResult (Succeeded, WaveCount, ModuleCount, PublishedModules, FailedWave, FailedModules, NotPublishedModules, Waves, Duration)')
    Examples    = @(
        @{
            Title   = 'Republish what a rollback touches'
            Code    = 'Get-OsModuleOrder -SqlitePath ./platform.db -Module Orders_CS -IncludeConsumers | Publish-OsModuleVersion'
            Remarks = 'Orders_CS first, then its consumers, wave by wave.'
        }
        @{
            Title   = 'Preview the waves'
            Code    = 'Get-OsModuleOrder -Path ./module-graph.json | Publish-OsModuleVersion -WhatIf'
            Remarks = 'Lists the waves; publishes nothing.'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Get-OsModuleOrder', 'Connect-OsServiceCenter')
}
