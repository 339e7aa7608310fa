@{
    Synopsis    = 'Starts the OsRollback sandbox: a local stand-in for an OutSystems infrastructure (LifeTime, Service Center, platform databases) on 127.0.0.1.'
    Description = @'
Start-OsSandbox runs the sandbox that ships in the module's sandbox folder as its own process (a child pwsh, the same as the calling one, that loads sandbox/OsRollback.Sandbox.dll with the module's dependencies; no ASP.NET Core or SDK needed) and returns when it answers. The sandbox speaks the LifeTime Deployment API v2 (/lifetimeapi/rest/v2) and Service Center's SOAP and staging calls over real HTTP on 127.0.0.1, and keeps each environment's platform database in a SQLite file: three seeded environments (Development, Quality, Production), ten applications with 45 modules and three tags each (1.0.0, 1.1.0, 1.2.0). Production runs 1.1.0; Quality and Development run 1.2.0. Orders 1.2.0 is a bad release: while it runs, its page answers 500. Use it for drills, demos and tests of rollbacks without an OutSystems server.

The returned object has Url, Token (a SecureString), PlatformDatabase (Production's SQLite file), PlatformDatabases (all three by environment name), ServiceCenterCredential, DataDirectory, ProcessId and ProcedureScript (a hook for Invoke-OsRollback -ProcedureScript that stops, configures and applies the settings of the sandbox's servers, as an operator's hook would on real servers). Pipe it to Stop-OsSandbox to stop the process. Secrets reach the sandbox through environment variables, never its command line, and are never written to output.

The data directory keeps the platform databases between runs; -Reset seeds them again. Deployments move one step every -PaceMilliseconds; -PublishLatencyMilliseconds adds a fixed time to every publish operation (for the module-wave benchmark). Faults, request counters and the sandbox's state are reached through /_sandbox endpoints described in docs/sandbox.md.
'@
    Parameters  = @{
        DataDirectory              = 'Folder for the platform databases (development.db, quality.db, production.db) and sandbox.log. Default: a new folder under the temporary directory. Existing databases are kept unless -Reset is given.'
        Port                       = 'TCP port on 127.0.0.1. 0 (the default) lets the system pick a free port; the chosen one is in the Url of the result.'
        PaceMilliseconds           = 'Time between the steps of a deployment or publish (default 200). 0 makes a deployment finish at the first request after it starts.'
        PublishLatencyMilliseconds = 'A fixed extra time for every publish operation (one per LifeTime deployment or Service Center publish, whatever its size), used to compare one publish per wave with one per module. Default 0.'
        Seed                       = 'Seed of the factory (default 1). The same seed gives the same keys and data; names never change.'
        Token                      = 'The LifeTime service-account token the sandbox will accept. Default: a random token, returned in the Token property of the result.'
        ServiceCenterCredential    = 'The Service Center user and password the sandbox will accept. The password is compared as given (no platform hashing). Default: user admin with a random password, returned in the ServiceCenterCredential property.'
        TwoStepEnvironment         = 'Environments whose LifeTime deployments are two-step: they stop in needs_user_intervention (Info deployment_prepared) until continued.'
        Reset                      = 'Delete the platform databases in the data directory and seed them again.'
        TimeoutSeconds             = 'How long to wait for the sandbox to report ready (default 60). When it does not, the process is stopped and the error SandboxStartTimeout is raised.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Cmdlets.Sandbox.OsSandbox (Url, Token, PlatformDatabase, PlatformDatabases, ServiceCenterCredential, DataDirectory, ProcessId, ProcedureScript)')
    Examples    = @(
        @{
            Title   = 'Start a sandbox, connect to its LifeTime and stop it'
            Code    = @'
$sandbox = Start-OsSandbox
Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token -AllowInsecureHttp
Get-OsEnvironment
$sandbox | Stop-OsSandbox
'@
            Remarks = 'The token stays a SecureString from start to finish.'
        }
        @{
            Title   = 'Order the modules of the sandbox''s Production'
            Code    = '$sandbox = Start-OsSandbox -PaceMilliseconds 0; Get-OsModuleOrder -SqlitePath $sandbox.PlatformDatabase -Application Orders -IncludeConsumers'
            Remarks = 'PlatformDatabase is a SQLite file with the OSSYS_* tables, so every cmdlet that reads a platform database can use it.'
        }
        @{
            Title   = 'A slow publish for the wave benchmark, in a fixed folder'
            Code    = 'Start-OsSandbox -DataDirectory ./drill -Reset -PublishLatencyMilliseconds 2000 -TwoStepEnvironment Production'
            Remarks = 'Every publish takes two more seconds, and Production deployments wait for a continue after stage one.'
        }
    )
    Notes       = 'Needs only PowerShell 7.4+ (the sandbox runs in a child pwsh on its own .NET runtime; no ASP.NET Core, no SDK). Errors: SandboxNotFound (module not built), SandboxStartFailed (the process exited; the message quotes its error), SandboxStartTimeout. The sandbox contract is in docs/sandbox.md.'
    Links       = @('Stop-OsSandbox', 'Connect-OsLifeTime', 'Connect-OsServiceCenter', 'Get-OsModuleOrder')
}
