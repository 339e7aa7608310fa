@{
    Synopsis    = 'Smoke-tests applications: HTTP checks of their URLs (status, optional content, timeout) plus your own script blocks.'
    Description = @'
Test-OsSmoke gets each URL and passes it when the status code is expected (default 200-299) and, with -Expect, the page contains the regular expression (case-insensitive). A request that does not answer within -TimeoutSeconds, or cannot connect, fails. -Attempts retries a failing URL. -Script adds checks of your own: each script block receives the environment name and passes unless it throws or returns $false.

With -RollbackPoint it checks the application URLs captured in the rollback point. It returns one object per check (Name, Url, Passed, StatusCode, Duration, Message) and writes a warning for each failure; it does not stop on a failure, so a script decides (e.g. if ($r.Passed -contains $false) { ... }). Invoke-OsRollback runs the same checks in its smoke-test step.
'@
    Parameters  = @{
        Url                = 'The URLs to check. Accepts pipeline input, also by the property name Url.'
        RollbackPoint      = 'Check the application URLs captured in this rollback point (an object from Get-OsRollbackPoint, an Id or a folder).'
        Expect             = 'A regular expression each page must contain (case-insensitive), e.g. ''<title>Orders''.'
        ExpectedStatusCode = 'Status codes that pass. Default: any 2xx.'
        TimeoutSeconds     = 'Seconds one request may take (default 30).'
        Attempts           = 'Tries per URL before it fails (default 1).'
        Script             = 'Extra checks: script blocks that receive the environment name and pass unless they throw or return $false.'
        Environment        = 'The environment name given to the -Script blocks (default: the rollback point''s environment).'
        CatalogPath        = 'With -RollbackPoint: the catalog folder. Default: the environment variable OSROLLBACK_HOME, else .osrollback in the user''s profile.'
    }
    Inputs      = @('System.String (URLs), or objects with a Url property')
    Outputs     = @('OsRollback.Engine.Smoke.SmokeResult (Name, Url, Passed, StatusCode, Duration, Message, Kind)')
    Examples    = @(
        @{
            Title   = 'Two pages, one must show its title'
            Code    = 'Test-OsSmoke -Url https://apps.example.com/Orders/, https://apps.example.com/Billing/ -Expect ''<title>'' -TimeoutSeconds 10'
            Remarks = 'One result per URL.'
        }
        @{
            Title   = 'The applications of a rollback point, plus an API check'
            Code    = 'Test-OsSmoke -RollbackPoint $rp -Script { param($environment) (Invoke-RestMethod https://apps.example.com/Orders/rest/health).ok }'
            Remarks = 'Checks every captured application URL and runs the script block.'
        }
        @{
            Title   = 'Fail a pipeline step'
            Code    = 'if ((Test-OsSmoke -Url $urls).Passed -contains $false) { throw ''Smoke test failed'' }'
            Remarks = 'Test-OsSmoke itself never throws for a failed check.'
        }
    )
    Notes       = 'Requests carry no credentials. Use -Script for checks that need to log in.'
    Links       = @('Invoke-OsRollback', 'Get-OsRollbackPoint')
}
