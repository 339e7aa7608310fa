# The decision document: Export-OsRollbackPlan -Format Html/Markdown of a sandbox plan made with
# New-OsRollbackPlan -AssessAllStrategies, its surface (-Format, extension, -WhatIf, -Force), and the
# page looked at in headless Chromium (Debian's chromium; .ci/run installs it) at 1024 px.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $ProgressPreference = 'SilentlyContinue'
    $script:dir = New-TestDirectory
    $script:hostile = 'INC-9 <script>alert(1)</script> & "checkout"'

    $script:sandbox = Start-OsSandbox -DataDirectory (Join-Path $dir 'sandbox') -PaceMilliseconds 0 -Confirm:$false
    $lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
    $catalog = Join-Path $dir 'catalog'
    $rp = New-SandboxBadDeploy $sandbox $lt $catalog
    $script:plan = New-OsRollbackPlan -RollbackPoint $rp -Reason $hostile -AssessAllStrategies -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
    $script:plainToken = [System.Net.NetworkCredential]::new('', $sandbox.Token).Password
}

AfterAll {
    if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false }
    Clear-OsDefaultConnection
    Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-OsRollbackPlan decision document' -Tag 'Decision' {
    It 'New-OsRollbackPlan -AssessAllStrategies assesses every strategy' {
        $plan.Strategy | Should -Be 'LifeTime'
        $plan.Assessments.Count | Should -Be 4
        @($plan.Assessments | Where-Object { $_.Verdict() -eq 'not assessed' }).Count | Should -Be 0
        ($plan.Assessments | Where-Object Strategy -eq 'Database').Reason | Should -Match 'AllowDataLoss'
    }

    It 'writes HTML for .html and .htm, self-contained, escaped, with the digest and no secret' {
        $file = $plan | Export-OsRollbackPlan -Path (Join-Path $dir 'decision.html')
        $file.Name | Should -Be 'decision.html'
        $html = Get-Content -Raw $file.FullName
        $html | Should -Match '^<!DOCTYPE html>'
        $html | Should -Not -Match '<script'
        $html | Should -Match ([regex]::Escape('INC-9 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;checkout&quot;'))
        $html | Should -Not -Match '<link|\bsrc=|\bhref=|https?://|@import'
        $html | Should -Match "sha256:$($plan.PlanDigest)"
        $html | Should -Not -Match ([regex]::Escape($plainToken))
        $html | Should -Not -Match ([regex]::Escape($sandbox.Url.ToString()))
        Get-Content -Raw ($plan | Export-OsRollbackPlan -Path (Join-Path $dir 'decision.htm')).FullName | Should -Match '^<!DOCTYPE html>'
    }

    It 'writes the same decision in Markdown, and HTML under any name with -Format Html' {
        $md = Get-Content -Raw ($plan | Export-OsRollbackPlan -Path (Join-Path $dir 'plan.md')).FullName
        foreach ($section in '## Strategies considered', '## What users will see', '## Data-loss window', '## What is left behind', '## Decision and sign-off') { $md | Should -Match ([regex]::Escape($section)) }
        $md | Should -Match "sha256:$($plan.PlanDigest)"
        $md | Should -Not -Match ([regex]::Escape($plainToken))
        Get-Content -Raw ($plan | Export-OsRollbackPlan -Path (Join-Path $dir 'decision.txt') -Format Html).FullName | Should -Match '^<!DOCTYPE html>'
    }

    It 'writes nothing with -WhatIf and refuses an existing file without -Force' {
        $target = Join-Path $dir 'whatif.html'
        $plan | Export-OsRollbackPlan -Path $target -WhatIf
        Test-Path $target | Should -BeFalse
        Set-Content $target 'kept'
        $record = Get-ErrorRecord { $plan | Export-OsRollbackPlan -Path $target }
        $record.FullyQualifiedErrorId | Should -BeLike 'RollbackPlanFileExists,*'
        $record.CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content -Raw $target | Should -Match '^kept'
        $null = $plan | Export-OsRollbackPlan -Path $target -Force
        Get-Content -Raw $target | Should -Match '^<!DOCTYPE html>'
    }

    It 'has help for -Format Html and -AssessAllStrategies' {
        (Get-Help Export-OsRollbackPlan -Parameter Format).Description.Text | Should -Match 'Html'
        (Get-Help New-OsRollbackPlan -Parameter AssessAllStrategies).Description.Text | Should -Match 'decision document'
    }
}

Describe 'The decision page in Chromium' -Tag 'Decision' {
    BeforeAll {
        $script:chromium = (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
        $script:page = ($plan | Export-OsRollbackPlan -Path (Join-Path $dir 'chromium.html')).FullName
    }

    It 'shows every section and strategy, and nothing is wider than a 1024 px window' -Skip:(-not (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue)) {
        # A copy with a measuring script at the end (the page itself has none): it lists the
        # elements whose right edge passes the window, and the page's width, as body attributes.
        $measured = Join-Path $dir 'measured.html'
        $probe = '<script>var w=document.documentElement.clientWidth;var wide=[].slice.call(document.querySelectorAll("body *")).filter(function(e){return e.getBoundingClientRect().right>w+1}).map(function(e){return e.tagName+(e.id?"#"+e.id:"")});document.body.setAttribute("data-wide",wide.join(" ")||"none");document.body.setAttribute("data-width",document.documentElement.scrollWidth+"/"+w);</script>'
        Set-Content $measured ((Get-Content -Raw $page) -replace '</body>', "$probe</body>") -NoNewline
        $dom = Invoke-HeadlessChromium $chromium @('--window-size=1024,800', '--dump-dom', $measured)
        $dom | Should -Match 'data-width="1024/1024"'
        $dom | Should -Match 'data-wide="none"'

        $text = ConvertTo-VisibleText $dom
        foreach ($expected in 'Rollback decision: Production', 'The four ways back', 'Data-loss window', 'What is left behind', 'Decision and sign-off', 'Steps (for the DBA)',
            "Users' outage", 'What users will see', 'default durations', 'Business owner (customer)', "sha256:$($plan.PlanDigest)", $hostile) {
            $text | Should -Match ([regex]::Escape($expected))
        }
        foreach ($strategy in 'LifeTime', 'Solution', 'Module', 'Database') { $dom | Should -Match "id=`"strategy-$($strategy.ToLowerInvariant())`"" }

        $png = Join-Path $dir 'decision.png'
        $null = Invoke-HeadlessChromium $chromium @("--screenshot=$png", '--window-size=1024,1400', $page)
        Test-Path $png | Should -BeTrue
        (Get-Item $png).Length | Should -BeGreaterThan 20000
        Copy-Item $png (Join-Path (Get-RepoRoot) 'out/test-results/decision.png') -ErrorAction SilentlyContinue
    }
}
