BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
}

# Bad input a user can type: each is an ErrorRecord with a stable ErrorId, and nothing is written.
Describe 'Bad input becomes an ErrorRecord' {
    BeforeEach {
        $dir = New-TestDirectory
        $text = Join-Path $dir 'notes.txt'
        Set-Content $text 'these are notes, not a database'
    }
    AfterEach { Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue }

    It 'a text file as -SqlitePath for Suspend-OsTimer is NotASqliteDatabase and the file is untouched' {
        $e = Get-ErrorRecord { Suspend-OsTimer -SqlitePath $text -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'NotASqliteDatabase,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.ErrorDetails.RecommendedAction | Should -Match '-SqlitePath'
        Get-Content $text | Should -Be 'these are notes, not a database'
    }

    It 'a text file as -SqlitePath for Resume-OsTimer is NotASqliteDatabase' {
        $state = Join-Path $dir 'state.json'
        Set-Content $state '{"Database":"x","Timers":[]}'
        $e = Get-ErrorRecord { Resume-OsTimer -SqlitePath $text -State $state -Confirm:$false }
        # The state is read first; either way the id is the module's own, not a raw SqliteException.
        $e.FullyQualifiedErrorId | Should -Match '^(NotASqliteDatabase|TimerStateFileInvalid),'
        $e.Exception.GetType().Name | Should -Be 'OsRollbackException' 
        Get-Content $text | Should -Be 'these are notes, not a database'
    }

    It 'a folder as -SqlitePath is NotASqliteDatabase' {
        $e = Get-ErrorRecord { Suspend-OsTimer -SqlitePath $dir -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'NotASqliteDatabase,*'
    }

    It 'a file as -CatalogPath (or a path under a file) is CatalogPathIsFile for the rollback cmdlets' {
        foreach ($catalog in $text, (Join-Path $text 'catalog')) {
            $e = Get-ErrorRecord { Get-OsRollbackPoint -CatalogPath $catalog }
            $e.FullyQualifiedErrorId | Should -BeLike 'CatalogPathIsFile,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e = Get-ErrorRecord { New-OsRollbackPoint -CatalogPath $catalog -Environment Development -SqlitePath (Join-Path $dir 'platform.db') }
            $e.FullyQualifiedErrorId | Should -BeLike 'CatalogPathIsFile,*'
            $e = Get-ErrorRecord { Remove-OsRollbackPoint -CatalogPath $catalog -RollbackPoint 'Development-20260101T000000Z' -Confirm:$false }
            $e.FullyQualifiedErrorId | Should -BeLike 'CatalogPathIsFile,*'
        }
        Get-Content $text | Should -Be 'these are notes, not a database'
    }

    It 'a file as -DataDirectory (or a path under a file) is SandboxDataDirectoryIsFile and no sandbox starts' {
        foreach ($data in $text, (Join-Path $text 'data')) {
            $e = Get-ErrorRecord { Start-OsSandbox -DataDirectory $data }
            $e.FullyQualifiedErrorId | Should -BeLike 'SandboxDataDirectoryIsFile,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        Get-Content $text | Should -Be 'these are notes, not a database'
    }
}

# Every -OutFile/-Path of every cmdlet, given a folder, a read-only file or a path whose folder is
# missing: an ErrorRecord with a stable ErrorId from the module (never a raw .NET exception), and no
# file left behind (no partial output, no folder created). Files a cmdlet reads may be read-only.
Describe 'Bad -OutFile and -Path values become ErrorRecords and leave no file' {
    BeforeDiscovery {
        $writes = @(
            @{ Command = 'Export-OsModuleGraph'; Parameter = 'OutFile'; Invoke = { param($p, $x) Export-OsModuleGraph -Path $x.Graph -OutFile $p -Force -Confirm:$false } }
            @{ Command = 'Export-OsRollbackPlan'; Parameter = 'Path'; Invoke = { param($p, $x) Export-OsRollbackPlan -Plan $x.Plan -Path $p -Force -Confirm:$false } }
            @{ Command = 'Export-OsDataDelta'; Parameter = 'Path'; Invoke = { param($p, $x) Export-OsDataDelta -SqlitePath $x.Db -ReferenceSqlitePath $x.Db -BaseSqlitePath $x.Db -Path $p -Force -Confirm:$false } }
        )
        $cases = foreach ($w in $writes) {
            @{ Case = 'a folder'; Kind = 'Folder'; ErrorId = 'OutputPathIsFolder' } + $w
            @{ Case = 'a read-only file'; Kind = 'ReadOnly'; ErrorId = 'OutputFileReadOnly' } + $w
            @{ Case = 'a path whose folder is missing'; Kind = 'MissingParent'; ErrorId = 'OutputFolderNotFound' } + $w
        }
        $reads = @(
            @{ Command = 'Get-OsModuleOrder'; Parameter = 'Path'; Invoke = { param($p, $x) Get-OsModuleOrder -Path $p }; Folder = 'ModuleGraphFileNotFound'; Missing = 'ModuleGraphFileNotFound'; Garbage = 'ModuleGraphMalformedJson' }
            @{ Command = 'Export-OsModuleGraph'; Parameter = 'Path'; Invoke = { param($p, $x) Export-OsModuleGraph -Path $p -OutFile (Join-Path $x.Dir 'out.json') -Confirm:$false }; Folder = 'ModuleGraphFileNotFound'; Missing = 'ModuleGraphFileNotFound'; Garbage = 'ModuleGraphMalformedJson' }
            @{ Command = 'Import-OsDataDelta'; Parameter = 'Path'; Invoke = { param($p, $x) Import-OsDataDelta -Path $p -SqlitePath $x.Db -Confirm:$false }; Folder = 'DataDeltaNotFound'; Missing = 'DataDeltaNotFound'; Garbage = 'DataDeltaMalformed' }
            @{ Command = 'Get-OsRollbackPoint'; Parameter = 'Path'; Invoke = { param($p, $x) Get-OsRollbackPoint -Path $p }; Folder = 'RollbackPointNotFound'; Missing = 'RollbackPointNotFound'; Garbage = 'RollbackPointNotFound' }
            @{ Command = 'Publish-OsSolutionVersion'; Parameter = 'Path'; Invoke = { param($p, $x) Publish-OsSolutionVersion -Path $p -Confirm:$false }; Folder = 'InputPathIsFolder'; Missing = 'SolutionPackageNotFound'; Garbage = 'NotConnected' }
            # Folders of backups: a file (read-only or not) or a missing folder is BackupPathNotFound.
            @{ Command = 'Get-OsDatabaseBackup'; Parameter = 'Path'; Invoke = { param($p, $x) Get-OsDatabaseBackup -SqlitePath $x.Db -Path $p -ErrorAction Stop }; Folder = $null; Missing = 'BackupPathNotFound'; Garbage = 'BackupPathNotFound' }
            @{ Command = 'Remove-OsDatabaseBackup'; Parameter = 'Path'; Invoke = { param($p, $x) Remove-OsDatabaseBackup -SqlitePath $x.Db -Path $p -KeepLast 1 -Confirm:$false -ErrorAction Stop }; Folder = $null; Missing = 'BackupPathNotFound'; Garbage = 'BackupPathNotFound' }
            @{ Command = 'Backup-OsDatabase'; Parameter = 'Path'; Invoke = { param($p, $x) Backup-OsDatabase -SqlitePath $x.Db -Path $p -ErrorAction Stop }; Folder = $null; Missing = $null; Garbage = 'BackupPathNotFound' }
        )
        $cases += foreach ($r in $reads) {
            if ($r.Folder) { @{ Case = 'a folder'; Kind = 'Folder'; ErrorId = $r.Folder } + $r }
            if ($r.Missing) { @{ Case = 'a path whose folder is missing'; Kind = 'MissingParent'; ErrorId = $r.Missing } + $r }
            @{ Case = 'a read-only file that is not what it expects'; Kind = 'ReadOnly'; ErrorId = $r.Garbage } + $r
        }
    }

    BeforeAll {
        function Get-Listing([string] $Dir) { @(Get-ChildItem -Recurse -Force $Dir | ForEach-Object { "$($_.FullName) $($_.Length)" }) | Sort-Object }
    }

    It '<Command> -<Parameter> given <Case> is <ErrorId>' -ForEach $cases {
        $dir = New-TestDirectory
        try {
            $db = Join-Path $dir 'platform.db'
            & sqlite3 $db 'CREATE TABLE OSUSR_T (ID INTEGER PRIMARY KEY);'
            $graph = Join-Path $dir 'graph.json'
            Set-Content $graph '{ "formatVersion": 1, "modules": [ { "name": "Orders", "kind": "eSpace", "application": "Orders", "dependsOn": [] } ] }'
            $plan = Join-Path $dir 'plan.json'
            Set-Content $plan (@{ formatVersion = 1; id = 'p1'; environment = 'Production'; rollbackPointId = 'rp'; steps = @(@{ number = 1; kind = 'VerifyRollbackPoint'; title = 't'; target = 'x' }) } | ConvertTo-Json -Depth 5)
            $target = Join-Path $dir 'target'
            $null = New-Item -ItemType Directory $target
            $p = switch ($Kind) {
                'Folder' { $target }
                'ReadOnly' { $f = Join-Path $target 'read-only.json'; Set-Content $f 'not the file it expects'; (Get-Item $f).IsReadOnly = $true; $f }
                'MissingParent' { Join-Path $target 'missing/folder/file.json' }
            }
            $before = Get-Listing $dir
            $context = @{ Dir = $dir; Db = $db; Graph = $graph; Plan = $plan }

            $e = Get-ErrorRecord { & $Invoke $p $context }

            $e.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $e.Exception.GetType().Name | Should -Be 'OsRollbackException'
            Get-Listing $dir | Should -Be $before
            if ($Kind -eq 'ReadOnly') { Get-Content $p | Should -Be 'not the file it expects' }
        }
        finally {
            Get-ChildItem -Recurse -File $dir | ForEach-Object { $_.IsReadOnly = $false }
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
        }
    }
}
