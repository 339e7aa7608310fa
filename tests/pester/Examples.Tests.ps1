# Every example a user can copy parses and binds; help shows what a DBA looks for first.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ExampleCheck.psm1') -Force
    $examples = @(Get-OsRollbackExample -RepoRoot (Get-RepoRoot) | ForEach-Object { @{ Source = $_.Source; Code = $_.Code } })
    $markdownFiles = @(@(Get-Item (Join-Path (Get-RepoRoot) 'README.md')) + @(Get-ChildItem (Join-Path (Get-RepoRoot) 'docs') -Filter *.md) |
        ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ExampleCheck.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $commandNames = @((Get-Command -Module OsRollback).Name)
}

Describe 'Examples' -Tag 'Examples' {
    It 'are found in help sources, runbook help, the about topic, README, docs and examples' {
        $sources = @(Get-OsRollbackExample -RepoRoot (Get-RepoRoot)).Source
        foreach ($kind in 'docs/help/', 'module/runbooks/', 'module/en-US/about_OsRollback', 'README.md', 'docs/rollback.md', 'examples/') {
            @($sources | Where-Object { $_.StartsWith($kind) }).Count | Should -BeGreaterThan 0 -Because "$kind has examples"
        }
    }

    It '<Source> parses and binds' -ForEach $examples {
        $problems = @(Test-OsRollbackExampleBinding $Code $commandNames)
        $problems -join "`n" | Should -BeNullOrEmpty
    }
}

Describe 'The example checker' -Tag 'Examples' {
    It 'reports <What>' -ForEach @(
        @{ What = 'an unknown parameter'; Code = 'Backup-OsDatabase -SqlitePath ./a.db -Path ./b -Checksum'; Expected = 'Checksum' }
        @{ What = 'a literal string given to a SecureString'; Code = 'Connect-OsLifeTime -Uri https://lt.example.com -Token ''abc'''; Expected = 'SecureString' }
        @{ What = 'an environment variable given to a SecureString'; Code = 'Connect-OsLifeTime -Uri https://lt.example.com -Token $env:LT_TOKEN'; Expected = 'SecureString' }
        @{ What = 'a folder list given as one backup file'; Code = "`$b = Backup-OsDatabase -SqlitePath ./a.db -Path ./b`nImport-OsDataDelta -SqlitePath ./a.db -Path ./d.jsonl -SafetyBackupPath `$b.Path"; Expected = 'String\[\]' }
        @{ What = 'a property the output does not have'; Code = "`$b = Backup-OsDatabase -SqlitePath ./a.db -Path ./b`nImport-OsDataDelta -SqlitePath ./a.db -Path ./d.jsonl -SafetyBackupPath `$b.File"; Expected = 'no property File' }
        @{ What = 'parameters of different sets'; Code = 'Backup-OsDatabase -SqlitePath ./a.db -SqlInstance sql01 -Database x'; Expected = 'no parameter set' }
        @{ What = 'a parse error'; Code = 'Get-OsRollbackPoint -Environment ('; Expected = 'parse error' }
    ) {
        (Test-OsRollbackExampleBinding $Code $commandNames) -join "`n" | Should -Match $Expected
    }

    It 'accepts a correct example with aliases and common parameters' {
        $code = "`$b = Backup-OsDatabase -SqlitePath ./a.db -Path ./b -Verbose`nImport-OsDataDelta -SqlitePath ./a.db -Path ./d.jsonl -SafetyBackupPath `$b.FilePath[0] -WhatIf`nConnect-OsLifeTime -Url http://127.0.0.1:1 -TokenEnvironmentVariable T"
        @(Test-OsRollbackExampleBinding $code $commandNames) | Should -BeNullOrEmpty
    }
}

Describe 'Help a DBA reads' -Tag 'Examples' {
    It 'shows [-WhatIf] [-Confirm] in the syntax of every command that changes something' {
        $changing = Get-Command -Module OsRollback -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('WhatIf') }
        $changing.Count | Should -BeGreaterThan 5
        foreach ($command in $changing) {
            $syntax = (Get-Help $command.Name).Syntax | Out-String -Width 500
            $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]' -Because "$($command.Name) supports ShouldProcess"
        }
    }

    It 'shows the default value the code uses: <Command> -<Parameter> is <Default>' -ForEach @(
        @{ Command = 'Restore-OsDatabase'; Parameter = 'SafetyBackupMaxAge'; Default = '01:00:00' }
        @{ Command = 'Backup-OsDatabase'; Parameter = 'CopyOnly'; Default = 'True' }
        @{ Command = 'Backup-OsDatabase'; Parameter = 'FileNamePattern'; Default = '{Database}_{Server}_{Timestamp}' }
        @{ Command = 'Connect-OsLifeTime'; Parameter = 'TimeoutSec'; Default = '100' }
        @{ Command = 'Backup-OsDatabase'; Parameter = 'Verify'; Default = 'False' }
        @{ Command = 'Backup-OsDatabase'; Parameter = 'WhatIf'; Default = 'False' }
        @{ Command = 'Backup-OsDatabase'; Parameter = 'Path'; Default = 'None' }
    ) {
        (Get-Help $Command -Parameter $Parameter).defaultValue | Should -BeExactly $Default
    }

    It 'has an about_OsRollback topic' {
        $topic = Get-Help about_OsRollback | Out-String
        $topic | Should -Match 'about_OsRollback'
        $topic | Should -Match 'Start-OsSandbox'
        $topic | Should -Match 'OSROLLBACK_HOME'
    }
}

Describe 'Links in <Name>' -Tag 'Examples' -ForEach $markdownFiles {
    It 'point at files of the repository that exist' {
        $text = Get-Content -Raw $Path
        $repo = [System.IO.Path]::GetFullPath((Get-RepoRoot))
        foreach ($link in [regex]::Matches($text, '\]\(([^)\s]+)\)')) {
            $target = $link.Groups[1].Value -replace '#.*$', ''
            $target | Should -Not -Match '^[a-z]+:' -Because "$($link.Value) leaves the repository"
            if (-not $target) { continue }
            $full = [System.IO.Path]::GetFullPath((Join-Path (Split-Path $Path) $target))
            $full.StartsWith($repo) | Should -BeTrue -Because "$($link.Value) leaves the repository"
            Test-Path $full | Should -BeTrue -Because "$($link.Value) must exist"
        }
        $text | Should -Not -Match '\.\./shared/' -Because 'readers of the repository do not have ../shared'
    }
}

Describe 'Literal walk-throughs' -Tag 'Examples' {
    BeforeAll {
        $script:repo = [System.IO.Path]::GetFullPath((Get-RepoRoot))
        # A scratch folder under out/, so `dotnet pwsh` finds the repository's tool manifest as it
        # does at the root, with ./out/OsRollback and ./examples where a reader at the root has them.
        function New-ReaderFolder {
            $folder = Join-Path $repo ('out/reader-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
            $null = New-Item -ItemType Directory -Force (Join-Path $folder 'out')
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'out/OsRollback') -Target (Get-OsRollbackModulePath)
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'examples') -Target (Join-Path $repo 'examples')
            $folder
        }
        # The first fenced block after a heading (or a line) of a Markdown file.
        function Get-FencedBlock([string] $Path, [string] $After) {
            $text = Get-Content -Raw $Path
            $start = $text.IndexOf($After)
            $start | Should -BeGreaterOrEqual 0 -Because "$Path has '$After'"
            $match = [regex]::Match($text.Substring($start), '(?s)```(?:powershell|bash)?\r?\n(.*?)```')
            $match.Groups[1].Value
        }
    }

    It 'README''s walk-through runs as written on the sandbox, from rollback point to recovered rows' -Skip:$IsWindows {
        $code = Get-FencedBlock (Join-Path $repo 'README.md') '## Walk-through: from rollback point to finished rollback'
        $code | Should -Match 'New-OsRollbackPlan'
        $folder = New-ReaderFolder
        try {
            # The reader answers Y to each confirmation; the catalog is this test's own.
            $prelude = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; `$ConfirmPreference = 'None'`n" +
                "`$env:OSROLLBACK_HOME = '$(Join-Path $folder 'catalog')'; Set-Location '$folder'`n"
            $epilogue = "`n'walk-through: ' + `$restore.Status + ' ' + (Test-Path ./lost-rows.jsonl) + ' ' + (Test-Path ./plan.md)"
            $run = Invoke-ChildPwsh ($prelude + $code + $epilogue)
            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output | Should -Contain 'walk-through: Succeeded True True'
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'the scheduled-backup try-it runs as written, in bash, and names a database that exists' -Skip:$IsWindows {
        $lines = @((Get-FencedBlock (Join-Path $repo 'examples/scheduled-backup/README.md') 'Try the job') -split '\r?\n' | Where-Object { $_ -and $_ -notmatch 'build\.ps1 Build' })
        $lines.Count | Should -Be 2
        $folder = New-ReaderFolder
        try {
            $script = (@('set -e', "cd '$folder'") + $lines) -join "`n"
            $output = bash -c $script 2>&1 | ForEach-Object { "$_" }
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            ($output -join "`n") | Should -Match 'Backed up production to .*production_.*\.sqlite .*verified: True'
            @(Get-ChildItem (Join-Path $folder 'backups') -Filter '*.sqlite').Count | Should -Be 1
            # The same job with a mistyped folder and no -BuildPath: exit 1, BackupPathNotFound, nothing created.
            $typo = $lines[-1] -replace '-Path \./backups -BuildPath', '-Path ./bakcups'
            $typo | Should -Not -Match 'BuildPath'
            $output = bash -c ("cd '$folder'`n" + $typo) 2>&1 | ForEach-Object { "$_" }
            $LASTEXITCODE | Should -Be 1
            ($output -join "`n") | Should -Match 'BackupPathNotFound|does not exist'
            Test-Path (Join-Path $folder 'bakcups') | Should -BeFalse
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'the cron line tolerates a missing environment file, as the systemd unit does' -Skip:$IsWindows {
        $line = @(Get-Content (Join-Path $repo 'examples/scheduled-backup/crontab.txt') | Where-Object { $_ -match '^\d' })[0]
        $command = ($line -split '\s+', 6)[5]
        (Get-Content (Join-Path $repo 'examples/scheduled-backup/osrollback-backup.service') -Raw) | Should -Match 'EnvironmentFile=-'
        # Up to pwsh: what /bin/sh runs before the job, with the file missing and present.
        $prefix = $command.Substring(0, $command.IndexOf('/usr/bin/pwsh'))
        $missing = Join-Path (New-TestDirectory) 'backup.env'
        $probe = $prefix.Replace('/etc/osrollback/backup.env', $missing) + ' echo "reached user=${OSROLLBACK_SQL_USER:-none}"'
        (sh -c $probe 2>&1) | Should -Be 'reached user=none'
        Set-Content $missing 'OSROLLBACK_SQL_USER=osbackup'
        (sh -c $probe 2>&1) | Should -Be 'reached user=osbackup'
    }
}
