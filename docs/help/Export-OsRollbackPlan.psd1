@{
    Synopsis    = 'Writes a rollback plan as JSON (input to Invoke-OsRollback), or its decision document as Markdown (approval gate, pipeline summary) or HTML (a page for the customer).'
    Description = @'
Export-OsRollbackPlan writes the plan from New-OsRollbackPlan to a file. JSON round-trips exactly: Invoke-OsRollback -Plan <file> executes it after a person or a pipeline approved it.

Markdown and HTML write the decision document, for the customer who decides on the rollback and the DBA who runs it: the proposal; for each of the four strategies whether it is possible or why not, the users' expected outage (the plan's estimate, or "not estimated"), the data lost and what users will see while it runs; the data-loss window at planning time and how it grows for every hour of waiting; what is left behind; a sign-off table (role, name, date, decision) with the plan's id and digest; then the applications, every step with its target and the warnings. Markdown suits an approval gate or ##vso[task.uploadsummary]; HTML is one self-contained page (no script, no external link, printable) to send or print. Plan with New-OsRollbackPlan -AssessAllStrategies so that the strategies after the chosen one are assessed too.

The format follows -Format, else the extension: .md and .markdown are Markdown, .html and .htm HTML, anything else JSON. Plans hold no secret, and neither do these files.
'@
    Parameters  = @{
        Plan   = 'The plan: the object from New-OsRollbackPlan, or the path of a JSON plan file (to write its decision document). Accepts pipeline input.'
        Path   = 'The file to write.'
        Format = 'Json, Markdown or Html. Default from the extension of -Path: Markdown for .md and .markdown, Html for .html and .htm, Json otherwise.'
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
        @{
            Title   = 'The decision document for the customer'
            Code    = '$plan = New-OsRollbackPlan -RollbackPoint $rp -Reason ''INC-42 checkout broken'' -AssessAllStrategies; $plan | Export-OsRollbackPlan -Path ./decision.html; $plan | Export-OsRollbackPlan -Path ./plan.json'
            Remarks = 'Send decision.html to the customer before anything runs: it shows every way back with its outage, data loss and what users see, and the digest of plan.json. Once signed, run Invoke-OsRollback -Plan ./plan.json -ExpectedPlanDigest <that digest>.'
        }
    )
    Notes       = 'Do not edit a JSON plan by hand: Invoke-OsRollback refuses a plan whose steps are not numbered in order, and one whose rollback point changed since planning.'
    Links       = @('New-OsRollbackPlan', 'Invoke-OsRollback')
}
