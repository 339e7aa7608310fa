# The soak's checks must be able to fail: each is fed a small run that breaks it and one that keeps it.
# Run: Invoke-Pester tests/soak/SoakInvariants.Tests.ps1 (needs the sqlite3 shell; no sandbox).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'SoakDatabase.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SoakInvariants.psm1') -Force
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) ("osrollback-soak-tests-" + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $dir
    function New-OrdersDb([string] $Name, [string] $Sql = '') {
        $path = Join-Path $dir $Name
        $null = Invoke-SoakScalar $path "CREATE TABLE OSUSR_ORD_ORDER (ID INTEGER PRIMARY KEY AUTOINCREMENT, TOTAL NUMERIC, NOTE TEXT); INSERT INTO OSUSR_ORD_ORDER (TOTAL, NOTE) VALUES (10, 'a'), (20, 'b'); $Sql SELECT 1;"
        $path
    }
    function New-Run([string] $Production, $Pre = @(), $Post = @(), $Conflicts = @(), $Journals = @(), $Imports = @()) {
        [pscustomobject]@{ Seed = 99; ProductionPath = $Production; PreState = @($Pre); PostState = @($Post); Conflicts = @($Conflicts)
            Journals = @($Journals); HookLog = (Join-Path $dir 'none.jsonl'); Imports = @($Imports); Scratch = $dir }
    }
    function Written([string] $Operation, [long] $Id, $Row) {
        [pscustomobject]@{ Table = 'OSUSR_ORD_ORDER'; Id = $Id; Operation = $Operation; Step = "pre traffic #1 $Operation"; Row = $Row; Exists = $null -ne $Row }
    }
    function New-Journal([string] $Name, [string[]] $Lines) {
        $folder = Join-Path $dir $Name
        $null = New-Item -ItemType Directory -Force -Path $folder
        Set-Content -Path (Join-Path $folder 'journal.jsonl') -Value $Lines
        Join-Path $folder 'journal.jsonl'
    }
}

AfterAll { Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue }

Describe 'NoUserWriteLost' -Tag 'Soak' {
    It 'holds when the row is in production as users left it, and fails naming the seed and step when it is not' {
        $db = New-OrdersDb 'lost.db'
        $kept = Written 'Update' 1 ([pscustomobject]@{ ID = 1; TOTAL = 10; NOTE = 'a' })
        $lost = Written 'Update' 2 ([pscustomobject]@{ ID = 2; TOTAL = 99; NOTE = 'user edit' })
        (Test-SoakNoUserWriteLost (New-Run $db -Pre $kept)).Passed | Should -BeTrue
        $check = Test-SoakNoUserWriteLost (New-Run $db -Pre $kept, $lost)
        $check.Passed | Should -BeFalse
        $check.Failures | Should -HaveCount 1
        $check.Failures[0] | Should -Match "seed 99, step 'pre traffic #1 Update'.*ID 2 is lost"
    }

    It 'accepts a lost row only as a conflict that carries its three versions' {
        $db = New-OrdersDb 'conflict.db'
        $lost = Written 'Update' 2 ([pscustomobject]@{ ID = 2; TOTAL = 99; NOTE = 'user edit' })
        $bare = [pscustomobject]@{ Table = 'OSUSR_ORD_ORDER'; Key = '2'; Reason = 'changed' }
        (Test-SoakNoUserWriteLost (New-Run $db -Pre $lost -Conflicts $bare)).Failures | Should -Match 'without its Base, Parallel, Production version'
        $full = [pscustomobject]@{ Table = 'OSUSR_ORD_ORDER'; Key = '2'; Reason = 'changed'; Base = @{}; Theirs = @{}; Ours = $null }
        (Test-SoakNoUserWriteLost (New-Run $db -Pre $lost -Conflicts $full)).Passed | Should -BeTrue
    }

    It 'counts a deleted row that came back as lost' {
        $db = New-OrdersDb 'deleted.db'
        (Test-SoakNoUserWriteLost (New-Run $db -Pre (Written 'Delete' 1 $null))).Passed | Should -BeFalse
        (Test-SoakNoUserWriteLost (New-Run $db -Pre (Written 'Delete' 3 $null))).Passed | Should -BeTrue
    }
}

Describe 'NoPostReopeningWriteChanged' -Tag 'Soak' {
    It 'fails when an import overwrote a row written after reopening' {
        $db = New-OrdersDb 'post.db'
        (Test-SoakNoPostReopeningWriteChanged (New-Run $db -Post (Written 'Insert' 2 ([pscustomobject]@{ ID = 2; TOTAL = 20; NOTE = 'b' })))).Passed | Should -BeTrue
        $check = Test-SoakNoPostReopeningWriteChanged (New-Run $db -Post (Written 'Insert' 2 ([pscustomobject]@{ ID = 2; TOTAL = 21; NOTE = 'new order' })))
        $check.Passed | Should -BeFalse
        $check.Failures[0] | Should -Match 'after reopening was changed'
    }
}

Describe 'OneRollbackAtATime' -Tag 'Soak' {
    It 'fails when two journals overlap in time and holds when they follow each other' {
        $a = New-Journal 'a' '{"at":"2026-12-02T10:00:00+00:00","step":0,"kind":"Run","event":"run-started"}', '{"at":"2026-12-02T10:00:10+00:00","step":0,"kind":"Run","event":"run-finished"}'
        $b = New-Journal 'b' '{"at":"2026-12-02T10:00:05+00:00","step":0,"kind":"Run","event":"run-started"}', '{"at":"2026-12-02T10:00:06+00:00","step":1,"kind":"X","event":"failed"}'
        $c = New-Journal 'c' '{"at":"2026-12-02T10:00:11+00:00","step":0,"kind":"Run","event":"run-started"}'
        $check = Test-SoakOneRollbackAtATime (New-Run 'x' -Journals ([pscustomobject]@{ Operator = 'A'; Path = $a }), ([pscustomobject]@{ Operator = 'B'; Path = $b }))
        $check.Passed | Should -BeFalse
        $check.Failures[0] | Should -Match 'two rollbacks of Production in progress at once'
        (Test-SoakOneRollbackAtATime (New-Run 'x' -Journals ([pscustomobject]@{ Operator = 'A'; Path = $a }), ([pscustomobject]@{ Operator = 'B'; Path = $c }))).Passed | Should -BeTrue
    }

    It 'keeps a killed run that -Resume did not finish in progress, so a later run overlaps it' {
        $killed = New-Journal 'killed' '{"at":"2026-12-02T10:00:00+00:00","step":0,"kind":"Run","event":"run-started"}', '{"at":"2026-12-02T10:00:01+00:00","step":1,"kind":"X","event":"started"}'
        $later = New-Journal 'later' '{"at":"2026-12-02T10:00:05+00:00","step":0,"kind":"Run","event":"run-started"}', '{"at":"2026-12-02T10:00:09+00:00","step":0,"kind":"Run","event":"run-finished"}'
        $entry = { param($operator, $path, $mustFinish) [pscustomobject]@{ Operator = $operator; Path = $path; MustFinish = $mustFinish } }
        $check = Test-SoakOneRollbackAtATime (New-Run 'x' -Journals (& $entry 'A' $killed $true), (& $entry 'B' $later $false))
        $check.Failures | Should -Match 'operator A from 10:00:00.000 to the end \(killed, not finished by -Resume\)'
        (Test-SoakOneRollbackAtATime (New-Run 'x' -Journals (& $entry 'A' $killed $false), (& $entry 'B' $later $false))).Passed | Should -BeTrue
    }

    It 'fails when the firewall hooks of two operators interleave' {
        $run = New-Run 'x'
        $run.HookLog = Join-Path $dir 'hooks.jsonl'
        Set-Content $run.HookLog '{"at":"2026-12-02T10:00:00+00:00","operator":"A","phase":"Offline"}', '{"at":"2026-12-02T10:00:01+00:00","operator":"B","phase":"Offline"}', '{"at":"2026-12-02T10:00:02+00:00","operator":"A","phase":"Online"}'
        ((Test-SoakOneRollbackAtATime $run).Failures -join "`n") | Should -Match 'hooks interleave'
    }
}

Describe 'SafetyBackupBeforeReplace' -Tag 'Soak' {
    It 'holds when the backup restores to the replaced state and fails when it differs or is missing' {
        $replaced = New-OrdersDb 'replaced.db'
        $good = New-OrdersDb 'good-backup.db'
        $bad = New-OrdersDb 'bad-backup.db' "UPDATE OSUSR_ORD_ORDER SET TOTAL = 11 WHERE ID = 1;"
        $journal = { param($backup) New-Journal ("j-" + [guid]::NewGuid().ToString('N')) ('{"at":"2026-12-02T10:00:00+00:00","step":5,"kind":"BackupCurrent","event":"finished","outcome":{"type":"BackupTaken","backupPath":"' + $backup + '"}}'), '{"at":"2026-12-02T10:00:01+00:00","step":6,"kind":"RestoreDatabase","event":"started"}' }
        $entry = { param($path) [pscustomobject]@{ Operator = 'A'; Path = $path; ReplacedState = $replaced } }
        (Test-SoakSafetyBackupBeforeReplace (New-Run 'x' -Journals (& $entry (& $journal $good)))).Passed | Should -BeTrue
        (Test-SoakSafetyBackupBeforeReplace (New-Run 'x' -Journals (& $entry (& $journal $bad)))).Failures | Should -Match 'does not restore to the replaced state; tables that differ: OSUSR_ORD_ORDER'
        $noBackup = New-Journal 'nobackup' '{"at":"2026-12-02T10:00:01+00:00","step":6,"kind":"RestoreDatabase","event":"started"}'
        (Test-SoakSafetyBackupBeforeReplace (New-Run 'x' -Journals (& $entry $noBackup))).Failures | Should -Match 'no safety backup finished before the restore'
    }
}

Describe 'Get-SoakSqldiff' -Tag 'Soak' {
    It 'finds nothing between a database and its copy, and names the row that differs' {
        $original = New-OrdersDb 'sqldiff-original.db'
        $copy = Join-Path $dir 'sqldiff-copy.db'
        Copy-SoakDatabase $original $copy
        Get-SoakSqldiff $original $copy | Should -BeNullOrEmpty
        $null = Invoke-SoakScalar $copy "UPDATE OSUSR_ORD_ORDER SET NOTE = 'changed' WHERE ID = 2; SELECT 1;"
        Get-SoakSqldiff $original $copy | Should -Match "UPDATE OSUSR_ORD_ORDER SET NOTE='changed' WHERE ID=2"
    }
}

Describe 'JournalComplete' -Tag 'Soak' {
    It 'fails on a started step without an outcome and on a killed run that -Resume did not finish' {
        $open = New-Journal 'open' '{"at":"2026-12-02T10:00:00+00:00","step":3,"kind":"MaintenanceOn","event":"started"}'
        $check = Test-SoakJournalComplete (New-Run 'x' -Journals ([pscustomobject]@{ Operator = 'A'; Path = $open; MustFinish = $true; Outcome = 'Killed' }))
        $check.Passed | Should -BeFalse
        $check.Failures | Should -HaveCount 2
        ($check.Failures -join "`n") | Should -Match 'step 3 \(MaintenanceOn\).*has no outcome'
        ($check.Failures -join "`n") | Should -Match 'no run-finished event after -Resume'
        $done = New-Journal 'done' '{"at":"2026-12-02T10:00:00+00:00","step":3,"kind":"MaintenanceOn","event":"started"}', '{"at":"2026-12-02T10:00:01+00:00","step":3,"kind":"MaintenanceOn","event":"finished"}', '{"at":"2026-12-02T10:00:02+00:00","step":0,"kind":"Run","event":"run-finished"}'
        (Test-SoakJournalComplete (New-Run 'x' -Journals ([pscustomobject]@{ Operator = 'A'; Path = $done; MustFinish = $true; Outcome = '' }))).Failures -join "`n" | Should -Match 'the run finished but .*report.json is missing'
        'report.json', 'report.md' | ForEach-Object { Set-Content (Join-Path (Split-Path $done) $_) '{}' }
        (Test-SoakJournalComplete (New-Run 'x' -Journals ([pscustomobject]@{ Operator = 'A'; Path = $done; MustFinish = $true; Outcome = '' }))).Passed | Should -BeTrue
    }
}

Describe 'UnapprovedChangeNeverRuns' -Tag 'Soak' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'SoakTamper.psm1') -Force
        # A rollback point with a backup, a plan, and a production database: what the tamper phase works on.
        function New-TamperFixture {
            $root = Join-Path $dir ('tamper-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
            $point = Join-Path $root 'point'
            $null = New-Item -ItemType Directory -Force -Path (Join-Path $point 'database')
            $backup = Join-Path $point 'database/pre-deploy.sqlite'
            $null = Invoke-SoakScalar $backup "CREATE TABLE OSUSR_ORD_ORDER (ID INTEGER PRIMARY KEY, NOTE TEXT); INSERT INTO OSUSR_ORD_ORDER VALUES (1, 'a'), (2, 'b'); SELECT 1;"
            @{ formatVersion = 1; id = 'rp'; files = @(@{ role = 'Backup'; path = 'database/pre-deploy.sqlite'; sizeBytes = 1; sha256 = 'x' }) } | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $point 'rollback-point.json')
            $plan = Join-Path $root 'plan.json'
            @{ formatVersion = 2; planDigest = 'abc'; steps = @() } | ConvertTo-Json | Set-Content $plan
            $production = Join-Path $root 'production.db'
            $null = Invoke-SoakScalar $production "CREATE TABLE OSUSR_ORD_ORDER (ID INTEGER PRIMARY KEY, NOTE TEXT); INSERT INTO OSUSR_ORD_ORDER VALUES (1, 'a'); SELECT 1;"
            [pscustomobject]@{ Root = $root; Point = [pscustomobject]@{ Path = $point }; Plan = [pscustomobject]@{ Path = $plan }; Backup = $backup; Production = $production }
        }
        # The checks before the run let everything through: the run itself must refuse.
        function global:Invoke-OsRollback { param([Parameter(ValueFromRemainingArguments)] $Rest) }
    }
    AfterAll { Remove-Item Function:\Invoke-OsRollback -ErrorAction SilentlyContinue }

    It 'fails when a tampered backup that a Database run reads runs, holds when the run refuses it, and puts the file back' {
        $f = New-TamperFixture
        $original = [System.IO.File]::ReadAllBytes($f.Backup)
        $tamper = [pscustomobject]@{ Kind = 'EditValue'; Target = 'Backup'; Fraction = 0.5 }
        $ran = Invoke-SoakPlanTamper $tamper 'Database' $f.Point $f.Plan $f.Root $f.Production $f.Root { [pscustomobject]@{ status = 'Succeeded'; errorId = $null; message = '' } }
        $check = Test-SoakUnapprovedChangeNeverRuns @($ran) 99
        $check.Passed | Should -BeFalse
        $check.Failures[0] | Should -Match 'seed 99, plan tamper EditValue of Backup: the tampered Backup .* ran: Succeeded'
        [System.IO.File]::ReadAllBytes($f.Backup) | Should -Be $original

        $refused = Invoke-SoakPlanTamper $tamper 'Database' $f.Point $f.Plan $f.Root $f.Production $f.Root { [pscustomobject]@{ status = 'Error'; errorId = 'BackupContentMismatch,OsRollback.Cmdlets'; message = '' } }
        $refused.ErrorId | Should -Be 'BackupContentMismatch'
        (Test-SoakUnapprovedChangeNeverRuns @($refused) 99).Passed | Should -BeTrue
        # A harness timeout is no refusal.
        $timedOut = Invoke-SoakPlanTamper $tamper 'Database' $f.Point $f.Plan $f.Root $f.Production $f.Root { [pscustomobject]@{ status = 'TimedOut'; errorId = 'SoakOperatorTimedOut'; message = '' } }
        (Test-SoakUnapprovedChangeNeverRuns @($timedOut) 99).Passed | Should -BeFalse
        [System.IO.File]::ReadAllBytes($f.Backup) | Should -Be $original
    }

    It 'holds without a run when the file is one a run of the strategy does not read' {
        $f = New-TamperFixture
        $tamper = [pscustomobject]@{ Kind = 'EditValue'; Target = 'Backup'; Fraction = 0.5 }
        $record = Invoke-SoakPlanTamper $tamper 'LifeTime' $f.Point $f.Plan $f.Root $f.Production $f.Root { throw 'must not run' }
        $record.Harmless | Should -Match 'does not read the Backup'
        (Test-SoakUnapprovedChangeNeverRuns @($record) 99).Passed | Should -BeTrue
    }

    It 'a tampered delta must be refused with a sealing ErrorId and leave the users tables as they were' {
        $f = New-TamperFixture
        $delta = Join-Path $f.Root 'lost.jsonl'
        Set-Content $delta '{"formatVersion":2,"tables":["OSUSR_ORD_ORDER"]}', '{"table":"OSUSR_ORD_ORDER","op":"insert","row":{"ID":7,"NOTE":"x"}}'
        $tamper = [pscustomobject]@{ DeltaKind = 'DeleteRecord'; Fraction = 0.5 }
        $imported = Invoke-SoakDeltaTamper $tamper ([pscustomobject]@{ Path = $delta }) $f.Production $f.Root { $null = Invoke-SoakScalar $f.Production "INSERT INTO OSUSR_ORD_ORDER VALUES (7, 'x'); SELECT 1;" }
        (Test-SoakUnapprovedChangeNeverRuns @($imported) 99).Passed | Should -BeFalse
        $refused = Invoke-SoakDeltaTamper $tamper ([pscustomobject]@{ Path = $delta }) $f.Production $f.Root { throw [System.Management.Automation.ErrorRecord]::new([Exception]::new('sealed'), 'DataDeltaTampered', 'SecurityError', $null) }
        $refused.ErrorId | Should -Be 'DataDeltaTampered'
        (Test-SoakUnapprovedChangeNeverRuns @($refused) 99).Passed | Should -BeTrue
        @(Get-Content $delta).Count | Should -Be 2
    }
}
