# SQLite access for the soak through Debian's sqlite3 shell: the harness reads and writes the
# sandbox's files as users and auditors would, independent of the module under test.
Set-StrictMode -Version 3.0

$script:Sqlite = (Get-Command sqlite3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
$script:Sqldiff = (Get-Command sqldiff -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source

function Assert-SoakSqlite {
    if (-not $script:Sqlite) { throw 'The soak needs the sqlite3 shell (Debian: apt-get install -y sqlite3).' }
    if (-not $script:Sqldiff) { throw 'The soak needs sqldiff (Debian: apt-get install -y sqlite3-tools).' }
}

# Runs SQL and returns rows as objects (sqlite3 -json); a busy file is retried for up to 5 s.
function Invoke-SoakQuery([string] $Path, [string] $Sql) {
    $text = (& $script:Sqlite -cmd '.timeout 5000' -json $Path $Sql 2>&1) -join "`n"
    if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed on ${Path}: $text (SQL: $Sql)" }
    if ([string]::IsNullOrWhiteSpace($text)) { return @() }
    @($text | ConvertFrom-Json)
}

function Invoke-SoakScalar([string] $Path, [string] $Sql) {
    $text = (& $script:Sqlite -cmd '.timeout 5000' $Path $Sql 2>&1) -join "`n"
    if ($LASTEXITCODE -ne 0) { throw "sqlite3 failed on ${Path}: $text (SQL: $Sql)" }
    $text.Trim()
}

function ConvertTo-SoakLiteral($Value) {
    if ($null -eq $Value) { return 'NULL' }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [double] -or $Value -is [decimal]) { return [string]::Format([cultureinfo]::InvariantCulture, '{0}', $Value) }
    "'" + ([string]$Value).Replace("'", "''") + "'"
}

function Get-SoakColumns([string] $Path, [string] $Table) {
    @(Invoke-SoakQuery $Path "SELECT name FROM pragma_table_info('$Table')" | ForEach-Object name)
}

function Get-SoakRow([string] $Path, [string] $Table, [long] $Id) {
    Invoke-SoakQuery $Path "SELECT * FROM $Table WHERE ID = $Id" | Select-Object -First 1
}

# A consistent copy through the SQLite backup API (what an auditor compares against).
function Copy-SoakDatabase([string] $Path, [string] $Destination) {
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $Destination)
    $text = (& $script:Sqlite -cmd '.timeout 5000' $Path ".backup '$Destination'" 2>&1) -join "`n"
    if ($LASTEXITCODE -ne 0) { throw "sqlite3 .backup of $Path failed: $text" }
}

function Test-SoakIntegrity([string] $Path) {
    (Invoke-SoakScalar $Path 'PRAGMA integrity_check') -eq 'ok'
}

# One SHA-256 per table over its rows in key order: two databases hold the same data when the
# hashes agree; the tables that differ are named in failure messages.
function Get-SoakTableHashes([string] $Path) {
    $hashes = [ordered]@{}
    $tables = Invoke-SoakQuery $Path "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name"
    foreach ($table in @($tables | ForEach-Object name)) {
        $dump = (& $script:Sqlite -cmd '.timeout 5000' $Path ".dump '$table'" 2>&1) -join "`n"
        if ($LASTEXITCODE -ne 0) { throw "sqlite3 .dump of $table in $Path failed: $dump" }
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($dump)
        $hashes[$table] = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes))
    }
    $hashes
}

function Compare-SoakTableHashes($Expected, $Actual) {
    $names = @($Expected.Keys) + @($Actual.Keys) | Sort-Object -Unique
    @($names | Where-Object { -not $Expected.Contains($_) -or -not $Actual.Contains($_) -or $Expected[$_] -ne $Actual[$_] })
}

# The SQL statements sqldiff (sqlite3-tools) would run to turn one database into the other, in
# content and schema: none when both hold the same tables and rows.
function Get-SoakSqldiff([string] $Path, [string] $OtherPath) {
    Assert-SoakSqlite
    $text = @(& $script:Sqldiff $Path $OtherPath 2>&1)
    if ($LASTEXITCODE -ne 0) { throw "sqldiff failed on $Path and ${OtherPath}: $($text -join ' ')" }
    @($text | ForEach-Object { "$_" } | Where-Object { $_.Trim() })
}

Export-ModuleMember -Function *
