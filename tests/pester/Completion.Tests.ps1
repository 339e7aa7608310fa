# Tab completion of environments, applications, modules, rollback point Ids and timers, as a
# DBA presses Tab at the console (TabExpansion2), against the sandbox.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    Clear-OsDefaultConnection
    $script:savedHome = $env:OSROLLBACK_HOME
    $script:catalog = New-TestDirectory
    $env:OSROLLBACK_HOME = $catalog
    $script:dataDirectory = New-TestDirectory
    $script:sandbox = Start-OsSandbox -DataDirectory $dataDirectory -PaceMilliseconds 0

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }
    function Get-CompletionText([string] $Line) { @(Get-Completion $Line | ForEach-Object CompletionText) }
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
    $env:OSROLLBACK_HOME = $savedHome
    Remove-Item -Recurse -Force $catalog, $dataDirectory -ErrorAction SilentlyContinue
}

Describe 'Completion before any connection' -Tag 'Completion' {
    It 'offers no environment and writes no error' {
        $Error.Clear()
        Get-CompletionText 'New-OsRollbackPoint -Environment ' | Should -BeNullOrEmpty
        Get-CompletionText 'Get-OsModule -Name ' | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
    }
}

Describe 'Completion from the default LifeTime connection' -Tag 'Completion' {
    BeforeAll { $script:lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token }

    It 'completes environments on <Line>' -ForEach @(
        @{ Line = 'New-OsRollbackPoint -Environment '; Expected = 'Development', 'Production', 'Quality' }
        @{ Line = 'Get-OsRollbackPoint -Environment P'; Expected = @('Production') }
        @{ Line = 'Invoke-OsRollback -Plan ./p.json -Environment Q'; Expected = @('Quality') }
        @{ Line = 'Invoke-OsPreDeployCheckpoint -Environment d'; Expected = @('Development') }
        @{ Line = 'Invoke-OsLifeTimeRollback -Environment '; Expected = 'Development', 'Production', 'Quality' }
        @{ Line = 'Invoke-OsDatabaseRestoreRollback -Environment Pro'; Expected = @('Production') }
    ) {
        Get-CompletionText $Line | Should -Be $Expected
    }

    It 'completes application names, quoting names with spaces' {
        $text = Get-CompletionText 'New-OsRollbackPoint -Environment Production -Application Cu'
        $text | Should -Be "'Customer Portal'", "'Customers Core'"
        Get-CompletionText 'Invoke-OsPreDeployCheckpoint -Environment Production -Application Ord' | Should -Be 'Orders'
    }

    It 'completes module names on <Line>' -ForEach @(
        @{ Line = 'Get-OsModule -Name Orders_'; Expected = 'Orders_BL', 'Orders_CS', 'Orders_Th', 'Orders_Timers' }
        @{ Line = 'Invoke-OsModuleRollback -Module Billing_A'; Expected = @('Billing_API') }
        @{ Line = 'New-OsRollbackPlan -RollbackPoint x -Module Customers_S'; Expected = @('Customers_Sync') }
    ) {
        Get-CompletionText $Line | Should -Be $Expected
    }

    It 'uses the -Connection typed on the line' {
        Clear-OsDefaultConnection
        try { Get-CompletionText 'New-OsRollbackPoint -Connection $lt -Environment Dev' | Should -Be 'Development' }
        finally { $script:lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token }
    }

    It 'completes timers of the platform database given with -SqlitePath, relative to the location' {
        Push-Location (Split-Path $sandbox.PlatformDatabase)
        try {
            $text = Get-CompletionText "Suspend-OsTimer -SqlitePath ./$(Split-Path -Leaf $sandbox.PlatformDatabase) -Name Sync"
            $text | Should -Be 'SyncCustomers', 'SyncTechnicianRoutes', 'SyncVisits'
        }
        finally { Pop-Location }
    }
}

Describe 'Completion of rollback point Ids from the catalog' -Tag 'Completion' {
    BeforeAll {
        $null = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
        $script:point = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $sandbox.PlatformDatabase -Description 'before 1.2.0' -Confirm:$false
        $script:other = New-TestDirectory
        $script:otherPoint = New-OsRollbackPoint -Environment Quality -Application Orders -SqlitePath $sandbox.PlatformDatabases['Quality'] -CatalogPath $other -Confirm:$false
    }
    AfterAll { Remove-Item -Recurse -Force $other -ErrorAction SilentlyContinue }

    It 'completes Ids on <Line>' -ForEach @(
        @{ Line = 'Test-OsRollbackPoint -RollbackPoint ' }
        @{ Line = 'New-OsRollbackPlan ' }
        @{ Line = 'Get-OsRollbackPoint -Id Prod' }
        @{ Line = 'Remove-OsRollbackPoint -RollbackPoint ' }
        @{ Line = 'Test-OsSmoke -RollbackPoint ' }
        @{ Line = 'Invoke-OsSolutionRollback -Reason x -RollbackPoint ' }
    ) {
        Get-CompletionText $Line | Should -Be $point.Id
    }

    It 'shows environment, time and description as the tooltip' {
        (Get-Completion 'Test-OsRollbackPoint -RollbackPoint ').ToolTip | Should -Match '^Production, .*: before 1\.2\.0$'
    }

    It 'filters by -Environment and reads the -CatalogPath typed on the line' {
        Get-CompletionText 'Get-OsRollbackPoint -Environment Quality -Id ' | Should -BeNullOrEmpty
        Get-CompletionText "Test-OsRollbackPoint -CatalogPath '$other' -RollbackPoint " | Should -Be $otherPoint.Id
    }

    It 'offers the catalog environments and applications when LifeTime is not connected' {
        Clear-OsDefaultConnection
        Get-CompletionText 'Get-OsRollbackPoint -Environment ' | Should -Be 'Production'
        Get-CompletionText 'New-OsRollbackPoint -Environment Production -Application ' | Should -Be 'Orders'
        Get-CompletionText 'Invoke-OsModuleRollback -Module Orders_C' | Should -Be 'Orders_CS'
    }
}

Describe 'Completion when LifeTime is gone' -Tag 'Completion' {
    It 'stays silent and offers what the catalog knows' {
        $gone = New-TestDirectory
        $second = Start-OsSandbox -DataDirectory $gone -PaceMilliseconds 0
        $null = Connect-OsLifeTime -Uri $second.Url -Token $second.Token
        $second | Stop-OsSandbox -Confirm:$false
        $Error.Clear()
        Get-CompletionText 'New-OsRollbackPoint -Environment ' | Should -Be 'Production'
        Get-CompletionText 'Get-OsModule -Name Zz' | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
        Clear-OsDefaultConnection
        Remove-Item -Recurse -Force $gone -ErrorAction SilentlyContinue
    }
}
