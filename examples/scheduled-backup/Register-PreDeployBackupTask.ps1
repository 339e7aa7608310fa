<#
.SYNOPSIS
    Registers a Windows scheduled task that runs the pre-deploy backup with retention every night.
.DESCRIPTION
    The task runs pwsh (PowerShell 7.4+) as the given account, which needs db_backupoperator on the
    SQL Server and write access to the backup share through the SQL Server service account. Run this
    script once, elevated, on the machine that will run the backups.
.EXAMPLE
    ./Register-PreDeployBackupTask.ps1 -SqlInstance sql01 -Database outsystems -Path \\nas\osbackups -At 01:30 -User 'CONTOSO\svc-osbackup'
#>
#Requires -RunAsAdministrator
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $SqlInstance,
    [Parameter(Mandatory)] [string] $Database,
    [Parameter(Mandatory)] [string] $Path,
    [int] $KeepLast = 14,
    [datetime] $At = '01:30',
    [Parameter(Mandatory)] [string] $User,
    [string] $TaskName = 'OsRollback pre-deploy backup'
)
$script = Join-Path $PSScriptRoot 'Invoke-PreDeployBackup.ps1'
$pwsh = (Get-Command pwsh.exe).Source
$arguments = "-NoProfile -NonInteractive -File `"$script`" -SqlInstance `"$SqlInstance`" -Database `"$Database`" -Path `"$Path`" -KeepLast $KeepLast"
$action = New-ScheduledTaskAction -Execute $pwsh -Argument $arguments
$trigger = New-ScheduledTaskTrigger -Daily -At $At
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -ExecutionTimeLimit (New-TimeSpan -Hours 4) -MultipleInstances IgnoreNew
if ($PSCmdlet.ShouldProcess($TaskName, "Register a daily task at $($At.ToString('HH:mm')) running $script as $User")) {
    # Windows authentication of $User reaches SQL Server: no password in the task's arguments.
    $credential = Get-Credential -UserName $User -Message "Password of $User (stored by the Task Scheduler)"
    Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings `
        -User $User -Password $credential.GetNetworkCredential().Password -RunLevel Limited
}
