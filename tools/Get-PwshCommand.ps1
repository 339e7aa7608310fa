<#
.SYNOPSIS
    Returns the command line (executable and leading arguments) that starts the same pwsh as
    the current process: 'pwsh' itself, or 'dotnet <path>/pwsh.dll' when run as 'dotnet pwsh'.
#>
$processPath = [Environment]::ProcessPath
if ([System.IO.Path]::GetFileNameWithoutExtension($processPath) -eq 'dotnet') {
    @($processPath, [System.Reflection.Assembly]::GetEntryAssembly().Location)
} else {
    @($processPath)
}
