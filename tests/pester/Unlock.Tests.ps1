# Unlock-OsEnvironment: releases a dead run's rollback lock only after checking its holder is gone.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force

    function Set-DeadLock([string] $Path) {
        # What a killed run leaves: its lock file naming a process that no longer runs, held open by nobody.
        @{ environment = 'Production'; planId = 'killed-plan'; processId = [int]::MaxValue - 7; host = [Environment]::MachineName; user = 'night-shift'; acquiredAt = [datetime]::UtcNow.ToString('o') } |
            ConvertTo-Json | Set-Content -LiteralPath $Path
    }
}

Describe 'Unlock-OsEnvironment' -Tag 'Lock' {
    BeforeEach {
        $dir = New-TestDirectory
        $db = Join-Path $dir 'production.db'
        [System.IO.File]::WriteAllBytes($db, [byte[]]::new(4096))
        $lock = "$db.osrollback.lock"
    }
    AfterEach { Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue }

    It 'releases the lock of a run whose process is gone and returns its holder' {
        Set-DeadLock $lock
        $released = Unlock-OsEnvironment -SqlitePath $db -Confirm:$false
        $released.PlanId | Should -Be 'killed-plan'
        $released.User | Should -Be 'night-shift'
        Test-Path $lock | Should -BeFalse
    }

    It 'reaches the same lock through a symbolic link to the database' -Skip:$IsWindows {
        Set-DeadLock $lock
        $link = Join-Path $dir 'alias.db'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $db
        (Unlock-OsEnvironment -SqlitePath $link -Confirm:$false).PlanId | Should -Be 'killed-plan'
        Test-Path $lock | Should -BeFalse
    }

    It '-WhatIf releases nothing and returns nothing' {
        Set-DeadLock $lock
        $out = Unlock-OsEnvironment -SqlitePath $db -WhatIf
        $out | Should -BeNullOrEmpty
        Test-Path $lock | Should -BeTrue
        (Get-Content -Raw $lock) | Should -Match 'killed-plan'
    }

    It 'refuses a lock whose holder still runs with EnvironmentLockHeld and keeps it' {
        @{ environment = 'Production'; planId = 'running-plan'; processId = $PID; host = [Environment]::MachineName; user = 'day-shift'; acquiredAt = [datetime]::UtcNow.ToString('o') } |
            ConvertTo-Json | Set-Content -LiteralPath $lock
        $e = Get-ErrorRecord { Unlock-OsEnvironment -SqlitePath $db -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'EnvironmentLockHeld,*'
        $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $e.Exception.Message | Should -Match 'day-shift'
        Test-Path $lock | Should -BeTrue
    }

    It 'refuses a lock file a live process keeps open' {
        Set-DeadLock $lock
        $held = [System.IO.FileStream]::new($lock, 'Open', 'Read', 'Read')
        try {
            $e = Get-ErrorRecord { Unlock-OsEnvironment -SqlitePath $db -Confirm:$false }
            $e.FullyQualifiedErrorId | Should -BeLike 'EnvironmentLockHeld,*'
        }
        finally { $held.Dispose() }
        Test-Path $lock | Should -BeTrue
    }

    It 'releases a dead run''s catalog lock by environment' {
        $catalog = Join-Path $dir 'catalog'
        $null = New-Item -ItemType Directory -Force (Join-Path $catalog 'locks')
        Set-DeadLock (Join-Path $catalog 'locks/production.lock')
        (Unlock-OsEnvironment -Environment Production -CatalogPath $catalog -Confirm:$false).PlanId | Should -Be 'killed-plan'
        Test-Path (Join-Path $catalog 'locks/production.lock') | Should -BeFalse
    }

    It 'says so and writes nothing when there is no lock' {
        $out = Unlock-OsEnvironment -SqlitePath $db -Confirm:$false -Verbose 4>&1 | Out-String
        $out | Should -Match 'nothing to release'
    }
}
