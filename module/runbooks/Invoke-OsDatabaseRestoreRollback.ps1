function Invoke-OsDatabaseRestoreRollback {
    <#
    .SYNOPSIS
        The last resort: restores the pre-deploy database backup with the full runbook, and keeps the newer data in a parallel database.
    .DESCRIPTION
        Plans with the Database strategy (New-OsRollbackPlan -Strategy Database -AllowDataLoss) and
        executes it (Invoke-OsRollback): maintenance mode on and timers suspended, -OfflineScript
        (close the firewall), IIS and the OutSystems services stopped on the servers, a verified
        pre-rollback backup, the restore of the pre-deploy backup, the Configuration Tool applied and
        the services restarted on the deployment controller and then each front-end, pending settings
        applied, the republish of all modules, the timers woken by publishing suspended again, online internally, smoke tests, -OnlineScript (open
        the firewall), timers resumed, and the pre-rollback backup restored as a parallel database.
        A failed smoke test stops before the firewall opens; fix, then run Invoke-OsRollback
        -Resume with the plan written to -PlanPath.

        Everything written since the pre-deploy backup leaves the live database: recover it from
        the parallel database. The confirmation prompt names the data-loss window.
    .PARAMETER RollbackPoint
        The rollback point; default: the newest of -Environment.
    .PARAMETER Environment
        The environment to roll back; also a guard that the plan is for it.
    .PARAMETER Reason
        Why (incident, symptom); stored in the plan and the report.
    .PARAMETER DataCorruption
        The bad version corrupted data (recorded in the plan, which then warns about a repair plan).
    .PARAMETER OfflineScript
        Closes the applications to end users: a script block or a script path; gets a context object.
    .PARAMETER OnlineScript
        Opens the applications to end users after the smoke tests passed: a script block or a script path.
    .PARAMETER ProcedureScript
        Does the server steps of OutSystems' restore procedure (stop services, Configuration Tool, pending settings): a script block or a script path; gets a context object with Operation and Server.
    .PARAMETER DeploymentController
        The deployment controller server, reached by PowerShell remoting when no -ProcedureScript is given.
    .PARAMETER FrontEnd
        The front-end servers, reached by PowerShell remoting when no -ProcedureScript is given.
    .PARAMETER ServerCredential
        The credential for PowerShell remoting to the servers.
    .PARAMETER SmokeScript
        Extra smoke checks (script blocks that get the environment name).
    .PARAMETER Connection
        The LifeTime connection from Connect-OsLifeTime.
    .PARAMETER ServiceCenterConnection
        The Service Center connection from Connect-OsServiceCenter.
    .PARAMETER SqlInstance
        SQL Server instance of the environment's database.
    .PARAMETER Database
        The environment's database on -SqlInstance.
    .PARAMETER SqlCredential
        SQL login; without it, integrated authentication.
    .PARAMETER SqlitePath
        A SQLite database instead of SQL Server (sandbox, drills).
    .PARAMETER PlanPath
        Write the plan to <PlanPath>.json and <PlanPath>.md before executing (needed for -Resume after a failure).
    .PARAMETER CatalogPath
        The catalog folder; default: OSROLLBACK_HOME, else ~/.osrollback.
    .EXAMPLE
        Invoke-OsDatabaseRestoreRollback -Environment Production -Reason 'INC-77 prices overwritten' -DataCorruption -Connection $lt -ServiceCenterConnection $sc -SqlInstance sql01 -Database outsystems -OfflineScript ./close.ps1 -OnlineScript ./open.ps1 -PlanPath ./inc-77

        The full restore runbook; asks for confirmation, naming the data-loss window.
    .EXAMPLE
        Invoke-OsDatabaseRestoreRollback -Environment Production -Reason 'drill' -Connection $lt -SqlitePath ./drill.db -WhatIf

        Lists every step of the runbook; changes nothing.
    .LINK
    help:Get-Help%20Invoke-OsDatabaseRestoreRollback%20-Full%20(installed%20with%20the%20module,%20no%20online%20version)
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'SqlServer')]
    param(
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsRollbackPointCompleter])] [object] $RollbackPoint,
        [ArgumentCompleter([OsRollback.Cmdlets.Completion.OsEnvironmentCompleter])] [string] $Environment,
        [Parameter(Mandatory)] [string] $Reason,
        [switch] $DataCorruption,
        [object] $OfflineScript,
        [object] $OnlineScript,
        [object] $ProcedureScript,
        [string] $DeploymentController,
        [string[]] $FrontEnd = @(),
        [pscredential] $ServerCredential,
        [scriptblock[]] $SmokeScript = @(),
        [object] $Connection,
        [object] $ServiceCenterConnection,
        [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $SqlInstance,
        [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $Database,
        [Parameter(ParameterSetName = 'SqlServer')] [pscredential] $SqlCredential,
        [Parameter(Mandatory, ParameterSetName = 'Sqlite')] [string] $SqlitePath,
        [string] $PlanPath,
        [string] $CatalogPath
    )
    # A runbook stops at the first error: a failed step must never hand $null to the next one.
    $ErrorActionPreference = [System.Management.Automation.ActionPreference]::Stop
    $invoke = @{ SmokeScript = $SmokeScript }
    if ($OfflineScript) { $invoke.OfflineScript = $OfflineScript }
    if ($OnlineScript) { $invoke.OnlineScript = $OnlineScript }
    if ($ProcedureScript) { $invoke.ProcedureScript = $ProcedureScript }
    if ($ServerCredential) { $invoke.ServerCredential = $ServerCredential }
    $servers = @{}
    if ($DeploymentController) { $servers.DeploymentController = $DeploymentController }
    if ($FrontEnd.Count -gt 0) { $servers.FrontEnd = $FrontEnd }
    if ($PSCmdlet.ParameterSetName -eq 'Sqlite') { $invoke.SqlitePath = $SqlitePath } else {
        $invoke.SqlInstance = $SqlInstance; $invoke.Database = $Database
        if ($SqlCredential) { $invoke.SqlCredential = $SqlCredential }
    }
    Invoke-OsRunbookStrategy -Strategy Database -RollbackPoint $RollbackPoint -Environment $Environment -Reason $Reason `
        -Connection $Connection -ServiceCenterConnection $ServiceCenterConnection -PlanPath $PlanPath -CatalogPath $CatalogPath `
        -PlanParameters (@{ AllowDataLoss = $true; DataCorruption = $DataCorruption.IsPresent } + $servers) -InvokeParameters $invoke
}
