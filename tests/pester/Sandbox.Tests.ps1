# Start-OsSandbox / Stop-OsSandbox: the process form of the sandbox.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $plainToken = 'pester-token-' + [guid]::NewGuid().ToString('N')
    $plainPassword = 'pester-password-' + [guid]::NewGuid().ToString('N')
    $dataDirectory = New-TestDirectory
    $credential = [pscredential]::new('scadmin', (ConvertTo-SecureString $plainPassword -AsPlainText -Force))
    $verbose = $( $script:sandbox = Start-OsSandbox -DataDirectory $dataDirectory -PaceMilliseconds 0 `
            -Token (ConvertTo-SecureString $plainToken -AsPlainText -Force) -ServiceCenterCredential $credential -Verbose ) 4>&1
    $script:verboseText = ($verbose | Out-String)
}

AfterAll {
    if ($script:sandbox -and (Get-Process -Id $script:sandbox.ProcessId -ErrorAction SilentlyContinue)) { $script:sandbox | Stop-OsSandbox }
    if ($dataDirectory) { Remove-Item -Recurse -Force $dataDirectory -ErrorAction SilentlyContinue }
}

Describe 'Start-OsSandbox' {
    It 'returns the documented properties' {
        $sandbox.PSObject.TypeNames[0] | Should -Be 'OsRollback.Cmdlets.Sandbox.OsSandbox'
        $sandbox.Url | Should -Match '^http://127\.0\.0\.1:\d+$'
        $sandbox.Token | Should -BeOfType [securestring]
        $sandbox.ServiceCenterCredential | Should -BeOfType [pscredential]
        $sandbox.ServiceCenterCredential.UserName | Should -Be 'scadmin'
        $sandbox.PlatformDatabase | Should -Be (Join-Path $dataDirectory 'production.db')
        $sandbox.PlatformDatabase | Should -Exist
        @($sandbox.PlatformDatabases.Keys) | Should -Be @('Development', 'Quality', 'Production')
        $sandbox.DataDirectory | Should -Be $dataDirectory
        $sandbox.ProcessId | Should -BeGreaterThan 0
        Get-Process -Id $sandbox.ProcessId | Should -Not -BeNullOrEmpty
    }

    It 'answers on its URL, with the token and without it' {
        $headers = @{ Authorization = "Bearer $plainToken" }
        $environments = Invoke-RestMethod "$($sandbox.Url)/lifetimeapi/rest/v2/environments/" -Headers $headers
        $environments.Name | Should -Be @('Development', 'Quality', 'Production')
        $response = Invoke-WebRequest "$($sandbox.Url)/lifetimeapi/rest/v2/environments/" -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 401
        (Invoke-WebRequest "$($sandbox.Url)/production/orders/").Content | Should -Match '<title>Orders 1\.1\.0</title>'
    }

    It 'serves a platform database that Get-OsModuleOrder reads' {
        $order = Get-OsModuleOrder -SqlitePath $sandbox.PlatformDatabase -WarningAction SilentlyContinue
        $order.Count | Should -BeGreaterOrEqual 40
        ($order | Where-Object Name -EQ 'Customers_BL').CycleGroup | Should -Not -BeNullOrEmpty
    }

    It 'never prints the token or the password' {
        $formatted = ($sandbox | Format-List * | Out-String) + ($sandbox | Format-Table | Out-String) + ($sandbox | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue)
        $formatted | Should -Not -Match $plainToken
        $formatted | Should -Not -Match $plainPassword
        $verboseText | Should -Not -Match $plainToken
        $verboseText | Should -Not -Match $plainPassword
        "$sandbox" | Should -Be $sandbox.Url
    }

    It 'does not put the secrets on the command line of the process' -Skip:(-not (Test-Path "/proc/$PID/cmdline")) {
        $commandLine = Get-Content -Raw "/proc/$($sandbox.ProcessId)/cmdline"
        $commandLine | Should -Match 'OsRollback\.Sandbox\.dll'
        $commandLine | Should -Not -Match $plainToken
        $commandLine | Should -Not -Match $plainPassword
    }

    It 'fails with a clear error when the port is taken' {
        $port = ([uri]$sandbox.Url).Port
        $folder = New-TestDirectory
        $record = Get-ErrorRecord { Start-OsSandbox -DataDirectory $folder -Port $port -TimeoutSeconds 60 }
        Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
        $record.FullyQualifiedErrorId | Should -BeLike 'SandboxStartFailed*'
        $record.Exception.Message | Should -Match 'exited'
    }

    It 'supports -WhatIf and starts nothing' {
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('osrollback-whatif-' + [guid]::NewGuid().ToString('N'))
        $result = Start-OsSandbox -DataDirectory $folder -WhatIf
        $result | Should -BeNullOrEmpty
        $folder | Should -Not -Exist
    }
}

Describe 'Stop-OsSandbox' {
    It 'refuses a process that is not a sandbox' {
        $record = Get-ErrorRecord { Stop-OsSandbox -ProcessId $PID }
        $record.FullyQualifiedErrorId | Should -BeLike 'NotASandboxProcess*'
        Get-Process -Id $PID | Should -Not -BeNullOrEmpty
    }

    It 'stops the piped sandbox: the process ends' {
        $process = Get-Process -Id $sandbox.ProcessId
        $sandbox | Stop-OsSandbox
        $process.WaitForExit(10000) | Should -BeTrue
        Get-Process -Id $sandbox.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'warns when the sandbox is no longer running' {
        $warnings = $( Stop-OsSandbox -ProcessId $sandbox.ProcessId ) 3>&1
        "$warnings" | Should -Match 'not running'
    }

    It 'stops a sandbox by process id, and a restart on the same folder keeps its databases' {
        $second = Start-OsSandbox -DataDirectory $dataDirectory -PaceMilliseconds 0
        try {
            $second.PlatformDatabase | Should -Be (Join-Path $dataDirectory 'production.db')
        }
        finally {
            Stop-OsSandbox -ProcessId $second.ProcessId
        }
        Get-Process -Id $second.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
