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
        $script:result = Invoke-OsRollback -Plan $plan -Connection $lt -CatalogPath $catalog -Confirm:$false -WarningAction SilentlyContinue
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
}
