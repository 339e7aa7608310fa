@{
    Synopsis    = 'Writes the OutSystems module dependency graph to a JSON file.'
    Description = @'
Reads the module graph from the platform database (SQL Server or SQLite), from another graph file, or from pipeline objects with Name and DependsOn, checks it (unique names), and writes it as a JSON file in the documented format that Get-OsModuleOrder -Path reads. Keep one with every rollback point, or hand it to a reviewer who has no access to the platform database.
'@
    Parameters  = @{
        OutFile                = 'Path of the JSON file to write.'
        Force                  = 'Overwrite -OutFile if it exists.'
        Path                   = 'Path of an existing module graph JSON file to read (for example, to normalise it).'
        InputObject            = 'Objects with Name and DependsOn (producer names), optionally Kind and Application.'
        SqlInstance            = 'The SQL Server instance that holds the OutSystems platform database.'
        Database               = 'The OutSystems platform database on -SqlInstance.'
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
    )
    Links       = @('Get-OsModuleOrder')
}
