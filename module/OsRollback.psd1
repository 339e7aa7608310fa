@{
    RootModule           = 'OsRollback.Cmdlets.dll'
    # Stamped by build.ps1 from <Version> in Directory.Build.props (the one version source).
    ModuleVersion        = '0.0.0'
    GUID                 = '6f0c7a43-5d0e-4d8e-9b8f-3e7a1c2b9d41'
    Author               = 'OsRollback contributors'
    CompanyName          = 'OsRollback'
    Copyright            = '(c) OsRollback contributors. MIT licence.'
    Description          = 'Planned, rehearsed and safe rollbacks of OutSystems 11 deployments: rollback points, verified database backups, LifeTime/solution/module/database-restore strategies, and what a rollback leaves behind.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    NestedModules        = @('OsRollback.Runbooks.psm1')
    TypesToProcess       = @('OsRollback.Types.ps1xml')
    FormatsToProcess     = @(
        'formats/OsRollback.Modules.Format.ps1xml'
        'formats/OsRollback.Database.Format.ps1xml'
        'formats/OsRollback.Platform.Format.ps1xml'
        'formats/OsRollback.Rollback.Format.ps1xml'
        'formats/OsRollback.Drift.Format.ps1xml'
        'formats/OsRollback.RollForward.Format.ps1xml'
        'formats/OsRollback.Runs.Format.ps1xml'
    )
    CmdletsToExport      = @(
        # module order
        'Get-OsModuleOrder'
        'Export-OsModuleGraph'
        # database safety net
        'Backup-OsDatabase'
        'Test-OsDatabaseBackup'
        'Restore-OsDatabase'
        'Get-OsDatabaseBackup'
        'Remove-OsDatabaseBackup'
        # platform
        'Connect-OsLifeTime'
        'Connect-OsServiceCenter'
        'New-OsApplicationVersion'
        'Get-OsEnvironment'
        'Get-OsApplication'
        'Get-OsApplicationVersion'
        'Get-OsModule'
        'Get-OsDeployment'
        'Publish-OsApplicationVersion'
        'Publish-OsSolutionVersion'
        'Publish-OsModuleVersion'
        'Stop-OsDeployment'
        'Set-OsMaintenanceMode'
        'Suspend-OsTimer'
        'Resume-OsTimer'
        'Start-OsSandbox'
        'Stop-OsSandbox'
        # rollback
        'New-OsRollbackPoint'
        'Get-OsRollbackPoint'
        'Get-OsRollbackRun'
        'Test-OsRollbackPoint'
        'Remove-OsRollbackPoint'
        'Unlock-OsEnvironment'
        'New-OsRollbackPlan'
        'Export-OsRollbackPlan'
        'Invoke-OsRollback'
        'Test-OsSmoke'
        # after the rollback
        'Get-OsSchemaDrift'
        'Compare-OsDatabaseData'
        'Export-OsDataDelta'
        'Import-OsDataDelta'
        # rolling forward
        'Test-OsRollForward'
        'Invoke-OsDataRepair'
    )
    FunctionsToExport    = @(
        'Invoke-OsPreDeployCheckpoint'
        'Invoke-OsLifeTimeRollback'
        'Invoke-OsSolutionRollback'
        'Invoke-OsModuleRollback'
        'Invoke-OsDatabaseRestoreRollback'
        'Invoke-OsRollForward'
    )
    AliasesToExport      = @()
    VariablesToExport    = @()
    # No updatable help: it is installed with the module. Update-Help fails quoting this value
    # ("does not start with HTTP"), so the value says where the help is.
    HelpInfoURI          = 'help:installed with the module (Get-Help <command> -Full; Get-Help about_OsRollback)'
    PrivateData          = @{
        PSData = @{
            # Gallery tags: what it is for, and where it runs (CompatiblePSEditions Core; tested on Linux, built for Windows and macOS too).
            Tags         = @('OutSystems', 'Rollback', 'Deployment', 'LifeTime', 'SqlServer', 'SQLite', 'Backup', 'DevOps', 'AzureDevOps',
                'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            # The licence as NuGet names an SPDX expression (MIT, the text ships as license.txt);
            # tools/New-OsRollbackPackage.ps1 writes it into the package as <license type="expression">.
            # No ProjectUri: the project has no public address yet.
            LicenseUri   = 'https://licenses.nuget.org/MIT'
            # Stamped by build.ps1 from this version's section of CHANGELOG.md.
            ReleaseNotes = 'See CHANGELOG.md in the module folder.'
        }
    }
}
