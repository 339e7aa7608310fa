<#
.SYNOPSIS
    Benchmarks SQLite backup and restore by OsRollback against sqlite3's .backup/.restore and a plain file copy.
.DESCRIPTION
    Builds a SQLite database of -SizeMB megabytes (default 512) shaped like a platform database
    (rows with text and blobs, an index), then times, in the same run and on the same disk:
      - a plain file copy (the physical limit here),
      - sqlite3 <db> ".backup <file>" and sqlite3 <file> ".restore <db>" (skipped, and said so, when
        the sqlite3 command-line tool is absent: apt-get update && apt-get install -y sqlite3),
      - Backup-OsDatabase (backup API, then PRAGMA quick_check beside a flush and XxHash128 checksum, and the metadata file) and
        Restore-OsDatabase into a new file (checksum and quick_check of the backup, then backup API).
    Each measurement is repeated -Repeat times; the median is reported, with the ratio to sqlite3.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./bench/database/Invoke-DatabaseBenchmark.ps1 -ModulePath ./out/OsRollback
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(16, 65536)] [int] $SizeMB = 512,
    [ValidateRange(1, 50)] [int] $Repeat = 5,
    # Scratch folder (needs about 6 x SizeMB free); removed afterwards.
    [string] $WorkDirectory = (Join-Path ([IO.Path]::GetTempPath()) ('osrollback-bench-' + [guid]::NewGuid().ToString('N'))),
    # Writes the Markdown table to this file as well.
    [string] $MarkdownFile
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$null = New-Item -ItemType Directory -Force $WorkDirectory
$db = Join-Path $WorkDirectory 'platform.db'
$backups = (New-Item -ItemType Directory -Force (Join-Path $WorkDirectory 'backups')).FullName

try {
    # Microsoft.Data.Sqlite as the module's private load context resolves it.
    $null = Get-OsDatabaseBackup -SqlitePath $db -Path $backups
    $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OsRollback.Engine' } | Select-Object -First 1
    $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine)
    $connectionType = $context.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Microsoft.Data.Sqlite')).GetType('Microsoft.Data.Sqlite.SqliteConnection', $true)

    Write-Host "Building a $SizeMB MB SQLite database in $WorkDirectory ..."
    $connection = [Activator]::CreateInstance($connectionType, @("Data Source=$db;Pooling=False"))
    $connection.Open()
    $command = $connection.CreateCommand()
    $rows = [int]($SizeMB * 1MB / 1200)
    $command.CommandText = @"
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
CREATE TABLE OSUSR_ORDER (ID INTEGER PRIMARY KEY, CUSTOMER TEXT NOT NULL, CREATED TEXT NOT NULL, AMOUNT REAL, PAYLOAD BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO OSUSR_ORDER SELECT i, 'Customer_' || (i % 9973), datetime(1700000000 + i, 'unixepoch'), i * 0.37, randomblob(1000) FROM n;
CREATE INDEX IX_ORDER_CUSTOMER ON OSUSR_ORDER (CUSTOMER, CREATED);
PRAGMA journal_mode = DELETE;
"@
    $null = $command.ExecuteNonQuery()
    $connection.Dispose()
    $size = (Get-Item $db).Length
    Write-Host ("Database: {0:N0} bytes" -f $size)

    $sqlite3 = Get-Command sqlite3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $sqlite3) { Write-Warning 'sqlite3 not found: the sqlite3 column is skipped. Install it with: apt-get update && apt-get install -y sqlite3' }

    function Clear-Scratch { Get-ChildItem $backups | Remove-Item -Force; Remove-Item (Join-Path $WorkDirectory 'copy.db'), (Join-Path $WorkDirectory 'restored.db*') -ErrorAction SilentlyContinue }

    # One reference backup to restore from (written by the module, so it has its metadata file).
    $reference = (New-Item -ItemType Directory -Force (Join-Path $WorkDirectory 'reference')).FullName
    $backupFile = (Backup-OsDatabase -SqlitePath $db -Path $reference -ProgressAction SilentlyContinue).FilePath[0]
    $copyFile = Join-Path $WorkDirectory 'copy.db'
    $restored = Join-Path $WorkDirectory 'restored.db'

    $cases = [ordered]@{
        'Backup: plain file copy'                = { [IO.File]::Copy($db, $copyFile, $true) }
        'Backup: sqlite3 .backup'                = { & $sqlite3.Source $db ".backup '$copyFile'"; if ($LASTEXITCODE) { throw 'sqlite3 .backup failed' } }
        'Backup: Backup-OsDatabase'              = { $null = Backup-OsDatabase -SqlitePath $db -Path $backups -ProgressAction SilentlyContinue }
        'Restore: plain file copy'               = { [IO.File]::Copy($backupFile, $restored, $true) }
        'Restore: sqlite3 .restore'              = { & $sqlite3.Source $restored ".restore '$backupFile'"; if ($LASTEXITCODE) { throw 'sqlite3 .restore failed' } }
        'Restore: Restore-OsDatabase (new file)' = { $null = Restore-OsDatabase -SqlitePath $restored -FilePath $backupFile -Confirm:$false -ProgressAction SilentlyContinue }
    }
    if (-not $sqlite3) { $cases.Remove('Backup: sqlite3 .backup'); $cases.Remove('Restore: sqlite3 .restore') }

    # Rounds interleave the cases, so that load from other processes hits them all alike.
    $times = @{}
    foreach ($name in $cases.Keys) { $times[$name] = [Collections.Generic.List[double]]::new() }
    foreach ($round in 1..$Repeat) {
        Write-Host "Round $round of $Repeat ..."
        foreach ($name in $cases.Keys) {
            Clear-Scratch
            [GC]::Collect()
            $watch = [Diagnostics.Stopwatch]::StartNew()
            & $cases[$name]
            $watch.Stop()
            $times[$name].Add($watch.Elapsed.TotalSeconds)
        }
    }
    $results = [ordered]@{}
    foreach ($name in $cases.Keys) {
        $sorted = @($times[$name] | Sort-Object)
        $results[$name] = $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)]
    }

    $lines = @(
        "Database: $([Math]::Round($size / 1MB)) MB ($SizeMB MB requested), median of $Repeat runs, $([Environment]::ProcessorCount) cores, $(if ($sqlite3) { (& $sqlite3.Source --version).Split(' ')[0..1] -join ' ' } else { 'sqlite3 absent' })."
        ''
        '| operation | seconds | MB/s | vs sqlite3 | vs file copy |'
        '| --- | ---: | ---: | ---: | ---: |'
    )
    foreach ($name in $results.Keys) {
        $seconds = $results[$name]
        $kind = $name.Split(':')[0]
        $sqliteKey = if ($kind -eq 'Backup') { 'Backup: sqlite3 .backup' } else { 'Restore: sqlite3 .restore' }
        $copyKey = "${kind}: plain file copy"
        $vsSqlite = if ($results.Contains($sqliteKey)) { '{0:0.00}x' -f ($seconds / $results[$sqliteKey]) } else { 'skipped (no sqlite3)' }
        $lines += '| {0} | {1:0.00} | {2:N0} | {3} | {4:0.00}x |' -f $name, $seconds, ($size / 1MB / $seconds), $vsSqlite, ($seconds / $results[$copyKey])
    }
    $lines | ForEach-Object { Write-Host $_ }
    if ($MarkdownFile) { $lines | Set-Content -Path $MarkdownFile }
    [pscustomobject]$results
}
finally {
    Remove-Item -Recurse -Force $WorkDirectory -ErrorAction SilentlyContinue
}
