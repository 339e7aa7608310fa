@{
    Synopsis    = 'Writes a rollback plan as JSON (input to Invoke-OsRollback) or Markdown (approval gate, pipeline summary).'
    Description = @'
Export-OsRollbackPlan writes the plan from New-OsRollbackPlan to a file. JSON (format version 1) round-trips exactly: Invoke-OsRollback -Plan <file> executes it after a person or a pipeline approved it. Markdown lists the strategy, the reason, the data-loss window, why each strategy was chosen or skipped, the applications, every step with its target, and the warnings; it suits an approval gate or ##vso[task.uploadsummary]. The format follows -Format, else the extension (.md is Markdown, anything else JSON). Plans hold no secret.
'@
    Parameters  = @{
        Plan   = 'The plan: the object from New-OsRollbackPlan, or the path of a JSON plan file (to convert it to Markdown). Accepts pipeline input.'
        Path   = 'The file to write.'
        Format = 'Json or Markdown. Default: Markdown for .md files, Json otherwise.'
        Force  = 'Overwrite an existing file.'
    }
    Inputs      = @('OsRollback.Engine.Rollback.Planning.RollbackPlan')
    Outputs     = @('System.IO.FileInfo')
    Examples    = @(
        @{
            Title   = 'JSON for execution, Markdown for approval'
            Code    = '$plan | Export-OsRollbackPlan -Path ./plan.json; $plan | Export-OsRollbackPlan -Path ./plan.md'
            Remarks = 'Attach plan.md to the change request; run Invoke-OsRollback -Plan ./plan.json once approved.'
        }
        @{
            Title   = 'Markdown from an approved JSON plan'
            Code    = 'Export-OsRollbackPlan -Plan ./plan.json -Path ./plan.md -Format Markdown'
            Remarks = 'Reads the JSON plan and writes its Markdown.'
        }
    )
    Notes       = 'Do not edit a JSON plan by hand: Invoke-OsRollback refuses a plan whose steps are not numbered in order, and one whose rollback point changed since planning.'
    Links       = @('New-OsRollbackPlan', 'Invoke-OsRollback')
}
