@{
    Synopsis    = 'Connects to the LifeTime API v2 with a service-account token and makes it the default connection.'
    Description = @'
Connect-OsLifeTime checks a LifeTime service-account token by listing the environments (GET /lifetimeapi/rest/v2/environments/) and returns a connection object. Every platform cmdlet takes it by -Connection; the last connection made is the default, so most scripts connect once.

The token is given as a SecureString (-Token) or read from an environment variable (-TokenEnvironmentVariable), which is how Azure DevOps passes secret variables to a step. The connection keeps the token as a read-only SecureString with no public property; it never appears in output, ToString(), verbose messages or errors.

Tokens belong to a LifeTime service account: create one in LifeTime > User Management > Service Accounts, give it a role with permission on the environments and applications it will deploy, and copy the token when it is shown. A wrong, expired or revoked token gives the error LifeTimeTokenRejected, which says how to get a new one.

Only https:// is accepted, except to loopback (the sandbox) or with -AllowInsecureHttp.

Before a deployment starts, OsRollback waits for plans already running on the target. LifeTime 11.24 (self-managed) and 11.21 (OutSystems Cloud) run several plans on one target at a time when they share no module; there it waits only for running plans that share an application with its own plan, or whose applications it cannot read. No public LifeTime API reports LifeTime's own version, so tell it with -LifeTimeVersion or -ParallelDeployments; otherwise every running plan on the target is waited for, as on older LifeTime.
'@
    Parameters  = @{
        Uri                      = 'Address of the LifeTime server, for example https://lifetime.example.com. The API path /lifetimeapi/rest/v2 is added when missing.'
        Token                    = 'The service-account token as a SecureString, for example (Read-Host -AsSecureString) or from SecretManagement (Get-Secret).'
        TokenEnvironmentVariable = 'Name of an environment variable that holds the token (for pipelines: map the secret variable into the step''s env:). The value is read once and kept as a SecureString.'
        PollIntervalSec          = 'First wait between polls of a running deployment (default 2 seconds). The wait grows by half each time nothing changes, up to 8 times this value (at most 15 seconds), and drops back when a new log line arrives.'
        AllowInsecureHttp        = 'Allow plain http:// to a host that is not loopback. Without it, only https:// (and http:// to 127.0.0.1/localhost, such as the sandbox) is accepted, so that credentials never travel unencrypted.'
        TimeoutSec               = 'Seconds allowed for one attempt of one request (default 100). Package uploads and downloads get 30 minutes.'
        ParallelDeployments      = 'Whether plans to one target run in parallel: Auto (default: parallel when -LifeTimeVersion is 11.24 or later, or 11.21 or later for an OutSystems Cloud target; serial when no version is given), Enabled (wait only for running plans that share an application with ours) or Disabled (wait for any running plan on the target).'
        LifeTimeVersion          = 'The version of the LifeTime management console, for example 11.24.0. Used by -ParallelDeployments Auto; LifeTime''s API does not report it.'
        MaximumRetryCount        = 'Retries of a read after HTTP 429 (honouring Retry-After), 5xx, a transport error or a timeout, with jittered exponential backoff from 1 second up to 60 seconds (default 4; 0 turns retries off). Commands that change something (POST) are never retried.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Platform.LifeTimeConnection (Uri, ApiUri, Host, ConnectedOn, EnvironmentCount, ParallelDeployments, LifeTimeVersion; no secret)')
    Examples    = @(
        @{
            Title   = 'Connect interactively'
            Code    = @'
Connect-OsLifeTime -Uri https://lifetime.example.com -Token (Read-Host -AsSecureString 'LifeTime token')
'@
            Remarks = 'Checks the token and makes the connection the default of the platform cmdlets.'
        }
        @{
            Title   = 'Connect in an Azure DevOps pipeline'
            Code    = @'
# env: OS_LIFETIME_TOKEN: $(LifeTimeToken)
Connect-OsLifeTime -Uri $env:LIFETIME_URL -TokenEnvironmentVariable OS_LIFETIME_TOKEN
'@
            Remarks = 'The token comes from a secret pipeline variable mapped into the environment of the step; it is never printed.'
        }
        @{
            Title   = 'Deploy beside unrelated plans on LifeTime 11.24'
            Code    = @'
Connect-OsLifeTime -Uri https://lifetime.example.com -Token $token -LifeTimeVersion 11.24.0
'@
            Remarks = 'Deployments then wait only for running plans on the target that share an application with theirs.'
        }
        @{
            Title   = 'Two LifeTime servers in one script'
            Code    = @'
$old = Connect-OsLifeTime -Uri https://lt-old.example.com -Token $t1
$new = Connect-OsLifeTime -Uri https://lt-new.example.com -Token $t2
Get-OsEnvironment -Connection $old
'@
            Remarks = 'Pass -Connection to use a connection other than the last one.'
        }
    )
    Notes       = 'Connections are kept for the PowerShell process. Run Connect-OsLifeTime again after a token is replaced.'
    Links       = @('Connect-OsServiceCenter', 'Get-OsEnvironment', 'Publish-OsApplicationVersion')
}
