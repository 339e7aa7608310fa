<#
.SYNOPSIS
    Module republish, waves vs one by one, on the sandbox with a fixed latency per publish; and
    the request count of one LifeTime deployment.
.DESCRIPTION
    Starts the sandbox (Start-OsSandbox) with -PublishLatencyMilliseconds, orders every module of
    its Production platform database (Get-OsModuleOrder), and republishes them in one run twice:
    one Service Center staging per wave, then one staging per module (Publish-OsModuleVersion
    -OneByOne). Then runs one Publish-OsApplicationVersion with the default polling and reads the
    sandbox's per-route request counters (GET /_sandbox/state). Prints a Markdown table.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/platform/Invoke-PlatformBenchmark.ps1 -ModulePath ./out/OsRollback
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/OsRollback'),
    [int] $PublishLatencyMilliseconds = 1000,
    [int] $PaceMilliseconds = 0,
    [double] $PollIntervalSec = 0.25,
    [int] $DeploymentPaceMilliseconds = 1000
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$plainToken = 'bench-' + [guid]::NewGuid().ToString('N')
$token = ConvertTo-SecureString $plainToken -AsPlainText -Force
$credential = [pscredential]::new('admin', (ConvertTo-SecureString ('#bench-' + [guid]::NewGuid().ToString('N')) -AsPlainText -Force))
$headers = @{ Authorization = "Bearer $plainToken" }

function Start-Bench([int] $pace, [int] $latency) {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ('osrollback-bench-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    Start-OsSandbox -DataDirectory $dir -PaceMilliseconds $pace -PublishLatencyMilliseconds $latency -Token $token -ServiceCenterCredential $credential
}

# --- Module republish: waves vs one by one ---------------------------------------------------
$sandbox = Start-Bench $PaceMilliseconds $PublishLatencyMilliseconds
try {
    $sc = Connect-OsServiceCenter -Uri "$($sandbox.Url)/production" -Credential $credential -PollIntervalSec $PollIntervalSec
    $order = Get-OsModuleOrder -SqlitePath $sandbox.PlatformDatabase -WarningAction SilentlyContinue
    $modules = @($order).Count
    $waves = @($order.Wave | Sort-Object -Unique).Count

    $wave = Measure-Command { $script:waveResult = $order | Publish-OsModuleVersion -Connection $sc }
    $one = Measure-Command { $script:oneResult = $order | Publish-OsModuleVersion -Connection $sc -OneByOne }
    if (-not $waveResult.Succeeded -or -not $oneResult.Succeeded) { throw 'A republish failed; the figures would mean nothing.' }
}
finally { Stop-OsSandbox -InputObject $sandbox | Out-Null }

$ratio = $modules / $waves
$speedup = $one.TotalSeconds / $wave.TotalSeconds

# --- Requests made by one deployment ----------------------------------------------------------
$sandbox = Start-Bench $DeploymentPaceMilliseconds 0
try {
    $null = Connect-OsLifeTime -Uri $sandbox.Url -Token $token   # default polling: 2 s, x1.5, max 15 s
    $version = Get-OsApplicationVersion -Application Orders | Where-Object Version -EQ '1.0.0'
    Invoke-RestMethod -Method Delete -Uri "$($sandbox.Url)/_sandbox/requests" -Headers $headers | Out-Null
    $deploy = Measure-Command { $script:deployment = Publish-OsApplicationVersion -ApplicationVersion $version -SourceEnvironment Quality -TargetEnvironment Production }
    $state = Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/state" -Headers $headers
    $byRoute = $state.requests.byRoute.PSObject.Properties | Where-Object Name -NotLike '*_sandbox*'
}
finally { Stop-OsSandbox -InputObject $sandbox | Out-Null }

$total = ($byRoute | Measure-Object -Property Value -Sum).Sum
@"
| run | publish operations | time (s) |
|---|---:|---:|
| one staging per wave | $($waveResult.PublishOperations) | $('{0:0.0}' -f $wave.TotalSeconds) |
| one staging per module | $($oneResult.PublishOperations) | $('{0:0.0}' -f $one.TotalSeconds) |

Modules: $modules, waves: $waves, modules/waves: $('{0:0.00}' -f $ratio), speed-up: $('{0:0.00}' -f $speedup) ($('{0:0}' -f (100 * $speedup / $ratio))% of modules/waves; the target is 80%).
Publish latency $PublishLatencyMilliseconds ms, pace $PaceMilliseconds ms, poll interval $PollIntervalSec s.

One deployment (pace $DeploymentPaceMilliseconds ms, default polling): status $($deployment.DeploymentStatus), $('{0:0.0}' -f $deploy.TotalSeconds) s, $($deployment.PollCount) status polls, $total requests in all:
$(($byRoute | ForEach-Object { "- $($_.Name): $($_.Value)" }) -join "`n")
"@
if ($speedup -lt 0.8 * $ratio) { Write-Error "Waves are only $('{0:0.00}' -f $speedup)x faster; the target is $('{0:0.00}' -f (0.8 * $ratio))x." }
