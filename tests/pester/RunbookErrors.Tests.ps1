# Runbooks and scheduled examples stop at the first error and pass nothing on.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $script:catalog = New-TestDirectory
    $script:runbooks = (Get-Module OsRollback).NestedModules | Where-Object Name -EQ 'OsRollback.Runbooks'

    # Replaces a command the runbooks call with a function inside the runbook module (functions
    # win over cmdlets). It behaves like a cmdlet: an advanced function whose errors go through
    # $PSCmdlet, so the runbook's own error preference decides whether they stop it. Each call is
    # counted in $calls of the runbook module.
    function Set-RunbookStep([string] $Name, [scriptblock] $Body) {
        & $runbooks {
            param($Name, $Body)
            if (-not (Get-Variable calls -Scope Script -ErrorAction SilentlyContinue)) { $script:calls = @{} }
            $script:calls[$Name] = 0
            $stub = [scriptblock]::Create(@"
[CmdletBinding(SupportsShouldProcess)]
param([Parameter(ValueFromPipeline)] `$InputObject, [Parameter(ValueFromRemainingArguments)] `$Rest)
process { `$script:calls['$Name']++; . ([scriptblock]::Create(@'
$Body
'@)) }
"@)
            Set-Item -Path "function:script:$Name" -Value $stub
        } $Name $Body.ToString()
    }
    function Get-RunbookStepCalls([string] $Name) { & $runbooks { param($Name) $script:calls[$Name] } $Name }
    function Clear-RunbookSteps {
        & $runbooks { foreach ($name in @($script:calls.Keys)) { Remove-Item "function:script:$name" -ErrorAction SilentlyContinue }; $script:calls = @{} }
    }
    $script:stepError = '$PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new(''{0}''), ''{1}'', ''InvalidOperation'', $null))'
}
AfterAll { Remove-Item -Recurse -Force $catalog -ErrorAction SilentlyContinue }

Describe 'A runbook stops at the first error' -Tag 'Runbooks' {
    AfterEach { Clear-RunbookSteps }

    It 'does not execute a plan it could not write down (<Runbook>)' -ForEach @(
        @{ Runbook = 'Invoke-OsLifeTimeRollback'; Extra = @{} }
        @{ Runbook = 'Invoke-OsSolutionRollback'; Extra = @{} }
        @{ Runbook = 'Invoke-OsModuleRollback'; Extra = @{} }
        @{ Runbook = 'Invoke-OsDatabaseRestoreRollback'; Extra = @{ SqlitePath = 'p.db' } }
    ) {
        Set-RunbookStep New-OsRollbackPlan { [pscustomobject]@{ Id = 'plan-1' } }
        Set-RunbookStep Export-OsRollbackPlan ([scriptblock]::Create(($stepError -f 'The disk is full.', 'DiskFull')))
        Set-RunbookStep Invoke-OsRollback { 'executed' }
        $e = Get-ErrorRecord { & $Runbook -RollbackPoint rp-1 -Reason 'INC-1' -PlanPath (Join-Path $catalog 'plan') -CatalogPath $catalog -Confirm:$false @Extra }
        $e.FullyQualifiedErrorId | Should -BeLike 'DiskFull*'
        Get-RunbookStepCalls Export-OsRollbackPlan | Should -Be 1
        Get-RunbookStepCalls Invoke-OsRollback | Should -Be 0
    }

    It 'reports the real cause when the catalog cannot be read, not "no rollback point"' {
        Set-RunbookStep Get-OsRollbackPoint ([scriptblock]::Create(($stepError -f 'Access to the catalog is denied.', 'CatalogUnreadable')))
        Set-RunbookStep New-OsRollbackPlan { [pscustomobject]@{ Id = 'plan-1' } }
        $e = Get-ErrorRecord { Invoke-OsLifeTimeRollback -Environment Production -Reason 'INC-1' -CatalogPath $catalog -Confirm:$false }
        $e.FullyQualifiedErrorId | Should -BeLike 'CatalogUnreadable*'
        Get-RunbookStepCalls New-OsRollbackPlan | Should -Be 0
    }

    It 'Invoke-OsPreDeployCheckpoint fails when retention fails, even under -ErrorAction Continue' {
        Set-RunbookStep New-OsRollbackPoint { [pscustomobject]@{ Id = 'Production-1' } }
        Set-RunbookStep Test-OsRollbackPoint { [pscustomobject]@{ Passed = $true; Failures = @() } }
        Set-RunbookStep Remove-OsRollbackPoint ([scriptblock]::Create(($stepError -f 'A rollback point is locked.', 'RollbackPointInUse')))
        $script:output = 'not assigned'
        $e = Get-ErrorRecord { $script:output = Invoke-OsPreDeployCheckpoint -Environment Production -SqlitePath p.db -KeepLast 3 -CatalogPath $catalog -ErrorAction Continue }
        $e.FullyQualifiedErrorId | Should -BeLike 'RollbackPointInUse*'
        $script:output | Should -Be 'not assigned'
    }
}

Describe 'The cron example' -Tag 'Runbooks' {
    It 'exports the variables of its environment file to pwsh' -Skip:($IsWindows -or -not (Test-Path /bin/sh)) {
        $line = Get-Content (Join-Path (Get-RepoRoot) 'examples/scheduled-backup/crontab.txt') | Where-Object { $_ -match '^\d' } | Select-Object -First 1
        $command = ($line -split '\s+', 6)[5]
        $envFile = Join-Path $catalog 'backup.env'
        Set-Content -Path $envFile -Value "OSROLLBACK_SQL_USER=osbackup`nOSROLLBACK_SQL_PASSWORD=not-a-real-one"
        # Everything before pwsh is the environment set-up; run it with a child that prints what it sees.
        $setup = $command.Substring(0, $command.IndexOf('/usr/bin/pwsh')).Replace('/etc/osrollback/backup.env', $envFile)
        $seen = & /bin/sh -c "$setup /bin/sh -c 'echo `$OSROLLBACK_SQL_USER'"
        $seen | Should -Be 'osbackup'
    }
}
