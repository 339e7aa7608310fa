@{
    Synopsis    = 'Writes the OutSystems module dependency graph to a JSON file, or draws it as SVG or Mermaid.'
    Description = @'
Reads the module graph from the platform database (SQL Server or SQLite), from another graph file, or from pipeline objects with Name and DependsOn, checks it (unique names), and writes it as a JSON file in the documented format that Get-OsModuleOrder -Path reads. Keep one with every rollback point, or hand it to a reviewer who has no access to the platform database.

With -Format Svg (or an .svg file) it draws the graph by republish waves instead: one column per wave, producers on the left, arrows from producer to consumer, modules in a reference cycle in red with their cycle number. At most five waves stand side by side (about 1200 pixels, readable on a 1280-pixel screen); further waves wrap into bands below, and the picture scales down to the window rather than overflowing it. The title names the source by its file name or server\database, not its full path. -Format Mermaid (or .mmd) writes the same as a Mermaid flowchart with one subgraph per wave, for wikis and pull requests. No external tool is needed.

-Application narrows every format to the modules of those applications, exactly as Get-OsModuleOrder -Application does (same matching, same UnknownApplication error with the closest names). A JSON file written with -Application keeps each module's references to producers outside the selection; Get-OsModuleOrder -Path lists them as MissingProducers.

Invoke-OsRollback draws the rollback point's graph in its report as well (module-graph.svg next to report.html), marking the modules the bad deploy changed and those the rollback republished.
'@
    Parameters  = @{
        OutFile                = 'Path of the file to write (JSON, SVG or Mermaid).'
        Format                 = 'Json (the file Get-OsModuleOrder -Path reads), Svg (a picture by waves) or Mermaid (a flowchart). Default: from the extension of -OutFile (.svg, .mmd or .mermaid), else Json.'
        Force                  = 'Overwrite -OutFile if it exists.'
        Application            = 'Only the modules of these applications (names, case-insensitive), as Get-OsModuleOrder -Application takes them. An unknown name is an error (UnknownApplication) that lists the closest existing names. Tab completion offers the applications of the -Path file or -SqlitePath database.'
        Path                   = 'Path of an existing module graph JSON file to read (for example, to normalise it).'
        InputObject            = 'Objects with Name and DependsOn (producer names), optionally Kind and Application.'
        SqlInstance            = 'The SQL Server instance that holds the OutSystems platform database. Any form dbatools takes: a name (server, server\instance, server,port, tcp:server), a connection string (its Initial Catalog, login and options apply unless given as parameters), or an object with SqlInstance, DomainInstanceName or ComputerName (dbatools output, SMO Server or Database).'
        Database               = 'The OutSystems platform database on -SqlInstance. Optional when -SqlInstance is a connection string or a database object that names the database (DatabaseNameRequired otherwise).'
        SqlCredential          = 'SQL login for -SqlInstance; without it, integrated authentication is used.'
        TrustServerCertificate = 'Accept the SQL Server certificate without validating it.'
        ConnectTimeout         = 'Seconds to wait for the SQL Server connection (default 15). SqlClient keeps retrying a refused connection until this runs out.'
        SqlitePath             = 'Path of a SQLite platform database with the OSSYS_* tables.'
    }
    Outputs     = @('System.IO.FileInfo')
    Examples    = @(
        @{
            Title   = 'Export the graph of the sandbox platform database'
            Code    = 'Export-OsModuleGraph -SqlitePath ./platform.db -OutFile ./module-graph.json'
            Remarks = 'Writes module-graph.json; Get-OsModuleOrder -Path ./module-graph.json reads it.'
        }
        @{
            Title   = 'Export from SQL Server, replacing an older file'
            Code    = 'Export-OsModuleGraph -SqlInstance sql01 -Database outsystems -OutFile \\share\rollback\graph.json -Force'
            Remarks = 'Overwrites the existing file.'
        }
        @{
            Title   = 'Draw the graph by waves'
            Code    = 'Export-OsModuleGraph -SqlitePath ./platform.db -OutFile ./module-graph.svg -Format Svg'
            Remarks = 'Writes an SVG picture: one column per republish wave, reference cycles in red.'
        }
        @{
            Title   = 'Draw only the modules of two applications'
            Code    = 'Export-OsModuleGraph -SqlitePath ./platform.db -Application Orders, Billing -OutFile ./orders-billing.svg'
            Remarks = 'The modules of Orders and Billing, in the waves Get-OsModuleOrder -Application Orders, Billing gives them; the title names the applications.'
        }
    )
    Links       = @('Get-OsModuleOrder')
}
