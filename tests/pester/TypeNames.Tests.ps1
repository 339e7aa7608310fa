# Scripts name the module's result types ([OsRollback.BackupResult]) although the engine loads in a
# private context; checked in a fresh pwsh on the built module, as a user's script would run.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $modulePath = Get-OsRollbackModulePath
}

Describe 'Result type names' {
    It 'a fresh session names result types after Import-Module and tests objects against them' {
        $dir = New-TestDirectory
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$modulePath'
`$db = Join-Path '$dir' 'p.sqlite'; Set-Content -Path `$db -Value '' -NoNewline
`$backup = Backup-OsDatabase -SqlitePath `$db -Path '$dir'
"IS=`$(`$backup -is [OsRollback.BackupResult])"
"NAME=`$([OsRollback.BackupResult].FullName)"
"PSTYPE=`$(`$backup.PSTypeNames[0])"
"PARAM=`$([OsRollback.DatabaseInstanceParameter]'sql01\OS')"
"PLAN=`$([OsRollback.RollbackPlan].Name)"
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $r.Output | Should -Contain 'IS=True'
        $r.Output | Should -Contain 'NAME=OsRollback.Engine.Database.BackupResult'
        $r.Output | Should -Contain 'PSTYPE=OsRollback.Engine.Database.BackupResult'
        $r.Output | Should -Contain 'PARAM=sql01\OS'
        $r.Output | Should -Contain 'PLAN=RollbackPlan'
    }

    It 'Remove-Module takes the names away' {
        $r = Invoke-ChildPwsh "Import-Module '$modulePath'; Remove-Module OsRollback; 'RESOLVED=' + ('OsRollback.BackupResult' -as [type] -ne `$null)"
        $r.Output | Should -Contain 'RESOLVED=False'
    }
}
