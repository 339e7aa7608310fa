# Shared helpers for the Pester suite.

function Get-OsRollbackModulePath {
    if ($env:OSROLLBACK_MODULE_PATH) { return $env:OSROLLBACK_MODULE_PATH }
    Join-Path (Split-Path (Split-Path $PSScriptRoot)) 'out/OsRollback'
}

function Get-RepoRoot { Split-Path (Split-Path $PSScriptRoot) }

function New-TestDirectory {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ("osrollback-pester-" + [guid]::NewGuid().ToString('N'))
    (New-Item -ItemType Directory -Path $path).FullName
}

# Runs a script in a fresh pwsh (the same executable as this one) and returns its output lines.
function Invoke-ChildPwsh([string] $Script) {
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ("osrollback-child-" + [guid]::NewGuid().ToString('N') + '.ps1')
    Set-Content -Path $file -Value $Script
    try {
        $pwsh = & (Join-Path (Get-RepoRoot) 'tools/Get-PwshCommand.ps1')
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $file 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }
    finally { Remove-Item $file -ErrorAction SilentlyContinue }
}

# Captures an ErrorRecord from a script block that must fail.
function Get-ErrorRecord([scriptblock] $ScriptBlock) {
    try { & $ScriptBlock | Out-Null } catch { return $_ }
    throw 'Expected an error, but the command succeeded.'
}

# Forgets the last Connect-OsLifeTime/Connect-OsServiceCenter seen by this runspace (they are defaults).
function Clear-OsDefaultConnection {
    $connections = [OsRollback.Cmdlets.OsRollbackServices]::For([runspace]::DefaultRunspace).Connections
    $connections.LifeTime = $null
    $connections.ServiceCenter = $null
}

# Runs one SQL statement on a SQLite file and returns its first value, with the Microsoft.Data.Sqlite
# the module carries in its private load context (the test makes one module call first to load it).
function Invoke-Sqlite([string] $Path, [string] $Sql) {
    $assembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
    if (-not $assembly) { throw 'Microsoft.Data.Sqlite is not loaded yet: call a database cmdlet of the module first.' }
    $connection = [Activator]::CreateInstance($assembly.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @("Data Source=$Path;Pooling=False"))
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $result = $command.ExecuteScalar()
        if ($result -is [DBNull]) { $null } else { $result }
    }
    finally { $connection.Dispose() }
}

# Runs headless Chromium with a fresh profile (no sandbox: tests may run as root) and returns what it printed.
function Invoke-HeadlessChromium([string] $Chromium, [string[]] $Arguments) {
    $userData = Join-Path ([System.IO.Path]::GetTempPath()) ("osrollback-chromium-" + [guid]::NewGuid().ToString("N"))
    try { (& $Chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run "--user-data-dir=$userData" @Arguments 2>&1 | ForEach-Object { "$_" }) -join "`n" }
    finally { Remove-Item $userData -Recurse -Force -ErrorAction SilentlyContinue }
}

# The text a reader sees in a DOM that Chromium dumped (no style, title or markup; entities decoded).
function ConvertTo-VisibleText([string] $Dom) {
    [System.Net.WebUtility]::HtmlDecode(($Dom -replace '<style[\s\S]*?</style>', '' -replace '<script[\s\S]*?</script>', '' -replace '<title>[^<]*</title>', '' -replace '<[^>]+>', ' ' -replace '\s+', ' '))
}

# The usual scene on a started sandbox: Quality holds Orders 1.1.0 (the previous tag a LifeTime
# rollback needs), a rollback point of Production is taken, then Orders 1.2.0 is deployed from
# Development. Returns the rollback point.
function New-SandboxBadDeploy($Sandbox, $Connection, [string] $CatalogPath) {
    $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0 -Connection $Connection
    $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $Connection -Confirm:$false
    $rp = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $Sandbox.PlatformDatabase -Connection $Connection -CatalogPath $CatalogPath -Confirm:$false
    $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $Connection
    $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $Connection -Confirm:$false
    $rp
}

Export-ModuleMember -Function *
