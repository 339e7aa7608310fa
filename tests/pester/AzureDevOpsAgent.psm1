# A small stand-in for an Azure DevOps agent, enough to run the templates in examples/azure-devops:
# template expressions (${{ parameters.x }}), step templates, variables as environment variables
# (secrets only through env:), PowerShell@2 inline scripts in a fresh pwsh with TF_BUILD set,
# publish/download of pipeline artifacts, output variables and stageDependencies.

function ConvertFrom-YamlNode($Node) {
    switch ($Node.GetType().Name) {
        'YamlMappingNode' {
            $map = [ordered]@{}
            foreach ($entry in $Node.Children) { $map[$entry.Key.Value] = ConvertFrom-YamlNode $entry.Value }
            return $map
        }
        'YamlSequenceNode' { return , @($Node.Children | ForEach-Object { ConvertFrom-YamlNode $_ }) }
        default { return $Node.Value }
    }
}

<#
    Reads a pipeline or template and expands its template expressions (${{ parameters.x }}) as Azure
    DevOps does: on the parsed document, scalar by scalar, so a value is data (a quote, a newline or
    a colon in it never changes the YAML around it). A scalar that is only the expression takes the
    value; an expression inside a longer scalar is replaced by the value's text.
#>
function Read-PipelineYaml([string] $Path, [hashtable] $Parameters = @{}) {
    $raw = ConvertFrom-YamlText (Get-Content -Raw $Path)
    $values = @{}
    foreach ($p in @($raw['parameters'])) { if ($p -and $p.Contains('default')) { $values[$p.name] = $p.default } }
    foreach ($k in $Parameters.Keys) {
        $declared = @($raw['parameters']) | Where-Object { $_ -and $_.name -eq $k }
        if ($declared -and $declared.Contains('values') -and "$($Parameters[$k])" -notin $declared.values) {
            throw "$Path`: '$($Parameters[$k])' is not an allowed value of parameters.$k ($($declared.values -join ', '))."
        }
        $values[$k] = $Parameters[$k]
    }
    $raw.Remove('parameters')
    Expand-TemplateExpression $raw $values $Path
}

function Expand-TemplateExpression($Node, [hashtable] $Values, [string] $Path) {
    if ($Node -is [System.Collections.IDictionary]) {
        $map = [ordered]@{}
        foreach ($k in $Node.Keys) { $map[$k] = Expand-TemplateExpression $Node[$k] $Values $Path }
        return $map
    }
    if ($Node -is [array]) { return , @($Node | ForEach-Object { Expand-TemplateExpression $_ $Values $Path }) }
    if ($Node -isnot [string]) { return $Node }
    $pattern = '\$\{\{\s*parameters\.(\w+)\s*\}\}'
    $valueOf = {
        param([string] $name)
        if (-not $Values.ContainsKey($name)) { throw "$Path uses parameters.$name, which has no value." }
        $v = $Values[$name]
        if ($v -is [bool]) { if ($v) { 'True' } else { 'False' } } else { "$v" }
    }
    if ($Node -match "^\s*$pattern\s*`$") { return & $valueOf $Matches[1] }
    [regex]::Replace($Node, $pattern, { param($m) & $valueOf $m.Groups[1].Value })
}

function ConvertFrom-YamlText([string] $Text) {
    $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
    $stream.Load([System.IO.StringReader]::new($Text))
    ConvertFrom-YamlNode $stream.Documents[0].RootNode
}

# Steps with step templates (- template: x.yml) replaced by their steps.
function Resolve-Steps($Steps, [string] $Directory) {
    foreach ($step in @($Steps)) {
        if ($step.Contains('template')) {
            $file = Join-Path $Directory $step.template
            $inner = Read-PipelineYaml $file ($step.parameters ?? @{})
            Resolve-Steps $inner.steps (Split-Path $file)
        }
        else { $step }
    }
}

function Expand-Macros([string] $Text, [hashtable] $Variables) {
    [regex]::Replace($Text, '\$\(([A-Za-z0-9_.]+)\)', { param($m) if ($Variables.ContainsKey($m.Groups[1].Value)) { $Variables[$m.Groups[1].Value] } else { $m.Value } })
}

function Resolve-RuntimeVariables($Declared, [hashtable] $Variables, [hashtable] $Outputs) {
    $result = @{} + $Variables
    $pairs = if ($Declared -is [System.Collections.IDictionary]) { $Declared.GetEnumerator() | ForEach-Object { @{ name = $_.Key; value = $_.Value } } }
             else { @($Declared) | Where-Object { $_ -and $_.Contains('name') } }
    foreach ($pair in $pairs) {
        $value = [regex]::Replace("$($pair.value)", "^\`$\[\s*stageDependencies\.(\w+)\.(\w+)\.outputs\['(\w+)\.(\w+)'\]\s*\]$", {
                param($m) $Outputs["$($m.Groups[1].Value).$($m.Groups[2].Value).$($m.Groups[3].Value).$($m.Groups[4].Value)"]
            })
        $result[$pair.name] = $value
    }
    $result
}

<#
    Runs one job's steps in order. Returns one record per step: Name, Kind, ExitCode, Output (lines).
    $Agent holds Variables (name -> value), Secrets (names), Artifacts (folder), Workspace (folder),
    PwshCommand, ModuleRoot (prepended to PSModulePath), Home (the agent user's profile folder), Outputs (filled), and StepFilter (a script
    block that may rewrite a step's script; returns $null to keep it).
#>
function Invoke-AgentJob($Steps, [string] $Stage, [string] $Job, [hashtable] $Variables, [hashtable] $Agent) {
    $staging = Join-Path $Agent.Workspace "a-$Stage-$Job"
    $null = New-Item -ItemType Directory -Force $staging
    $vars = @{} + $Variables
    $vars['Build.ArtifactStagingDirectory'] = $staging
    $vars['Pipeline.Workspace'] = $Agent.Workspace
    $failed = $false
    foreach ($step in $Steps) {
        if (-not (Test-StepCondition $step $failed)) { continue }
        if ($step.Contains('publish')) {
            $source = Expand-Macros $step.publish $vars
            $target = Join-Path $Agent.Artifacts $step.artifact
            if (-not (Test-Path $source)) {
                # The agent fails the publish step (and the job) when the folder is missing.
                [pscustomobject]@{ Name = $step.artifact; Kind = 'publish'; ExitCode = 1; Output = @("##[error]Path does not exist: $source") }
                $failed = $true
                continue
            }
            Copy-Item $source $target -Recurse -Force
            [pscustomobject]@{ Name = $step.artifact; Kind = 'publish'; ExitCode = 0; Output = @() }
            continue
        }
        if ($step.Contains('download')) {
            Copy-Item (Join-Path $Agent.Artifacts $step.artifact) (Join-Path $Agent.Workspace $step.artifact) -Recurse -Force
            [pscustomobject]@{ Name = $step.artifact; Kind = 'download'; ExitCode = 0; Output = @() }
            continue
        }
        if ($step.task -ne 'PowerShell@2') { throw "Unsupported step: $($step.Keys -join ',')" }
        if ($step.inputs.pwsh -ne 'true') { throw "PowerShell@2 step '$($step.displayName)' must set pwsh: true." }
        if ($step.inputs.targetType -ne 'inline') { throw "Only inline scripts are used by the templates." }
        $script = $step.inputs.script
        if ($Agent.StepFilter) { $rewritten = & $Agent.StepFilter $step $script; if ($null -ne $rewritten) { $script = $rewritten } }
        $script = Expand-Macros $script $vars
        $environment = @{ TF_BUILD = 'True'; SYSTEM_TEAMFOUNDATIONCOLLECTIONURI = 'https://dev.azure.com/example/' }
        foreach ($name in $vars.Keys) {
            if ($name -notin $Agent.Secrets) { $environment[($name.ToUpperInvariant() -replace '\.', '_')] = $vars[$name] }
        }
        if ($step.Contains('env')) { foreach ($k in $step.env.Keys) { $environment[$k] = Expand-Macros $step.env[$k] $vars } }
        $environment['PSModulePath'] = $Agent.ModuleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
        if ($Agent.Home) {
            # The agent's own profile: PSResourceGet's repositories and CurrentUser modules stay in it.
            foreach ($k in 'HOME', 'USERPROFILE') { $environment[$k] = $Agent.Home }
            $environment['XDG_DATA_HOME'] = Join-Path $Agent.Home '.local/share'
            $environment['XDG_CONFIG_HOME'] = Join-Path $Agent.Home '.config'
            $environment['LOCALAPPDATA'] = Join-Path $Agent.Home 'AppData/Local'
        }
        $file = Join-Path $staging ("step-" + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -Path $file -Value $script
        $saved = @{}
        foreach ($k in $environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $environment[$k]) }
        try {
            $pwsh = $Agent.PwshCommand
            $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoProfile -NonInteractive -Command ". '$file'" 2>&1 | ForEach-Object { "$_" }
            $exit = $LASTEXITCODE
        }
        finally {
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
            Remove-Item $file -ErrorAction SilentlyContinue
        }
        foreach ($line in $output) {
            # The agent reads a logging command wherever it starts in a line.
            if ($line -match '##vso\[task\.setvariable variable=(\w+);isOutput=true\](.*)$' -and $step.Contains('name')) {
                $Agent.Outputs["$Stage.$Job.$($step.name).$($Matches[1])"] = $Matches[2]
            }
        }
        [pscustomobject]@{ Name = $step.displayName; Kind = 'PowerShell@2'; ExitCode = $exit; Output = @($output) }
        if ($exit -ne 0) { $failed = $true }
    }
}

# A step runs when its condition holds: succeeded() by default; always(), succeededOrFailed() and failed() as documented.
function Test-StepCondition($Step, [bool] $JobFailed) {
    $condition = if ($Step.Contains('condition')) { "$($Step.condition)".Trim() } else { 'succeeded()' }
    switch ($condition) {
        'succeeded()' { return -not $JobFailed }
        'always()' { return $true }
        'succeededOrFailed()' { return $true }
        'failed()' { return $JobFailed }
        default { throw "The stand-in does not evaluate the condition '$condition'." }
    }
}

# Runs every stage of a pipeline document in order (jobs and deployment jobs).
function Invoke-AgentPipeline($Document, [string] $Directory, [hashtable] $Agent) {
    $variables = Resolve-RuntimeVariables $Document['variables'] $Agent.Variables $Agent.Outputs
    foreach ($stage in @($Document.stages)) {
        if ($stage.Contains('template')) {
            $file = Join-Path $Directory $stage.template
            Invoke-AgentPipeline (Read-PipelineYaml $file ($stage.parameters ?? @{})) (Split-Path $file) $Agent
            continue
        }
        $stageVariables = Resolve-RuntimeVariables $stage['variables'] $variables $Agent.Outputs
        foreach ($job in @($stage.jobs)) {
            $name = $job.job ?? $job.deployment
            $jobVariables = Resolve-RuntimeVariables $job['variables'] $stageVariables $Agent.Outputs
            $steps = if ($job.Contains('deployment')) { $job.strategy.runOnce.deploy.steps } else { $job.steps }
            $results = @(Invoke-AgentJob (Resolve-Steps $steps $Directory) $stage.stage $name $jobVariables $Agent)
            [pscustomobject]@{ Stage = $stage.stage; Job = $name; Deployment = $job.Contains('deployment'); Environment = $job.environment; Steps = $results }
            if ($results | Where-Object ExitCode -NE 0) { return }
        }
    }
}

Export-ModuleMember -Function Read-PipelineYaml, ConvertFrom-YamlText, Resolve-Steps, Invoke-AgentPipeline, Invoke-AgentJob
