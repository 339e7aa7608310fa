# The sandbox needs only what pwsh has: no ASP.NET Core, no SDK, no second copy of SQLite.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:modulePath = Get-OsRollbackModulePath
    $script:sandboxFolder = Join-Path $modulePath 'sandbox'

    function Get-AssemblyReferences([string] $Path) {
        $stream = [System.IO.File]::OpenRead($Path)
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            foreach ($handle in $metadata.AssemblyReferences) { $metadata.GetString($metadata.GetAssemblyReference($handle).Name) }
        }
        finally { $stream.Dispose() }
    }
}

Describe 'The sandbox on pwsh''s own runtime' -Tag 'Sandbox', 'SandboxRuntime' {
    It 'ships only its own assembly: no runtimeconfig, no ASP.NET Core, no SQLite copy' {
        @(Get-ChildItem $sandboxFolder -Recurse -File).Name | Should -Be @('OsRollback.Sandbox.dll')
        $references = @(Get-AssemblyReferences (Join-Path $sandboxFolder 'OsRollback.Sandbox.dll'))
        $references | Should -Contain 'Microsoft.Data.Sqlite'
        @($references | Where-Object { $_ -like 'Microsoft.AspNetCore*' -or $_ -like 'Microsoft.Extensions.Hosting*' }) | Should -BeNullOrEmpty
        # One SQLite native per runtime identifier, all in dependencies/.
        $natives = @(Get-ChildItem $modulePath -Recurse -File -Filter '*e_sqlite3*' | Where-Object Name -NotLike 'SQLitePCLRaw*')
        $natives.Count | Should -BeGreaterThan 0
        $natives | ForEach-Object { $_.FullName | Should -BeLike (Join-Path $modulePath 'dependencies/runtimes/*') }
        @($natives | Group-Object { $_.Directory.Parent.Name } | Where-Object Count -GT 1) | Should -BeNullOrEmpty
    }

    It 'starts and answers from a pwsh on a .NET root that has no ASP.NET Core, with no dotnet on PATH' -Skip:(-not $IsLinux) {
        # A runtime-only .NET root: the muxer, hostfxr and Microsoft.NETCore.App, nothing else.
        $realRoot = Split-Path ([System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName)
        $pwshDll = [System.Reflection.Assembly]::GetEntryAssembly().Location
        if ([System.IO.Path]::GetFileName($pwshDll) -ne 'pwsh.dll' -or -not (Test-Path (Join-Path $realRoot 'shared/Microsoft.NETCore.App'))) {
            Set-ItResult -Skipped -Because 'this pwsh does not run from a dotnet root with pwsh.dll, so a runtime-only root cannot be assembled'
            return
        }
        $root = New-TestDirectory
        try {
            Copy-Item (Join-Path $realRoot 'dotnet') $root
            New-Item -ItemType SymbolicLink -Path (Join-Path $root 'host') -Target (Join-Path $realRoot 'host') | Out-Null
            New-Item -ItemType Directory -Path (Join-Path $root 'shared') | Out-Null
            New-Item -ItemType SymbolicLink -Path (Join-Path $root 'shared/Microsoft.NETCore.App') -Target (Join-Path $realRoot 'shared/Microsoft.NETCore.App') | Out-Null
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$modulePath'
`$s = Start-OsSandbox -PaceMilliseconds 0
try {
    `$h = @{ Authorization = 'Bearer ' + (ConvertFrom-SecureString -AsPlainText `$s.Token) }
    'environments=' + ((Invoke-RestMethod "`$(`$s.Url)/lifetimeapi/rest/v2/environments/" -Headers `$h).Name -join ',')
    `$maps = Get-Content "/proc/`$(`$s.ProcessId)/maps" -Raw
    'aspnetcore=' + (`$maps -match 'Microsoft\.AspNetCore')
    'netcoreapp=' + (`$maps -match [regex]::Escape('$root'))
    'sqlite=' + ((`$maps -split "``n" | Where-Object { `$_ -match 'e_sqlite3' } | ForEach-Object { (`$_ -split '\s+')[-1] } | Select-Object -Unique) -join ',')
}
finally { `$s | Stop-OsSandbox }
"@
            $file = Join-Path $root 'run.ps1'
            Set-Content -Path $file -Value $script
            $oldPath, $oldRoot = $env:PATH, $env:DOTNET_ROOT
            try {
                $env:PATH = ($env:PATH -split [System.IO.Path]::PathSeparator | Where-Object { -not (Test-Path (Join-Path $_ 'dotnet')) }) -join [System.IO.Path]::PathSeparator
                $env:DOTNET_ROOT = $root
                $output = & (Join-Path $root 'dotnet') $pwshDll -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" }
            }
            finally { $env:PATH, $env:DOTNET_ROOT = $oldPath, $oldRoot }
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            $output | Should -Contain 'environments=Development,Quality,Production'
            $output | Should -Contain 'aspnetcore=False'
            $output | Should -Contain 'netcoreapp=True'
            ($output | Where-Object { $_ -like 'sqlite=*' }) | Should -BeLike "sqlite=$modulePath/dependencies/*"
        }
        finally { Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
