function Invoke-OsRollForward {
    <#
    .SYNOPSIS
        Rolls an environment forward after a rollback: a new rollback point, the fix versions through LifeTime, the smoke test, the rehearsed data repair and its checks.
    .DESCRIPTION
        Approved like a rollback. It first writes a roll-forward plan to -PlanPath (JSON: the
        target, the fix versions with their LifeTime keys, the repair script and check with their
        SHA-256 digests) and the SHA-256 digest of the plan's canonical content (PlanDigest). With
        -ExpectedPlanDigest a plan that differs from the approved one is refused before anything
        changes. -WhatIf lists every step and changes nothing (no plan file either).

        The steps: NewRollbackPoint, Deploy (Publish-OsApplicationVersion from -SourceEnvironment;
        a conflict stops it), SmokeTest (any failing check stops it before the repair), Repair
        (Invoke-OsDataRepair without -Force: refused unless the same script and check were
        rehearsed with passing checks; its checks run in the repair's transaction) and Checks.
        A state file next to the plan (<PlanPath>.state.json) records each finished step, so a
        rerun after a kill resumes at the first unfinished one; a rerun after completion changes
        nothing. The repair itself is applied at most once.
    .PARAMETER Environment
        The environment to roll forward (the LifeTime target), e.g. Production.
    .PARAMETER SourceEnvironment
        The environment the fix versions are deployed from, e.g. Development.
    .PARAMETER FixVersion
        The fix versions, objects from Get-OsApplicationVersion.
    .PARAMETER Script
        The data repair script (a SQL file), rehearsed before with Invoke-OsDataRepair -Rehearse.
    .PARAMETER Check
        The SQL file of queries that return the rows still wrong, rehearsed with the script.
    .PARAMETER RollbackPoint
        The rollback point of the rollback being rolled forward from (the repair checks that the
        target is its database); default: the newest of -Environment.
    .PARAMETER PlanPath
        The roll-forward plan file (JSON) to write; the state file goes next to it.
    .PARAMETER ExpectedPlanDigest
        The approved plan digest (64 hex digits, optionally 'sha256:'); a different plan is refused.
    .PARAMETER SqlitePath
        The target's SQLite platform database (sandbox, drills).
    .PARAMETER SqlInstance
        The SQL Server instance of the target's platform database.
    .PARAMETER Database
        The target's platform database on -SqlInstance.
    .PARAMETER Connection
        The LifeTime connection from Connect-OsLifeTime.
    .PARAMETER CatalogPath
        The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.
    .EXAMPLE
        $fix = Get-OsApplicationVersion -Application Orders -Version 1.2.1
        Invoke-OsRollForward -Environment Production -SourceEnvironment Development -FixVersion $fix -Script fix.sql -Check check.sql -PlanPath rf.json -SqlitePath ./platform.db -WhatIf

        Lists the steps and the plan digest; changes nothing.
    .EXAMPLE
        Invoke-OsRollForward -Environment Production -SourceEnvironment Development -FixVersion $fix -Script fix.sql -Check check.sql -PlanPath rf.json -SqlitePath ./platform.db -ExpectedPlanDigest $approved

        Runs the approved roll-forward; rerun the same command after an interruption to resume.
    .LINK
    help:Get-Help%20Invoke-OsRollForward%20-Full%20(installed%20with%20the%20module,%20no%20online%20version)
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'Sqlite')]
    param(
        [Parameter(Mandatory)] [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsEnvironmentCompleter])] [string] $Environment,
        [Parameter(Mandatory)] [string] $SourceEnvironment,
        [Parameter(Mandatory)] [object[]] $FixVersion,
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $Check,
        [Parameter(Mandatory)] [string] $PlanPath,
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsRollbackPointCompleter])] [object] $RollbackPoint,
        [string] $ExpectedPlanDigest,
        [Parameter(Mandatory, ParameterSetName = 'Sqlite')] [string] $SqlitePath,
        [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $SqlInstance,
        [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $Database,
        [object] $Connection,
        [string] $CatalogPath
    )
    # A runbook stops at the first error: a failed step must never hand $null to the next one.
    $ErrorActionPreference = [System.Management.Automation.ActionPreference]::Stop
    $catalog = if ($CatalogPath) { @{ CatalogPath = $CatalogPath } } else { @{} }
    $target = if ($SqlitePath) { @{ SqlitePath = $SqlitePath } } else { @{ SqlInstance = $SqlInstance; Database = $Database } }
    foreach ($file in $Script, $Check) {
        if (-not (Test-Path -LiteralPath $file -PathType Leaf)) {
            Stop-OsRollForward $PSCmdlet 'RollForwardFileNotFound' 'ObjectNotFound' "The file '$file' does not exist." $file 'Give the repair script and check that were rehearsed.'
        }
    }
    if (-not $RollbackPoint) {
        $RollbackPoint = Get-OsRollbackPoint -Environment $Environment -Latest @catalog
        if (-not $RollbackPoint) {
            Stop-OsRollForward $PSCmdlet 'RollForwardNoRollbackPoint' 'ObjectNotFound' "No rollback point of '$Environment' exists in the catalog." $Environment 'Give -RollbackPoint, the point of the rollback being rolled forward from.'
        }
    }
    $pointId = if ($RollbackPoint -is [string]) { $RollbackPoint } else { [string]$RollbackPoint.Id }

    $plan = [ordered]@{
        FormatVersion     = 1
        Environment       = $Environment
        SourceEnvironment = $SourceEnvironment
        RollbackPointId   = $pointId
        Target            = if ($SqlitePath) { [ordered]@{ SqlitePath = [System.IO.Path]::GetFullPath($SqlitePath) } } else { [ordered]@{ SqlInstance = $SqlInstance; Database = $Database } }
        FixVersions       = @($FixVersion | ForEach-Object { [ordered]@{ Application = [string]$_.ApplicationName; Version = [string]$_.Version; Key = [string]$_.Key } })
        # The paths as given (an agent's checkout folder may differ between stages); the digests pin the content.
        RepairScript      = [ordered]@{ Path = $Script; Sha256 = (Get-FileHash -LiteralPath $Script -Algorithm SHA256).Hash.ToLowerInvariant() }
        RepairCheck       = [ordered]@{ Path = $Check; Sha256 = (Get-FileHash -LiteralPath $Check -Algorithm SHA256).Hash.ToLowerInvariant() }
    }
    # The digest covers the canonical content: compact JSON with the keys in this fixed order.
    $canonical = $plan | ConvertTo-Json -Depth 5 -Compress
    $digest = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($canonical))).ToLowerInvariant()
    if ($ExpectedPlanDigest -and ($ExpectedPlanDigest -replace '^sha256:', '').ToLowerInvariant() -ne $digest) {
        Stop-OsRollForward $PSCmdlet 'RollForwardPlanDigestMismatch' 'SecurityError' "The roll-forward plan's digest is sha256:$digest, not the approved ${ExpectedPlanDigest}: the fix versions, the repair files or the target changed since approval." $PlanPath 'Review the new plan (run with -WhatIf) and approve its digest, or restore the approved files.'
    }

    $statePath = "$PlanPath.state.json"
    $finished = [System.Collections.Generic.List[string]]::new()
    $state = [ordered]@{ PlanDigest = $digest; NewRollbackPointId = $null; Finished = $finished }
    if (Test-Path -LiteralPath $statePath) {
        $saved = Get-Content -LiteralPath $statePath -Raw | ConvertFrom-Json
        if ($saved.PlanDigest -ne $digest) {
            Stop-OsRollForward $PSCmdlet 'RollForwardStateOfAnotherPlan' 'InvalidOperation' "The state file '$statePath' belongs to another plan (sha256:$($saved.PlanDigest))." $statePath 'Use another -PlanPath for a new plan, or rerun the plan the state file belongs to.'
        }
        $state.NewRollbackPointId = $saved.NewRollbackPointId
        foreach ($name in @($saved.Finished)) { $finished.Add([string]$name) }
    }

    $steps = @(
        @{ Name = 'NewRollbackPoint'; What = "Take a rollback point of $Environment" }
        @{ Name = 'Deploy'; What = "Deploy $(($plan.FixVersions | ForEach-Object { "$($_.Application) $($_.Version)" }) -join ', ') from $SourceEnvironment to $Environment through LifeTime" }
        @{ Name = 'SmokeTest'; What = "Smoke-test $Environment" }
        @{ Name = 'Repair'; What = "Run the rehearsed repair $($plan.RepairScript.Path) with its check $($plan.RepairCheck.Path) on $Environment" }
        @{ Name = 'Checks'; What = 'Confirm the repair committed with every check returning no rows' }
    )
    if (-not $PSCmdlet.ShouldProcess($Environment, "Roll forward (plan sha256:$digest): $(($steps | ForEach-Object { $_.What }) -join '; ')")) {
        Write-Host "What if: roll-forward plan sha256:$digest (approve it with -ExpectedPlanDigest)"
        foreach ($step in $steps) { Write-Host "What if: $($step.Name): $($step.What)$(if ($finished.Contains($step.Name)) { ' (already finished)' })" }
        return
    }
    $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent ([System.IO.Path]::GetFullPath($PlanPath)))
    [ordered]@{ Plan = $plan; PlanDigest = $digest } | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath $PlanPath -Encoding utf8NoBOM

    $lt = if ($Connection) { @{ Connection = $Connection } } else { @{} }
    $repair = $null
    $deployments = @()
    foreach ($step in $steps) {
        if ($finished.Contains($step.Name)) { Write-Verbose "$($step.Name) already finished; skipped."; continue }
        Write-Verbose $step.What
        switch ($step.Name) {
            'NewRollbackPoint' {
                $point = New-OsRollbackPoint -Environment $Environment -Application @($plan.FixVersions.Application | Select-Object -Unique) -Description "Before the roll-forward sha256:$digest" -Confirm:$false @lt @catalog @target
                $state.NewRollbackPointId = [string]$point.Id
            }
            'Deploy' {
                $deployments = @(Publish-OsApplicationVersion -ApplicationVersion @($plan.FixVersions.Key) -SourceEnvironment $SourceEnvironment -TargetEnvironment $Environment -Notes "Roll forward, plan sha256:$digest" -Confirm:$false @lt)
            }
            'SmokeTest' {
                $failed = @(Test-OsSmoke -RollbackPoint $state.NewRollbackPointId @catalog -WarningAction SilentlyContinue | Where-Object { -not $_.Passed })
                if ($failed) { throw "The smoke test failed after the deploy ($(($failed | ForEach-Object { "$($_.Name): $($_.Message)" }) -join '; ')); the repair did not run." }
            }
            'Repair' {
                $repair = Invoke-OsDataRepair -Script $Script -Check $Check -RollbackPoint $RollbackPoint -Confirm:$false @catalog @target
            }
            'Checks' {
                if ($repair -and -not $repair.ChecksPassed) { throw "The repair's checks found rows; everything it did was rolled back: $repair" }
            }
        }
        $finished.Add($step.Name)
        $state | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $statePath -Encoding utf8NoBOM
    }
    [pscustomobject]@{
        PSTypeName         = 'OsRollback.RollForwardReport'
        Environment        = $Environment
        PlanPath           = $PlanPath
        PlanDigest         = $digest
        NewRollbackPointId = $state.NewRollbackPointId
        FixVersions        = @($plan.FixVersions | ForEach-Object { "$($_.Application) $($_.Version)" })
        Deployments        = $deployments
        Repair             = $repair
        FinishedSteps      = @($finished)
    }
}

# Stops the runbook with an ErrorRecord that has a stable ErrorId and says what to do.
function Stop-OsRollForward($Cmdlet, [string] $ErrorId, [string] $Category, [string] $Message, $Target, [string] $RecommendedAction) {
    $record = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $ErrorId, [System.Management.Automation.ErrorCategory]$Category, $Target)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($Message)
    $record.ErrorDetails.RecommendedAction = $RecommendedAction
    $Cmdlet.ThrowTerminatingError($record)
}
