@{
    Synopsis    = 'Publishes a captured solution package (.osp/.oap) through LifeTime or Service Center, and returns its messages.'
    Description = @'
Publishes a solution package captured before a deploy (the Solution rollback strategy).

With -TargetEnvironment it uses LifeTime's binary deployment (POST /environments/{key}/deployment/, LifeTime 11.22 or later): note that a binary deployment has no impact analysis. Without it, it uses Service Center's solution-pack publication (SolutionPack_PublishWith2StepOption), optionally two-step (-TwoStep, continued with -Continue).

It polls the publication, writes its messages (verbose for Info, warnings for Warning/Error), aborts it on the first error (and on the first warning with -StopOnWarning), and returns the result with Status and every message. A publication that ends with errors or aborted also writes the error SolutionPublishFailed. -WhatIf uploads nothing.

The Service Center connection's password must be platform-hashed (see Connect-OsServiceCenter).
'@
    Parameters  = @{
        Path              = 'Path of the solution package (.osp or .oap). Accepts FullName by property name, so Get-ChildItem output pipes in.'
        TargetEnvironment = 'Publish through LifeTime''s binary deployment to this environment (name or key).'
        Connection        = 'The LifeTime connection (with -TargetEnvironment); default: the last Connect-OsLifeTime.'
        ServiceCenter     = 'The Service Center connection (without -TargetEnvironment); default: the last Connect-OsServiceCenter.'
        TwoStep           = 'Service Center two-step publication: prepare first, then continue (with -Continue) or stop at needs_user_intervention.'
        Continue          = 'Continue a two-step publication or deployment after its prepare stage.'
        StopOnWarning     = 'Abort on the first warning, not only on errors.'
    }
    Inputs      = @('System.String (Path or FullName by property name)')
    Outputs     = @('OsRollback.Engine.Platform.SolutionPublishResult (Package, Via, Status, Succeeded, Messages, ErrorCount, WarningCount, Duration)')
    Examples    = @(
        @{
            Title   = 'Through Service Center'
            Code    = 'Publish-OsSolutionVersion -Path ./before-deploy.osp -StopOnWarning'
            Remarks = 'Publishes with the default Service Center connection and stops at the first warning.'
        }
        @{
            Title   = 'Through LifeTime'
            Code    = 'Publish-OsSolutionVersion -Path ./before-deploy.osp -TargetEnvironment Production'
            Remarks = 'A binary deployment to Production (no impact analysis).'
        }
    )
    Notes       = 'Secrets (tokens, passwords) never appear in output, messages or errors.'
    Links       = @('Connect-OsServiceCenter', 'Publish-OsModuleVersion')
}
