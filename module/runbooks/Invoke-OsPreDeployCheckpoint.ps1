function Invoke-OsPreDeployCheckpoint {
    <#
    .SYNOPSIS
        Takes and tests a rollback point before a deploy, then applies retention.
    .DESCRIPTION
        Runs New-OsRollbackPoint (verified database backup, running versions, solution package,
        module graph, schema snapshot), then Test-OsRollbackPoint (files, checksums, backup), and
        stops with an error when the rollback point is not usable: do not deploy without one.
        With -KeepLast, older rollback points of the environment are removed afterwards.
        Returns the rollback point.
    .PARAMETER Environment
        The LifeTime environment about to receive the deploy.
    .PARAMETER Application
        Applications to capture; default: all.
    .PARAMETER Connection
        The LifeTime connection from Connect-OsLifeTime.
    .PARAMETER SqlInstance
        SQL Server instance of the environment's database.
    .PARAMETER Database
        The environment's database on -SqlInstance.
    .PARAMETER SqlCredential
        SQL login; without it, integrated authentication.
    .PARAMETER SqlitePath
        A SQLite database instead of SQL Server (sandbox, drills).
    .PARAMETER Description
        A note stored with the rollback point (e.g. the release).
    .PARAMETER KeepLast
        After a good checkpoint, keep only this many newest rollback points of the environment.
    .PARAMETER CatalogPath
        The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.
    .EXAMPLE
        Invoke-OsPreDeployCheckpoint -Environment Production -Connection $lt -SqlInstance sql01 -Database outsystems -KeepLast 10

        The step to run in a release pipeline before the deploy.
    .EXAMPLE
        Invoke-OsPreDeployCheckpoint -Environment Quality -Application Orders -Connection $lt -SqlitePath ./quality.db -WhatIf

        Shows what would be captured; changes nothing.
    .LINK
    help:Get-Help%20Invoke-OsPreDeployCheckpoint%20-Full%20(installed%20with%20the%20module,%20no%20online%20version)
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'SqlServer')]
    param(
        [Parameter(Mandatory)] [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsEnvironmentCompleter])] [string] $Environment,
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsApplicationCompleter])] [string[]] $Application,
        [object] $Connection,
        [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $SqlInstance,
        [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $Database,
        [Parameter(ParameterSetName = 'SqlServer')] [pscredential] $SqlCredential,
        [Parameter(Mandatory, ParameterSetName = 'Sqlite')] [string] $SqlitePath,
        [string] $Description,
        [ValidateRange(1, 100000)] [int] $KeepLast,
        [string] $CatalogPath
    )
    # A runbook stops at the first error: a failed step must never hand $null to the next one.
    $ErrorActionPreference = [System.Management.Automation.ActionPreference]::Stop
    $common = @{}
    if ($CatalogPath) { $common.CatalogPath = $CatalogPath }
    $dbParameters = if ($PSCmdlet.ParameterSetName -eq 'Sqlite') { @{ SqlitePath = $SqlitePath } } else {
        $d = @{ SqlInstance = $SqlInstance; Database = $Database }
        if ($SqlCredential) { $d.SqlCredential = $SqlCredential }
        $d
    }
    $point = @{ Environment = $Environment; Connection = $Connection }
    if ($Application) { $point.Application = $Application }
    if ($Description) { $point.Description = $Description }
    $rp = New-OsRollbackPoint @point @dbParameters @common -ErrorAction Stop
    if (-not $rp) { return }  # -WhatIf
    $test = Test-OsRollbackPoint -RollbackPoint $rp @dbParameters @common -ErrorAction Stop
    if (-not $test.Passed) {
        # An unusable point must not become the "latest" that a rollback runbook would pick.
        Remove-OsRollbackPoint -RollbackPoint $rp -Force -Confirm:$false @common
        $exception = [System.InvalidOperationException]::new("The rollback point $($rp.Id) is not usable: $($test.Failures -join '; '). It was removed. Do not deploy until a checkpoint passes.")
        $record = [System.Management.Automation.ErrorRecord]::new($exception, 'RollbackPointNotUsable', [System.Management.Automation.ErrorCategory]::InvalidResult, $rp.Id)
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($exception.Message)
        $record.ErrorDetails.RecommendedAction = 'Fix what the failures name (backup folder, disk, database), then run Invoke-OsPreDeployCheckpoint again.'
        $PSCmdlet.ThrowTerminatingError($record)
    }
    if ($KeepLast) { Remove-OsRollbackPoint -Environment $Environment -KeepLast $KeepLast @common -Confirm:$false }
    $rp
}
