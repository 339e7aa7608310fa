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
