# Script runbooks shipped with the module: short functions that chain the cmdlets, with
# hooks as parameters. Each lives in its own file under runbooks/.
Set-StrictMode -Version 3.0
foreach ($runbook in Get-ChildItem -Path (Join-Path $PSScriptRoot 'runbooks') -Filter '*.ps1' -ErrorAction SilentlyContinue) {
    . $runbook.FullName
}
