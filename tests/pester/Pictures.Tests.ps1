# Pictures: Export-OsModuleGraph -Format Svg/Mermaid and Invoke-OsRollback's report.html, looked at
# in headless Chromium (Debian's chromium; .ci/run installs it): a screenshot of each, its size and
# the visible text.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $ProgressPreference = 'SilentlyContinue'
    $script:dir = New-TestDirectory
    $script:chromium = (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source

    function Invoke-Chromium([string[]] $Arguments) {
        $userData = Join-Path ([System.IO.Path]::GetTempPath()) ("osrollback-chromium-" + [guid]::NewGuid().ToString("N"))
        & $chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run "--user-data-dir=$userData" @Arguments 2>&1 | ForEach-Object { "$_" }
    }
    # Width and height from the PNG header (IHDR), big-endian.
    function Get-PngSize([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        [pscustomobject]@{
            Width  = ([int]$bytes[16] -shl 24) -bor ([int]$bytes[17] -shl 16) -bor ([int]$bytes[18] -shl 8) -bor $bytes[19]
            Height = ([int]$bytes[20] -shl 24) -bor ([int]$bytes[21] -shl 16) -bor ([int]$bytes[22] -shl 8) -bor $bytes[23]
            Bytes  = $bytes.Length
        }
    }
    function Save-Screenshot([string] $File, [string] $Png, [string] $Size = '1200,900') {
        $log = Invoke-Chromium @("--screenshot=$Png", "--window-size=$Size", $File)
        if (-not (Test-Path $Png)) { throw "Chromium wrote no screenshot of $File`: $($log -join "`n")" }
        Get-PngSize $Png
    }
    function Get-VisibleText([string] $File) {
        $dom = (Invoke-Chromium @('--dump-dom', $File)) -join "`n"
        [System.Net.WebUtility]::HtmlDecode(($dom -replace '<style[\s\S]*?</style>', '' -replace '<title>[^<]*</title>', '' -replace '<[^>]+>', ' ' -replace '\s+', ' '))
    }

    # Lays $File out in Chromium at a screen size and measures it: a copy of the page with a script
    # that writes the viewport, the page's scroll width and every SVG text's rendered size (font size
    # times the SVG's scale, and its box) into the DOM, read back with --dump-dom.
    function Measure-Page([string] $File, [string] $Size = '1280,800') {
        $content = Get-Content -Raw $File
        if ($content -notmatch '<html') { $content = "<!DOCTYPE html><html><body style=`"margin:0`">$content</body></html>" }
        $script = @'
<pre id="osr-metrics"></pre><script>
const px = t => { const svg = t.ownerSVGElement, box = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
  return parseFloat(getComputedStyle(t).fontSize) * (vb && vb.width ? box.width / vb.width : 1); };
const texts = [...document.querySelectorAll('svg text')].map(t => { const r = t.getBoundingClientRect();
  return { text: t.textContent, px: px(t), left: r.left, right: r.right, top: r.top, height: r.height }; });
const outage = document.querySelector('.outage'); const o = outage ? outage.getBoundingClientRect() : null;
document.getElementById('osr-metrics').textContent = JSON.stringify({ viewport: innerWidth, scrollWidth: document.documentElement.scrollWidth,
  svgs: [...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().width), texts: texts,
  outage: o ? { top: o.top, bottom: o.bottom, px: parseFloat(getComputedStyle(outage).fontSize) } : null });
</script>
'@
        $measured = Join-Path $dir ("measured-" + [guid]::NewGuid().ToString('N') + '.html')
        Set-Content -Path $measured -Value ($content -replace '</body>', "$script</body>")
        $dom = (Invoke-Chromium @("--window-size=$Size", '--dump-dom', $measured)) -join "`n"
        if ($dom -notmatch '<pre id="osr-metrics">([^<]+)</pre>') { throw "Chromium wrote no metrics for $File" }
        [System.Net.WebUtility]::HtmlDecode($Matches[1]) | ConvertFrom-Json
    }

    # A graph with a reference cycle (Billing <-> Invoicing) on top of three waves.
    $script:graph = @(
        [pscustomobject]@{ Name = 'Common_Lib'; DependsOn = @(); Kind = 'Extension' }
        [pscustomobject]@{ Name = 'Customers_CS'; DependsOn = @('Common_Lib') }
        [pscustomobject]@{ Name = 'Billing_CS'; DependsOn = @('Customers_CS', 'Invoicing_CS') }
        [pscustomobject]@{ Name = 'Invoicing_CS'; DependsOn = @('Billing_CS') }
        [pscustomobject]@{ Name = 'Orders<UI>'; DependsOn = @('Billing_CS', 'Customers_CS') }
    )
}

AfterAll {
    Clear-OsDefaultConnection
    Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-OsModuleGraph pictures' -Tag 'Pictures' {
    It 'writes a Mermaid flowchart with one subgraph per wave and the cycle marked' {
        $file = $graph | Export-OsModuleGraph -OutFile (Join-Path $dir 'graph.mmd') -WarningAction SilentlyContinue
        $text = Get-Content -Raw $file.FullName
        $text | Should -Match '^flowchart LR'
        $text | Should -Match 'subgraph wave1\["Wave 1"\]'
        $text | Should -Match 'subgraph wave4\["Wave 4"\]'
        $text | Should -Match 'Orders#lt;UI#gt;'
        $text | Should -Match 'classDef cycle'
        ([regex]::Matches($text, '-->')).Count | Should -Be 6
    }

    It 'draws the SVG by waves, cycles in red, and it renders in Chromium' -Skip:(-not (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue)) {
        $file = $graph | Export-OsModuleGraph -OutFile (Join-Path $dir 'graph.svg') -WarningAction SilentlyContinue
        [xml]$svg = Get-Content -Raw $file.FullName   # well-formed XML, names escaped
        [int]$svg.svg.width | Should -BeGreaterThan 400
        (Get-Content -Raw $file.FullName) | Should -Not -Match 'href=|<script|<image'
        $png = Save-Screenshot $file.FullName (Join-Path $dir 'graph.png') '1200,500'
        $png.Width | Should -Be 1200
        $png.Height | Should -Be 500
        $png.Bytes | Should -BeGreaterThan 8000
        $text = Get-VisibleText $file.FullName
        foreach ($expected in 'Wave 1', 'Wave 4', 'Common_Lib', 'Orders<UI>', 'cycle 1', '5 modules in 4 waves') { $text | Should -Match ([regex]::Escape($expected)) }
        Copy-Item (Join-Path $dir 'graph.png') (Join-Path (Get-RepoRoot) 'out/test-results/module-graph.png') -ErrorAction SilentlyContinue
    }

    It 'wraps a graph of many waves into bands that a 1280x800 screen shows without scrolling sideways, text legible' -Skip:(-not (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue)) {
        # A chain of 14 modules (14 waves) plus a wide wave of 8 consumers of the first one.
        $wide = @(1..14 | ForEach-Object { [pscustomobject]@{ Name = ('Module_{0:00}_With_A_Long_Name' -f $_); DependsOn = @(if ($_ -gt 1) { 'Module_{0:00}_With_A_Long_Name' -f ($_ - 1) }); Application = 'Chain' } }) +
            @(1..8 | ForEach-Object { [pscustomobject]@{ Name = "Consumer_$_"; DependsOn = @('Module_01_With_A_Long_Name'); Application = 'Wide' } })
        $file = $wide | Export-OsModuleGraph -OutFile (Join-Path $dir 'wide.svg')
        $png = Save-Screenshot $file.FullName (Join-Path $dir 'wide.png') '1280,800'
        $png.Width | Should -Be 1280
        $png.Bytes | Should -BeGreaterThan 8000
        $m = Measure-Page $file.FullName
        $m.viewport | Should -Be 1280
        $m.scrollWidth | Should -BeLessOrEqual 1280
        $m.svgs[0] | Should -BeLessOrEqual 1280
        $names = @($m.texts | Where-Object { $_.text -match '^(Module_|Consumer_|Wave )' })
        $names.Count | Should -Be (22 + 14)
        foreach ($t in $names) {
            $t.px | Should -BeGreaterOrEqual 12 -Because "'$($t.text)' must be legible"
            $t.right | Should -BeLessOrEqual 1280 -Because "'$($t.text)' must be on screen"
        }
        # Waves 6 and 11 start new bands under wave 1.
        $wave1 = $m.texts | Where-Object text -EQ 'Wave 1'
        $wave6 = $m.texts | Where-Object text -EQ 'Wave 6'
        $wave6.left | Should -Be $wave1.left
        $wave6.top | Should -BeGreaterThan ($wave1.top + 100)
        Copy-Item (Join-Path $dir 'wide.png') (Join-Path (Get-RepoRoot) 'out/test-results/module-graph-wide.png') -ErrorAction SilentlyContinue
    }

    It 'takes -Format from the extension and refuses to overwrite without -Force' {
        $null = $graph | Export-OsModuleGraph -OutFile (Join-Path $dir 'again.svg') -WarningAction SilentlyContinue
        (Get-Content -Raw (Join-Path $dir 'again.svg')) | Should -Match '^<svg '
        $record = Get-ErrorRecord { $graph | Export-OsModuleGraph -OutFile (Join-Path $dir 'again.svg') -WarningAction SilentlyContinue }
        $record.FullyQualifiedErrorId | Should -Match 'ModuleGraphFileExists'
    }
}

Describe 'Invoke-OsRollback report.html' -Tag 'Pictures' {
    BeforeAll {
        $script:sandbox = Start-OsSandbox -DataDirectory (Join-Path $dir 'sandbox') -PaceMilliseconds 0 -Confirm:$false
        $lt = Connect-OsLifeTime -Uri $sandbox.Url -Token $sandbox.Token
        $catalog = Join-Path $dir 'catalog'
        $previous = Get-OsApplicationVersion -Application Orders -Version 1.1.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $previous -SourceEnvironment Production -TargetEnvironment Quality -Connection $lt -Confirm:$false
        $rp = New-OsRollbackPoint -Environment Production -Application Orders -SqlitePath $sandbox.PlatformDatabase -Connection $lt -CatalogPath $catalog -Confirm:$false
        $bad = Get-OsApplicationVersion -Application Orders -Version 1.2.0 -Connection $lt
        $null = Publish-OsApplicationVersion -ApplicationVersion $bad -SourceEnvironment Development -TargetEnvironment Production -Connection $lt -Confirm:$false
        $plan = New-OsRollbackPlan -RollbackPoint $rp -Reason 'INC-7 <script>alert(1)</script> & checkout' -Connection $lt -CatalogPath $catalog -WarningAction SilentlyContinue
        # -ReportPath: the report files, module-graph.svg included, are copied where a pipeline uploads them.
        $script:result = Invoke-OsRollback -Plan $plan -SqlitePath $sandbox.PlatformDatabase -Connection $lt -CatalogPath $catalog -ReportPath (Join-Path $dir 'rollback-report') -Confirm:$false -WarningAction SilentlyContinue
        $script:html = Join-Path (Split-Path $result.MarkdownReportPath) 'report.html'
        $script:plainToken = [System.Net.NetworkCredential]::new('', $sandbox.Token).Password
    }
    AfterAll { if ($sandbox) { $sandbox | Stop-OsSandbox -Confirm:$false } }

    It 'is written next to report.md, self-contained, escaped and without secrets' {
        $result.Status | Should -Be 'Succeeded'
        Test-Path $html | Should -BeTrue
        $content = Get-Content -Raw $html
        $content | Should -Not -Match '<script'
        $content | Should -Match '&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; checkout'
        $content | Should -Not -Match '<link|\bsrc=|\bhref='
        ($content -replace 'xmlns="http://www.w3.org/2000/svg"', '') | Should -Not -Match 'https?://'
        $content | Should -Not -Match ([regex]::Escape($plainToken))
        $content | Should -Match '<svg'
    }

    It 'renders in Chromium with the plan, the timeline, what was verified and data recovery' -Skip:(-not (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue)) {
        $png = Save-Screenshot $html (Join-Path $dir 'report.png') '1100,1400'
        $png.Width | Should -Be 1100
        $png.Height | Should -Be 1400
        $png.Bytes | Should -BeGreaterThan 20000
        $text = Get-VisibleText $html
        foreach ($expected in 'Rollback of Production', 'succeeded', 'LifeTime', 'Orders', 'Steps', 'Verified', 'Drift and warnings', 'Data recovery', '<script>alert(1)</script>') {
            $text | Should -Match ([regex]::Escape($expected))
        }
        foreach ($step in $result.Steps) { $text | Should -Match ([regex]::Escape($step.Title)) }
        Copy-Item (Join-Path $dir 'report.png') (Join-Path (Get-RepoRoot) 'out/test-results/report.png') -ErrorAction SilentlyContinue
    }

    It 'leads with what users saw, then the tables and columns the bad version left behind with their rows' {
        $report = Get-Content -Raw $result.ReportPath | ConvertFrom-Json
        $report.usersOutage.kind | Should -Be 'Republish'
        $report.usersOutage.summary | Should -Match '^No planned outage: users kept working while Production was redeployed by LifeTime from \d\d:\d\d to \d\d:\d\d \(UTC\)'
        $left = @($report.aftermath.leftBehind)
        ($left | Where-Object { $_.table -eq 'OSUSR_ORD_DISCOUNT_RULE' -and -not $_.column }) | Should -Not -BeNullOrEmpty
        ($left | Where-Object { $_.table -eq 'OSUSR_ORD_ORDER' -and $_.column -eq 'DISCOUNT_CODE' }).rows | Should -Not -BeNullOrEmpty
        $text = Get-VisibleText $html
        $outage = $text.IndexOf('No planned outage')
        $leftBehind = $text.IndexOf('Tables and columns left behind')
        $outage | Should -BeGreaterThan 0
        $outage | Should -BeLessThan $leftBehind
        $leftBehind | Should -BeLessThan $text.IndexOf('Strategy')
        $text | Should -Match 'OSUSR_ORD_DISCOUNT_RULE \(whole table\)'
        # The rollback point's folder is shown by name, with the temporary path only in the title attribute.
        $content = Get-Content -Raw $html
        $content | Should -Match ('<td title="' + [regex]::Escape([System.Net.WebUtility]::HtmlEncode($result.Steps[0].Target)) + '">[^<>/]+</td>')
    }

    It 'writes the module graph beside the report, titled with the environment, the changed and republished modules marked' {
        $result.ModuleGraphPath | Should -Be (Join-Path $dir 'rollback-report/module-graph.svg')
        $html | Should -Be (Join-Path $dir 'rollback-report/report.html')
        [xml]$svg = Get-Content -Raw $result.ModuleGraphPath
        $svg.svg.'aria-label' | Should -Match '^Modules of Production: LifeTime rollback of \d{4}-\d\d-\d\d \d\d:\d\d UTC$'
        $orders = @(Get-OsModuleOrder -SqlitePath $sandbox.PlatformDatabase -Application Orders -WarningAction SilentlyContinue).Name
        $marked = @($svg.svg.g | Where-Object { $_.title -match 'changed by the deploy, republished by the rollback' } | ForEach-Object { ($_.title -split ' \(')[0] })
        @($marked | Sort-Object) | Should -Be @($orders | Sort-Object)
        $legend = @($svg.svg.text | ForEach-Object { $_.'#text' })
        $legend | Should -Contain "changed by the deploy ($($orders.Count))"
        $legend | Should -Contain "republished by the rollback ($($orders.Count))"
        (Get-Content -Raw $result.ModuleGraphPath) | Should -Not -Match ([regex]::Escape($dir))
    }

    It 'at 1280x800 in Chromium the outage is the first thing seen, large, and nothing runs off the side' -Skip:(-not (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue)) {
        $png = Save-Screenshot $html (Join-Path $dir 'report-1280.png') '1280,800'
        $png.Width | Should -Be 1280
        $png.Height | Should -Be 800
        $m = Measure-Page $html
        $m.outage.px | Should -BeGreaterOrEqual 18
        $m.outage.bottom | Should -BeLessThan 200 -Because 'the users'' outage leads the page, above the fold'
        $m.scrollWidth | Should -BeLessOrEqual 1280
        foreach ($width in $m.svgs) { $width | Should -BeLessOrEqual 1280 }
        $graphNames = @($m.texts | Where-Object { $_.text -match '^Orders_' })
        $graphNames.Count | Should -BeGreaterThan 0
        foreach ($t in $graphNames) { $t.px | Should -BeGreaterOrEqual 12 -Because "'$($t.text)' in the module graph must be legible" }
        Copy-Item (Join-Path $dir 'report-1280.png') (Join-Path (Get-RepoRoot) 'out/test-results/report-1280.png') -ErrorAction SilentlyContinue
    }
}
