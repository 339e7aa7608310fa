# Operator processes: each rollback runs in its own pwsh (the same executable as this one), so
# the soak can kill it with kill -9 and start it again with -Resume. Every wait is bounded.
Set-StrictMode -Version 3.0

$script:RepoRoot = Split-Path (Split-Path $PSScriptRoot)

function Start-SoakOperator([hashtable] $Options, [string] $Name, [switch] $Resume) {
    $pwsh = & (Join-Path $script:RepoRoot 'tools/Get-PwshCommand.ps1')
    $folder = Join-Path $Options.Work "operator-$Name"
    $null = New-Item -ItemType Directory -Force -Path $folder
    $attempt = if ($Resume) { 'resume' } else { 'first' }
    $resultPath = Join-Path $folder "result-$attempt.json"
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-SoakOperator.ps1'),
        '-ModulePath', $Options.ModulePath, '-PlanPath', $Options.PlanPath, '-CatalogPath', $Options.CatalogPath,
        '-SqlitePath', $Options.SqlitePath, '-Url', $Options.Url, '-Operator', $Name, '-HookLog', $Options.HookLog,
        '-SnapshotDirectory', $folder, '-ResultPath', $resultPath)
    if ($Resume) { $arguments += '-Resume' }
    $process = Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $folder "stdout-$attempt.log") -RedirectStandardError (Join-Path $folder "stderr-$attempt.log")
    [pscustomobject]@{ Name = $Name; Process = $process; ResultPath = $resultPath; Folder = $folder; StartedAt = [DateTimeOffset]::UtcNow; Resume = [bool]$Resume; Killed = $false }
}

function Test-SoakStepStarted([string] $JournalPath, [int] $Step) {
    $lines = try { [System.IO.File]::ReadAllLines($JournalPath) } catch [System.IO.IOException] { @() }
    foreach ($line in $lines) {
        $entry = try { $line | ConvertFrom-Json -DateKind String } catch { $null }   # a half-written last line
        if ($entry -and $entry.step -eq $Step -and $entry.event -eq 'started') { return $true }
    }
    $false
}

# Waits for the journal to show "step k started", then kills the operator at once (SIGKILL on
# Unix: no finally block, no flush, as a crash or an agent that is shut down).
function Stop-SoakOperatorAtStep($Operator, [string] $JournalPath, [int] $Step, [int] $TimeoutSeconds) {
    $deadline = [DateTimeOffset]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTimeOffset]::UtcNow -lt $deadline -and -not $Operator.Process.HasExited) {
        if ((Test-Path $JournalPath) -and (Test-SoakStepStarted $JournalPath $Step)) {
            $Operator.Process.Kill()
            $Operator.Killed = $true
            $null = $Operator.Process.WaitForExit(10000)
            return [pscustomobject]@{ Killed = $true; At = [DateTimeOffset]::UtcNow; LastJournalLine = (Get-Content $JournalPath -Tail 1) }
        }
        Start-Sleep -Milliseconds 20
    }
    [pscustomobject]@{ Killed = $false; At = $null; LastJournalLine = if (Test-Path $JournalPath) { Get-Content $JournalPath -Tail 1 } else { $null } }
}

# The operator's outcome (from its result file); a process still running at the deadline is
# killed and reported as timed out, so no scenario waits forever.
function Wait-SoakOperator($Operator, [int] $TimeoutSeconds) {
    if (-not $Operator.Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Operator.Process.Kill()
        $null = $Operator.Process.WaitForExit(10000)
        return [pscustomobject]@{ operator = $Operator.Name; resume = $Operator.Resume; status = 'TimedOut'; errorId = 'SoakOperatorTimedOut'; message = "no outcome within $TimeoutSeconds s"; parallelDatabase = $null }
    }
    if (-not (Test-Path $Operator.ResultPath)) {
        $stderr = Get-Content -Raw -ErrorAction SilentlyContinue (Join-Path $Operator.Folder "stderr-$(if ($Operator.Resume) { 'resume' } else { 'first' }).log")
        return [pscustomobject]@{ operator = $Operator.Name; resume = $Operator.Resume; status = $(if ($Operator.Killed) { 'Killed' } else { 'Crashed' }); errorId = 'SoakOperatorNoResult'; message = "exit code $($Operator.Process.ExitCode) without a result; $stderr"; parallelDatabase = $null }
    }
    Get-Content -Raw $Operator.ResultPath | ConvertFrom-Json
}

Export-ModuleMember -Function Start-SoakOperator, Stop-SoakOperatorAtStep, Wait-SoakOperator
