@{
    Synopsis    = 'Stops an OsRollback sandbox started by Start-OsSandbox.'
    Description = @'
Stop-OsSandbox asks the sandbox to shut down (POST /_sandbox/shutdown with its token), waits for the process to end, and kills it if it has not ended within -TimeoutSeconds. Pipe the object returned by Start-OsSandbox, or give -ProcessId. A process that is not an OsRollback sandbox is never touched (error NotASandboxProcess); a sandbox that is no longer running gives a warning.

The platform databases stay in the data directory, so a later Start-OsSandbox -DataDirectory on the same folder goes on from the same state.
'@
    Parameters  = @{
        InputObject    = 'The sandbox object returned by Start-OsSandbox (from the pipeline).'
        ProcessId      = 'The process id of the sandbox (the ProcessId property of Start-OsSandbox''s result). Without the token, the process is sent a termination signal.'
        TimeoutSeconds = 'How long to wait for the sandbox to end before killing it (default 15).'
    }
    Inputs      = @('OsRollback.Cmdlets.Sandbox.OsSandbox')
    Outputs     = @('None')
    Examples    = @(
        @{
            Title   = 'Stop the sandbox you started'
            Code    = '$sandbox = Start-OsSandbox; ...; $sandbox | Stop-OsSandbox'
            Remarks = 'Shuts it down cleanly through its control endpoint.'
        }
        @{
            Title   = 'Stop a sandbox by process id'
            Code    = 'Stop-OsSandbox -ProcessId 12345 -Verbose'
            Remarks = 'Useful from another session; the process must be a sandbox.'
        }
    )
    Notes       = 'Supports -WhatIf and -Confirm.'
    Links       = @('Start-OsSandbox')
}
