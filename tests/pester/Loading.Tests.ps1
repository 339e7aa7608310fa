# The module must work in a session where another Microsoft.Data.SqlClient was loaded first,
# as dbatools or the SqlServer module do. Each case runs in a fresh pwsh so the load order is real.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $modulePath = Get-OsRollbackModulePath
    $packages = Join-Path (Get-RepoRoot) 'out/packages'
    $oldSqlClient = Join-Path $packages 'microsoft.data.sqlclient/5.2.2/runtimes/unix/lib/net8.0/Microsoft.Data.SqlClient.dll'
    if ($IsWindows) { $oldSqlClient = $oldSqlClient -replace '/unix/', '/win/' }

    # Loads SqlClient 5.2.2 into the default context, imports OsRollback, and makes the engine
    # construct a SqlConnection (an unreachable server): the expected connection error proves the
    # engine's own SqlClient works; the loaded versions prove they are side by side.
    $probe = @'
$ErrorActionPreference = 'Stop'
@@PRELOAD@@
Import-Module '@@MODULE@@'
try { Get-OsModuleOrder -SqlInstance '127.0.0.1,1' -Database x -TrustServerCertificate -ConnectTimeout 2 } catch { "ERRORID=$($_.FullyQualifiedErrorId)"; "MESSAGE=$($_.Exception.Message)" }
@@AFTER@@
foreach ($context in [System.Runtime.Loader.AssemblyLoadContext]::All) {
    foreach ($a in $context.Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.SqlClient' }) {
        "SQLCLIENT=$($context.Name)|$($a.GetName().Version)|$($a.Location)"
    }
}
'@
    function Format-Probe([string] $Preload, [string] $After) {
        $probe.Replace('@@PRELOAD@@', $Preload).Replace('@@MODULE@@', $modulePath).Replace('@@AFTER@@', $After)
    }
}

Describe 'Loading beside another SqlClient' {
    It 'works when SqlClient 5.2.2 is loaded before the module' {
        Test-Path $oldSqlClient | Should -BeTrue
        $r = Invoke-ChildPwsh (Format-Probe "Add-Type -Path '$oldSqlClient'" '')
        $r.Output | Should -Contain 'ERRORID=DatabaseUnreachable,OsRollback.Cmdlets.Modules.GetOsModuleOrderCommand'
        ($r.Output -join "`n") | Should -Not -Match 'PlatformNotSupported|Could not load|FileLoadException'
        $loaded = $r.Output | Where-Object { $_ -like 'SQLCLIENT=*' }
        $loaded | Should -HaveCount 2
        ($loaded -match 'SQLCLIENT=Default\|5\.') | Should -HaveCount 1
        ($loaded -match 'SQLCLIENT=OsRollback.Engine\|7\..*runtimes') | Should -HaveCount 1
    }

    It 'works when SqlClient 5.2.2 is loaded after the module has used its own' {
        $r = Invoke-ChildPwsh (Format-Probe '' "Add-Type -Path '$oldSqlClient'; [void][Microsoft.Data.SqlClient.SqlConnection]::new()")
        $r.Output | Should -Contain 'ERRORID=DatabaseUnreachable,OsRollback.Cmdlets.Modules.GetOsModuleOrderCommand'
        ($r.Output -match 'SQLCLIENT=') | Should -HaveCount 2
    }

    It 'ships one module folder with no RuntimeIdentifier: the engine beside runtimes/ for every OS' {
        Test-Path (Join-Path $modulePath 'dependencies/OsRollback.Engine.deps.json') | Should -BeTrue
        Test-Path (Join-Path $modulePath 'dependencies/runtimes/unix/lib/net8.0/Microsoft.Data.SqlClient.dll') | Should -BeTrue
        Test-Path (Join-Path $modulePath 'dependencies/runtimes/win/lib/net8.0/Microsoft.Data.SqlClient.dll') | Should -BeTrue
        Test-Path (Join-Path $modulePath 'Microsoft.Data.SqlClient.dll') | Should -BeFalse
        Test-Path (Join-Path $modulePath 'System.Management.Automation.dll') | Should -BeFalse
    }
}
