# Default views fit a console: at 80 and 120 columns every table header is whole and its key
# columns are there; real outputs of the sandbox read as a DBA expects.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FormatSample.psm1') -Force
    $views = @(Get-OsRollbackTableView (Join-Path (Get-RepoRoot) 'module/formats') | ForEach-Object {
            @{ View = $_.View; TypeName = $_.TypeName; Columns = $_.Columns } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FormatSample.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    # Engine types load on first use: one offline command loads the engine assembly.
    $null = Get-OsModuleOrder -Path (Join-Path (Get-RepoRoot) 'examples/sample-factory.json') -WarningAction SilentlyContinue

    function Find-EngineType([string] $Name) {
        foreach ($assembly in [System.AppDomain]::CurrentDomain.GetAssemblies()) {
            $type = $assembly.GetType($Name)
            if ($type) { return $type }
        }
    }

    # The header line of the first table in the text: the line above the first row of dashes.
    function Get-TableHeader([string] $Text) {
        $lines = $Text -split '\r?\n'
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^[\s-]+$' -and $lines[$i] -match '-') { return $lines[$i - 1] }
        }
    }

    function Assert-WholeHeader([string] $Header, [string[]] $Columns, [int] $Width) {
        $Header.TrimEnd().Length | Should -BeLessOrEqual $Width
        $rest = " $Header "
        foreach ($column in $Columns) {
            $pattern = '\s' + [regex]::Escape($column) + '(?=\s)'
            $rest -match $pattern | Should -BeTrue -Because "the header '$Header' should show '$column' at $Width columns"
            $rest = $rest -replace $pattern, ' '
        }
        $rest.Trim() | Should -BeNullOrEmpty -Because "no header may be cut ('$Header' at $Width columns)"
    }
}

Describe 'Default table view <View>' -Tag 'Formatting' -ForEach $views {
    BeforeAll {
        $type = Find-EngineType $TypeName
        $sample = New-SampleObject $type
    }

    It 'shows every column with its whole header at <_> columns' -ForEach 80, 120 {
        $header = Get-TableHeader ($sample | Format-Table | Out-String -Width $_)
        $header | Should -Not -BeNullOrEmpty
        Assert-WholeHeader $header $Columns $_
    }
}

Describe 'Key columns' -Tag 'Formatting' {
    It 'Compare-OsDatabaseData keeps Table, Inserted, Changed and Deleted' {
        $views = Get-OsRollbackTableView (Join-Path (Get-RepoRoot) 'module/formats')
        $columns = ($views | Where-Object View -EQ 'TableDataDifference').Columns
        foreach ($key in 'Table', 'Inserted', 'Changed', 'Deleted') { $columns | Should -Contain $key }
    }
}

Describe 'Views at 80 columns show the column that matters' -Tag 'Formatting' {
    BeforeAll {
        # Wrapped cells continue on the next lines: whitespace collapsed, a wrapped value reads whole again.
        function Get-Flat([string] $Text) { ($Text -replace '\s+', ' ').Trim() }
        # Output properties are init-only: samples get realistic values through reflection.
        function Set-Sample($Object, [hashtable] $Values) {
            foreach ($k in $Values.Keys) { $Object.GetType().GetProperty($k).SetValue($Object, $Values[$k]) }
            $Object
        }
    }

    It 'a backup shows each file''s name whole, the folder one property away' {
        $backup = Set-Sample (New-SampleObject (Find-EngineType 'OsRollback.Engine.Database.BackupResult')) @{ CopyDatabaseName = $null; Database = 'outsystems' }
        $text = $backup | Out-String -Width 80
        $text | Should -Not -Match '…'
        ($text -replace '\s', '') | Should -Match ([regex]::Escape('outsystems_sql01_20261126_020000.bak'))
        $text | Should -Not -Match '/var/backups' -Because 'the folder is the Path property, not the column'
        Assert-WholeHeader (Get-TableHeader $text) 'Database', 'Start', 'SizeMB', 'Verified', 'File' 80
    }

    It 'schema drift wraps the action instead of cutting it' {
        $item = Set-Sample (New-SampleObject (Find-EngineType 'OsRollback.Engine.Drift.SchemaDriftItem')) @{ Column = 'DISCOUNT' }
        $text = $item | Out-String -Width 80
        $text | Should -Not -Match '…'
        # Format-Table -Wrap breaks a cell at the column's width: the action's characters are all there, in order.
        ($text -replace '\s', '') | Should -Match ([regex]::Escape(($item.Recommendation -replace '\s', '')))
    }

    It 'a data comparison shows the whole status (<_>)' -ForEach 'OnlyInReference', 'PrimaryKeyMismatch', 'OnlyInCurrent' {
        $type = Find-EngineType 'OsRollback.Engine.Drift.TableDataDifference'
        $difference = New-SampleObject $type
        $type.GetProperty('Status').SetValue($difference, [enum]::Parse($type.GetProperty('Status').PropertyType, $_))
        $text = $difference | Out-String -Width 80
        $text | Should -Not -Match '…'
        Get-Flat $text | Should -Match "\b$_\b"
    }

    It 'a <_> shows when it connected' -ForEach 'LifeTimeConnection', 'ServiceCenterConnection' {
        $connection = New-SampleObject (Find-EngineType "OsRollback.Engine.Platform.$_")
        $text = $connection | Out-String -Width 80
        $text | Should -Not -Match '…'
        $text | Should -Match '2026-11-26 02:00:00'
    }

    It 'the checks of a backup test read as a table, not as records' {
        $check = Find-EngineType 'OsRollback.Engine.Database.BackupCheck'
        $checks = @($check::new('Header', 'file header', $true, 'SQLite format 3'), $check::new('Checksum', 'XxHash128 against the metadata', $false, 'the checksum differs'))
        $text = $checks | Out-String -Width 80
        $text | Should -Not -Match 'BackupCheck \{'
        $text | Should -Match '(?m)^ok\s+Header\s+file header\s+SQLite format 3'
        $text | Should -Match '(?m)^FAIL\s+Checksum\s+'
    }
}

Describe 'Outputs of the sandbox' -Tag 'Formatting' {
    BeforeAll {
        Clear-OsDefaultConnection
        $script:dataDirectory = New-TestDirectory
        $script:sandbox = Start-OsSandbox -DataDirectory $dataDirectory -PaceMilliseconds 0
        $null = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
    }
    AfterAll {
        if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
        Clear-OsDefaultConnection
        Remove-Item -Recurse -Force $dataDirectory -ErrorAction SilentlyContinue
    }

    It 'Get-OsModule -IncludeVersions names the module and numbers its versions' {
        $versions = @(Get-OsModule -Name Orders_CS -IncludeVersions)
        $versions.ModuleName | Sort-Object -Unique | Should -Be 'Orders_CS'
        $versions.Version | Should -Be (1..$versions.Count)
        $text = $versions | Out-String -Width 80
        Assert-WholeHeader (Get-TableHeader $text) 'Module', 'Version', 'CreatedOn', 'CreatedBy', 'Hash' 80
        $text | Should -Match "(?m)^Orders_CS\s+1\s"
        $text | Should -Match "(?m)^Orders_CS\s+$($versions.Count)\s"
    }

    It 'Get-OsApplication says which version runs in which environment' {
        $orders = Get-OsApplication -Name Orders
        $orders.RunningVersions | Should -Be 'Development 1.2.0, Quality 1.2.0, Production 1.1.0'
        $text = $orders | Out-String -Width 80
        $text | Should -Match 'Running versions'
        $text | Should -Match 'Orders\s+.*Development 1\.2\.0, Quality 1\.2\.0, Production 1\.1\.0'
    }

    It 'Export-OsModuleGraph returns the file as Get-Item shows it' {
        $path = Join-Path $dataDirectory 'graph.json'
        $file = Export-OsModuleGraph -SqlitePath $sandbox.PlatformDatabase -OutFile $path
        $file | Should -BeOfType System.IO.FileInfo
        $file.PSParentPath | Should -Not -BeNullOrEmpty
        ($file | Out-String -Width 80) | Should -Be (Get-Item $path | Out-String -Width 80)
    }

    It 'Export-OsDataDelta shows the file like Get-Item, with what it holds' {
        $reference = Join-Path $dataDirectory 'reference.db'
        Copy-Item $sandbox.PlatformDatabase $reference
        $path = Join-Path $dataDirectory 'delta.jsonl'
        $result = Export-OsDataDelta -SqlitePath $sandbox.PlatformDatabase -ReferenceSqlitePath $reference -BaseSqlitePath $reference -Path $path
        $text = $result | Out-String -Width 80
        $text | Should -Match "Directory: $([regex]::Escape($dataDirectory))"
        Assert-WholeHeader (Get-TableHeader $text) 'LastWriteTime', 'Length', 'Tables', 'Inserted', 'Changed', 'Deleted', 'Name' 80
        $text | Should -Match "\s$((Get-Item $path).Length)\s+\d+\s+0\s+0\s+0\s+delta\.jsonl"
    }
}
