@{
    Synopsis    = 'Connects to the Service Center of one environment and makes it the default Service Center connection.'
    Description = @'
Connect-OsServiceCenter checks a Service Center user by listing the modules (PlatformServices Modules_Get) and returns a connection object that Publish-OsSolutionVersion and Publish-OsModuleVersion take by -Connection (or -ServiceCenter); the last connection made is the default.

IMPORTANT: the password must be given already platform-hashed: a '#' followed by the hash that OutSystems' own assembly computes from the plain password (as OutSystems.SetupTools passes it). OsRollback cannot compute that hash and sends the password exactly as given. A plain password is rejected by Service Center with ServiceCenterLoginRejected.

The password stays in a read-only SecureString with no public property and never appears in output, messages or errors. Only https:// is accepted, except to loopback (the sandbox) or with -AllowInsecureHttp.
'@
    Parameters  = @{
        Uri               = 'Address of the environment''s server, for example https://dev.example.com. Service Center lives under /ServiceCenter on it.'
        Credential        = 'The Service Center user and its platform-hashed password (see the description). Get-Credential, or New-Object PSCredential with a SecureString.'
        PollIntervalSec   = 'First wait between polls of a publication''s messages (default 1 second). The wait grows by half each time no message arrives, up to 8 times this value (at most 15 seconds).'
        AllowInsecureHttp = 'Allow plain http:// to a host that is not loopback. Without it, only https:// (and http:// to 127.0.0.1/localhost, such as the sandbox) is accepted, so that credentials never travel unencrypted.'
        TimeoutSec        = 'Seconds allowed for one attempt of one request (default 100). Package uploads and downloads get 30 minutes.'
        MaximumRetryCount = 'Retries of a read after HTTP 429 (honouring Retry-After), 5xx, a transport error or a timeout, with jittered exponential backoff from 1 second up to 60 seconds (default 4; 0 turns retries off). Commands that change something (POST) are never retried.'
    }
    Inputs      = @('None')
    Outputs     = @('OsRollback.Engine.Platform.ServiceCenterConnection (Uri, UserName, ConnectedOn, ModuleCount; no secret)')
    Examples    = @(
        @{
            Title   = 'Connect with a platform-hashed password'
            Code    = @'
$hashed = Read-Host -AsSecureString 'platform-hashed password (#...)'
Connect-OsServiceCenter -Uri https://dev.example.com -Credential ([pscredential]::new('admin', $hashed))
'@
            Remarks = 'Checks the user against Service Center and makes the connection the default.'
        }
    )
    Notes       = 'The SOAP parameter names of Service Center are not documented by OutSystems; OsRollback keeps them in one class (ServiceCenterSoapWire).'
    Links       = @('Connect-OsLifeTime', 'Publish-OsSolutionVersion', 'Publish-OsModuleVersion')
}
