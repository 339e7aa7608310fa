<#
.SYNOPSIS
    A scheduled pre-deploy backup of the OutSystems platform database, with retention.
.DESCRIPTION
    Takes a verified, copy-only backup (Backup-OsDatabase -Verify), then keeps the newest
    -KeepLast backups written by OsRollback in the folder (Remove-OsDatabaseBackup; backups
    written by other tools are never touched). Exits with 1 when the backup or its verification
    fails, so a scheduler, systemd or Azure DevOps marks the run as failed.

    SQL Server: -SqlInstance and -Database; the SQL login, if any, comes from the environment
    variables OSROLLBACK_SQL_USER and OSROLLBACK_SQL_PASSWORD (never from the command line).
    SQLite: -SqlitePath.

    The backup folder must exist (a mistyped -Path is an error, BackupPathNotFound, not a new folder
    that retention then runs in); -BuildPath creates a missing SQLite backup folder, as in dbatools.
.EXAMPLE
    pwsh -NoProfile -File ./Invoke-PreDeployBackup.ps1 -SqlInstance sql01 -Database outsystems -Path \\nas\osbackups -KeepLast 14
.EXAMPLE
    pwsh -NoProfile -File ./Invoke-PreDeployBackup.ps1 -SqlitePath /srv/sandbox/platform.db -Path /var/backups/osrollback -KeepLast 7
#>
[CmdletBinding(DefaultParameterSetName = 'SqlServer')]
param(
    [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $SqlInstance,
    [Parameter(Mandatory, ParameterSetName = 'SqlServer')] [string] $Database,
    [Parameter(Mandatory, ParameterSetName = 'Sqlite')] [string] $SqlitePath,
    # Backup folder: on the SQL Server machine (or a share its service account can write) for SQL Server.
    [Parameter(Mandatory)] [string] $Path,
    [ValidateRange(1, 1000)] [int] $KeepLast = 14,
    # SQLite: create the backup folder when it is missing (SQL Server folders are the server's).
    [Parameter(ParameterSetName = 'Sqlite')] [switch] $BuildPath,
    # Where the module is (default: installed in a module path).
    [string] $ModulePath = 'OsRollback'
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # no console in a scheduled job
Import-Module $ModulePath

$target = if ($PSCmdlet.ParameterSetName -eq 'Sqlite') {
    @{ SqlitePath = $SqlitePath; BuildPath = $BuildPath }
} else {
    $t = @{ SqlInstance = $SqlInstance; Database = $Database }
    if ($env:OSROLLBACK_SQL_USER) {
        $password = ConvertTo-SecureString $env:OSROLLBACK_SQL_PASSWORD -AsPlainText -Force
        $t.SqlCredential = [pscredential]::new($env:OSROLLBACK_SQL_USER, $password)
    }
    $t
}

try {
    $backup = Backup-OsDatabase @target -Path $Path -Verify
    Write-Output ("Backed up {0} to {1} ({2:N0} bytes, verified: {3})." -f $backup.Database, ($backup.FilePath -join ', '), $backup.Size, $backup.Verified)
    if (-not $backup.Verified) { throw "The backup of $($backup.Database) was written but not verified." }

    $target.Remove('BuildPath')
    $removed = Remove-OsDatabaseBackup @target -Path $Path -KeepLast $KeepLast -Confirm:$false
    Write-Output ("Retention: kept the newest {0}, removed {1}." -f $KeepLast, @($removed).Count)
    exit 0
}
catch {
    # ErrorRecords from the module carry a stable id (for example BackupPathNotFound, DiskFull).
    Write-Error -ErrorRecord $_ -ErrorAction Continue
    exit 1
}
