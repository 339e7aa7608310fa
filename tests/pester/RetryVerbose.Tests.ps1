# An unreachable LifeTime is not a silent wait: -Verbose says each retry, its reason and its delay.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
}

Describe 'Retries of reads under -Verbose' {
    It 'Connect-OsLifeTime to a closed port says each retry before it fails' {
        $token = ConvertTo-SecureString 'not-a-real-token' -AsPlainText -Force
        $records = try { Connect-OsLifeTime -Uri http://127.0.0.1:9 -Token $token -MaximumRetryCount 2 -TimeoutSec 2 -Verbose -ErrorAction Stop 4>&1 } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'PlatformUnreachable,*'
        $retries = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'retry \d of 2' })
        $retries | Should -HaveCount 2
        $retries[0].Message | Should -Match 'GET /lifetimeapi/rest/v2/environments/ failed: .+; retry 1 of 2 in \d+\.\d s\.'
        $retries[1].Message | Should -Match 'retry 2 of 2 in \d+\.\d s\.'
        ($retries.Message -join ' ') | Should -Not -Match 'not-a-real-token'
    }
}
