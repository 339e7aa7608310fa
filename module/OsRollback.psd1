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
    FormatsToProcess     = @(
        'formats/OsRollback.Modules.Format.ps1xml'
        'formats/OsRollback.Database.Format.ps1xml'
        'formats/OsRollback.Platform.Format.ps1xml'
        'formats/OsRollback.Rollback.Format.ps1xml'
        'formats/OsRollback.Drift.Format.ps1xml'
        'formats/OsRollback.RollForward.Format.ps1xml'
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
        'Test-OsRollbackPoint'
        'Remove-OsRollbackPoint'
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
    PrivateData          = @{
        PSData = @{
            Tags         = @('OutSystems', 'Rollback', 'Deployment', 'LifeTime', 'SqlServer', 'Backup', 'DevOps')
            # No ProjectUri or LicenseUri: the project has no public address yet. The MIT licence
            # ships in the package as license.txt.
            ReleaseNotes = '0.1.0: rollback points, plans and execution for OutSystems 11 (LifeTime, solution, module and database-restore strategies); module order and dependency graph; drift and data-loss reports; a sandbox that runs in pwsh without ASP.NET Core. Full list: CHANGELOG.md in the package.'
        }
    }
}
