@{
    Synopsis    = 'Gets the order in which OutSystems modules must be republished: producers before consumers, in waves.'
    Description = @'
When a deploy is rolled back module by module, each module must be republished after every module it references (its producers): "bottom to top" of the dependency tree. Get-OsModuleOrder reads the module graph from the OutSystems platform database (OSSYS_* tables, on SQL Server or SQLite), from a JSON file written by Export-OsModuleGraph, or from pipeline objects with Name and DependsOn properties, and returns one object per module with its Order and Wave.

Modules in one wave do not depend on each other and can be published in one go; waves run in sequence. OutSystems allows circular references: the members of a cycle are placed in one wave, share a CycleGroup number and are named in a warning. A reference to a module that does not exist is a warning and is listed in MissingProducers.

-Application and -Module narrow the result to the modules being rolled back, in an order consistent with the whole graph (waves are renumbered from 1). -IncludeConsumers adds every module that directly or transitively consumes them, since consumers must be republished after their producers.
'@
    Parameters  = @{
        Path                   = 'Path of a module graph JSON file, as written by Export-OsModuleGraph (format in docs/module-graph-format.md).'
        InputObject            = 'Objects with a Name property and a DependsOn property (the names of the producers the module references); optional Kind (eSpace or Extension) and Application. Hashtables work too.'
        SqlInstance            = 'The SQL Server instance that holds the OutSystems platform database. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The OutSystems platform database on -SqlInstance (often "outsystems"). Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance. Without it, Windows/integrated authentication is used. The password is sent as a SecureString and never logged.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it (development instances with self-signed certificates).'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15). SqlClient keeps retrying a refused connection until this runs out.'
        SqlitePath             = 'Path of a SQLite platform database (the sandbox''s, or a drill copy) with the OSSYS_* tables.'
        Application            = 'Return only the modules of these applications (names, case-insensitive). An unknown name is an error that lists the closest existing names. Tab completion offers the applications of the -Path file or -SqlitePath database.'
        Module                 = 'Return only these modules (names, case-insensitive). An unknown name is an error that lists the closest existing names.'
        IncludeConsumers       = 'Also return every module that directly or transitively consumes the selected modules.'
    }
    Inputs      = @('System.Management.Automation.PSObject (objects with Name and DependsOn)')
    Outputs     = @('OsRollback.Engine.Modules.ModuleOrderEntry (Order, Wave, Name, Kind, Application, Producers, Consumers, CycleGroup, MissingProducers)')
    Examples    = @(
        @{
            Title   = 'Order every module of the platform database'
            Code    = 'Get-OsModuleOrder -SqlInstance sql01 -Database outsystems'
            Remarks = 'Reads the OSSYS_* tables and lists all active modules, producers first.'
        }
        @{
            Title   = 'Only what a rollback of two applications touches, with their consumers'
            Code    = 'Get-OsModuleOrder -SqlitePath ./platform.db -Application Orders, Billing -IncludeConsumers'
            Remarks = 'The modules of Orders and Billing plus every module that consumes them, in waves numbered from 1.'
        }
        @{
            Title   = 'Republish the affected modules wave by wave'
            Code    = 'Get-OsModuleOrder -Path ./module-graph.json -Module Orders_CS -IncludeConsumers | Publish-OsModuleVersion -Connection $sc -WhatIf'
            Remarks = 'Publish-OsModuleVersion binds Name, Kind and Wave by property name and publishes one wave at a time. Remove -WhatIf to run it.'
        }
        @{
            Title   = 'From objects you build yourself'
            Code    = @'
@(
    [pscustomobject]@{ Name = 'Common_Lib'; DependsOn = @() }
    [pscustomobject]@{ Name = 'Orders_CS'; DependsOn = 'Common_Lib' }
    [pscustomobject]@{ Name = 'Orders'; DependsOn = 'Orders_CS', 'Common_Lib' }
) | Get-OsModuleOrder
'@
            Remarks = 'Returns Common_Lib in wave 1, Orders_CS in wave 2 and Orders in wave 3.'
        }
    )
    Notes       = 'The ordering is linear in the number of modules plus references; see docs/benchmarks.md. Circular references never make it loop or fail.'
    Links       = @('Export-OsModuleGraph', 'Publish-OsModuleVersion')
}
