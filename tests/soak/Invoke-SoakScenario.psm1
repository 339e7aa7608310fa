# One scenario against a fresh sandbox: rollback point, bad deploy, user traffic, a rollback
# killed at a step and resumed, maybe a concurrent operator with another catalog, traffic after
# reopening, and (Database) the lost rows exported and imported. Returns what the invariants read.
Set-StrictMode -Version 3.0
foreach ($name in 'SoakActions', 'SoakDatabase', 'SoakScenario', 'SoakTraffic', 'SoakOperators', 'SoakInvariants', 'SoakTamper', 'SoakRollForward') {
    Import-Module (Join-Path $PSScriptRoot "$name.psm1")
}

function Invoke-SoakScenario([int] $Seed, [string] $ModulePath, [string] $Work, [int] $StepTimeoutSeconds, [switch] $TamperDeltas) {
    $scenario = New-SoakScenario $Seed
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $trace = [System.Collections.Generic.List[string]]::new()
    $step = 'start the sandbox'
    function Write-SoakStep([string] $Text) { $trace.Add(('{0,6:0.0}s {1}' -f $clock.Elapsed.TotalSeconds, $Text)) }
    $sandbox = $null
    $operators = @()
    $record = [ordered]@{
        Seed = $Seed; Strategy = $scenario.Strategy; KillStep = 0; Killed = $null; ConcurrentOperator = $scenario.ConcurrentOperator
        Outcomes = @(); Checks = @(); Seconds = 0; Trace = $trace; Tampers = @()
    }
    try {
        $null = New-Item -ItemType Directory -Force -Path $Work
        $catalogA = Join-Path $Work 'catalog-a'
        $catalogB = Join-Path $Work 'catalog-b'
        Write-SoakStep $step
        $sandbox = Start-SoakSandbox (Join-Path $Work 'sandbox') $Seed
        $db = $sandbox.PlatformDatabase
        $platform = Connect-SoakPlatform $sandbox

        Write-SoakStep ($step = 'rollback points (Quality aligned first)')
        Initialize-SoakUpstream $platform
        $pointA = New-SoakRollbackPoint $platform $db $catalogA $scenario.Strategy "Soak $Seed operator A"
        $pointB = if ($scenario.ConcurrentOperator) { New-SoakRollbackPoint $platform $db $catalogB $scenario.Strategy "Soak $Seed operator B" }

        Write-SoakStep ($step = 'deploy the bad version')
        Publish-SoakBadVersion $platform

        Write-SoakStep ($step = 'user traffic before the rollback')
        $appRows = Invoke-SoakAppTraffic $sandbox $scenario.PreAppTrafficRows
        $preLedger = Invoke-SoakTrafficPhase $db $scenario.PreOperations $appRows 'pre'
        $preState = @(Get-SoakWrittenState $db $preLedger)

        Write-SoakStep ($step = 'plan')
        $planA = New-SoakPlanFile $platform $pointA $catalogA $scenario.Strategy (Join-Path $Work 'plan-a.json')
        $planB = if ($pointB) { New-SoakPlanFile $platform $pointB $catalogB $scenario.Strategy (Join-Path $Work 'plan-b.json') }
        $record.KillStep = Get-SoakKillStep $scenario $planA.StepCount
        $record.PlanSteps = $planA.Steps

        Write-SoakStep ($step = "rollback ($($scenario.Strategy); kill at step $($record.KillStep); concurrent operator: $($scenario.ConcurrentOperator))")
        $env:OSROLLBACK_SOAK_TOKEN = [System.Net.NetworkCredential]::new('', $sandbox.Token).Password
        $env:OSROLLBACK_SOAK_SC_USER = $sandbox.ServiceCenterCredential.UserName
        $env:OSROLLBACK_SOAK_SC_PASSWORD = $sandbox.ServiceCenterCredential.GetNetworkCredential().Password
        $hookLog = Join-Path $Work 'hooks.jsonl'
        $common = @{ Work = $Work; ModulePath = $ModulePath; SqlitePath = $db; Url = $sandbox.Url; HookLog = $hookLog }

        Write-SoakStep ($step = "tamper between plan and run: $($scenario.Tamper.Kind) of the $($scenario.Tamper.Target)")
        # A tampered file the checks before the run let through is run for real by operator T (own hook log), then everything is put back.
        $tamperOptions = $common.Clone()
        $tamperOptions.PlanPath = $planA.Path; $tamperOptions.CatalogPath = $catalogA; $tamperOptions.HookLog = Join-Path $Work 'tamper-hooks.jsonl'
        $runTampered = { param($options, $timeout) Wait-SoakOperator (Start-SoakOperator $options 'T') $timeout }
        $tamper = Invoke-SoakPlanTamper $scenario.Tamper $scenario.Strategy $pointA $planA $catalogA $db $Work { & $runTampered $tamperOptions $StepTimeoutSeconds }
        $record.Tampers += $tamper
        $trace.Add("        tamper: $($tamper.Change); $($tamper.Outcome) $($tamper.ErrorId)$(if ($tamper.Harmless) { " (harmless: $($tamper.Harmless))" })")
        # A refused Database run of T stopped the servers before its restore, and a real failed run leaves them so until its
        # -Resume; T's run is undone with its files, so its servers start again (idempotent when none was stopped).
        if ($scenario.Strategy -eq 'Database') {
            $null = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/servers/production/start" -Authentication Bearer -Token $sandbox.Token -AllowUnencryptedAuthentication
        }
        $optionsA = $common + @{ PlanPath = $planA.Path; CatalogPath = $catalogA }
        $journalA = Join-Path $pointA.Path "runs/$($planA.Id)/journal.jsonl"
        $operatorA = Start-SoakOperator $optionsA 'A'
        $operators += $operatorA
        $operatorB = if ($planB) { Start-SoakOperator ($common + @{ PlanPath = $planB.Path; CatalogPath = $catalogB }) 'B' }
        if ($operatorB) { $operators += $operatorB }
        if ($record.KillStep -gt 0) {
            $kill = Stop-SoakOperatorAtStep $operatorA $journalA $record.KillStep $StepTimeoutSeconds
            $record.Killed = $kill
            $trace.Add("        kill -9 at step $($record.KillStep): killed=$($kill.Killed); journal's last line: $($kill.LastJournalLine)")
        }
        $outcomeA = Wait-SoakOperator $operatorA $StepTimeoutSeconds
        $record.Outcomes += $outcomeA
        if ($record.Killed -and $record.Killed.Killed) {
            Write-SoakStep ($step = 'resume after kill -9')
            $operatorA = Start-SoakOperator $optionsA 'A' -Resume
            $operators += $operatorA
            $outcomeA = Wait-SoakOperator $operatorA $StepTimeoutSeconds
            $record.Outcomes += $outcomeA
        }
        $outcomeB = if ($operatorB) { Wait-SoakOperator $operatorB $StepTimeoutSeconds }
        if ($outcomeB) { $record.Outcomes += $outcomeB }
        $trace.Add("        outcomes: " + (($record.Outcomes | ForEach-Object { "$($_.operator)$(if ($_.resume) { ' (resume)' }): $($_.status) $($_.errorId)" }) -join '; '))

        Write-SoakStep ($step = 'user traffic after reopening')
        $postRows = if ($scenario.PostAppTrafficRows) { Invoke-SoakAppTraffic $sandbox $scenario.PostAppTrafficRows } else { @() }
        $postLedger = Invoke-SoakTrafficPhase $db $scenario.PostOperations $postRows 'post'
        $postState = @(Get-SoakWrittenState $db $postLedger)

        $conflicts = @()
        $imports = @()
        # With one lock per environment one operator is refused; the rollback that ran is the other's.
        $ran = @($outcomeA, $outcomeB | Where-Object { $_ -and $_.status -eq 'Succeeded' }) | Select-Object -First 1
        if (-not $ran) { throw "no operator's rollback succeeded: $(($record.Outcomes | ForEach-Object { "$($_.operator): $($_.status) $($_.errorId) $($_.message)" }) -join '; ')" }
        $pointRan = if ($ran.operator -eq 'A') { $pointA } else { $pointB }
        $catalogRan = if ($ran.operator -eq 'A') { $catalogA } else { $catalogB }
        $parallel = $ran.parallelDatabase
        if ($scenario.Strategy -eq 'Database') {
            Write-SoakStep ($step = 'export and import the lost rows')
            if (-not $parallel) { throw "the Database rollback of operator $($ran.operator) left no parallel database" }
            $beforeImport = Join-Path $Work 'before-import.db'
            Copy-SoakDatabase $db $beforeImport
            $delta = Export-SoakLostRows $db $parallel $pointRan $catalogRan (Join-Path $Work 'lost-rows.jsonl')
            if ($TamperDeltas) {
                Write-SoakStep ($step = "tamper between export and import: $($scenario.Tamper.DeltaKind) of the delta")
                $tamperImport = [System.Collections.Generic.List[object]]::new()
                $deltaTamper = Invoke-SoakDeltaTamper $scenario.Tamper $delta $db $Work {
                    $imported = @(Import-SoakLostRows $db $delta (Join-Path $Work 'tamper-import-backup'))
                    $tamperImport.AddRange($imported)
                    $imported
                }
                $record.Tampers += $deltaTamper
                $trace.Add("        delta tamper: $($deltaTamper.Change); $($deltaTamper.Outcome) $($deltaTamper.ErrorId)")
            }
            # A harmless tamper (a link to an identical copy) that was imported is the import: a second one would import into
            # a production the first already changed.
            $results = if ($TamperDeltas -and $deltaTamper.Outcome -eq 'imported') { @($tamperImport) } else { Import-SoakLostRows $db $delta (Join-Path $Work 'import-backup') }
            $conflicts = @($results | ForEach-Object { $_.Conflicts })
            $imports = @([pscustomobject]@{ Results = $results; ReplacedState = $beforeImport })
            $trace.Add("        export: $($delta.Inserted) inserted, $($delta.Changed) changed, $($delta.Deleted) deleted; import conflicts: $($conflicts.Count)")
        }

        Write-SoakStep ($step = 'invariants')
        $journals = foreach ($operator in @(@{ Name = 'A'; Catalog = $catalogA }, @{ Name = 'B'; Catalog = $catalogB })) {
            if (-not (Test-Path $operator.Catalog)) { continue }
            foreach ($file in Get-ChildItem -Path $operator.Catalog -Recurse -Filter 'journal.jsonl') {
                [pscustomobject]@{
                    Operator = $operator.Name; Path = $file.FullName
                    ReplacedState = Join-Path $Work "operator-$($operator.Name)/replaced-state.db"
                    # A run killed with kill -9 must be finished by its -Resume.
                    MustFinish = $file.FullName -eq $journalA -and $record.Killed -and $record.Killed.Killed
                    Outcome = if ($operator.Name -eq 'A') { "$($outcomeA.status) $($outcomeA.errorId) $($outcomeA.message)" } else { '' }
                }
            }
        }
        $scratch = Join-Path $Work 'scratch'
        $null = New-Item -ItemType Directory -Force -Path $scratch
        $run = [pscustomobject]@{
            Seed = $Seed; Restored = $scenario.Strategy -eq 'Database'; ProductionPath = $db; PreState = $preState; PostState = $postState; Conflicts = $conflicts
            Journals = @($journals); HookLog = $hookLog; Imports = $imports; Scratch = $scratch
        }
        $record.Checks = @(Test-SoakInvariants $run) + @(Test-SoakUnapprovedChangeNeverRuns $record.Tampers $Seed)
        Write-SoakStep ($step = 'roll forward: the data repair')
        $record.Checks += @(Invoke-SoakRollForwardPhase $Seed $db $Work $ModulePath $postState $trace)
    }
    catch {
        $record.Checks = @($record.Checks) + [pscustomobject]@{ Name = 'ScenarioCompleted'; Passed = $false; Failures = @("seed $Seed, step '$step': $($_.Exception.Message) ($($_.InvocationInfo.PositionMessage -replace '\s+', ' '))") }
    }
    finally {
        foreach ($operator in $operators) { if (-not $operator.Process.HasExited) { $operator.Process.Kill() } }
        Remove-Item Env:OSROLLBACK_SOAK_TOKEN, Env:OSROLLBACK_SOAK_SC_PASSWORD, Env:OSROLLBACK_SOAK_SC_USER -ErrorAction SilentlyContinue
        if ($sandbox) { try { Stop-SoakSandbox $sandbox } catch { $trace.Add("        stopping the sandbox failed: $($_.Exception.Message)") } }
        $record.Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1)
    }
    [pscustomobject]$record
}

Export-ModuleMember -Function Invoke-SoakScenario
