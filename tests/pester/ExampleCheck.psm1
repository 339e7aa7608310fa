# Finds every example a user can copy (help sources, runbook help, README, docs/, examples/)
# and checks it parses and that each OsRollback command in it binds its named parameters.

function Get-OsRollbackExample([string] $RepoRoot) {
    foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'docs/help') -Filter *.psd1) {
        $help = Import-PowerShellDataFile $file.FullName
        $n = 0
        foreach ($example in @($help.Examples)) {
            $n++
            [pscustomobject]@{ Source = "docs/help/$($file.Name) example $n"; Code = $example.Code }
        }
    }
    foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'module/runbooks') -Filter Invoke-*.ps1) {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
        $function = $ast.Find({ param($a) $a -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)
        $help = if ($function) { $function.GetHelpContent() }
        $n = 0
        foreach ($code in @($help.Examples)) {
            $n++
            # Comment-based examples are the command lines, then a blank line, then remarks.
            $commandText = ($code.Trim() -split '\r?\n\s*\r?\n')[0]
            [pscustomobject]@{ Source = "module/runbooks/$($file.Name) example $n"; Code = $commandText }
        }
    }
    $markdown = @(Get-Item (Join-Path $RepoRoot 'README.md')) + @(Get-ChildItem (Join-Path $RepoRoot 'docs') -Filter *.md) +
        @(Get-ChildItem (Join-Path $RepoRoot 'examples') -Recurse -Filter *.md)
    foreach ($file in $markdown) {
        $relative = [System.IO.Path]::GetRelativePath($RepoRoot, $file.FullName) -replace '\\', '/'
        $text = Get-Content -Raw $file.FullName
        $n = 0
        foreach ($block in [regex]::Matches($text, '(?ms)^```(?:powershell|pwsh|ps1)\s*\r?\n(.*?)^```')) {
            $n++
            [pscustomobject]@{ Source = "$relative block $n"; Code = $block.Groups[1].Value }
        }
    }
    # about_ topics: a run of lines indented eight spaces is one example.
    foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'module/en-US') -Filter about_*.help.txt -ErrorAction SilentlyContinue) {
        $n = 0
        foreach ($block in [regex]::Matches((Get-Content -Raw $file.FullName), '(?m)(?:^ {8}\S.*\r?\n)+')) {
            if ($block.Value -notmatch '\b[A-Z][a-z]+-Os[A-Za-z]+\b') { continue }
            $n++
            [pscustomobject]@{ Source = "module/en-US/$($file.Name) block $n"; Code = $block.Value }
        }
    }
    foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'examples') -Recurse -Filter *.ps1) {
        $relative = [System.IO.Path]::GetRelativePath($RepoRoot, $file.FullName) -replace '\\', '/'
        [pscustomobject]@{ Source = $relative; Code = Get-Content -Raw $file.FullName }
    }
}

# Returns one line per problem: parse errors, unknown or ambiguous parameters, parameters that
# share no parameter set, and a literal string given to a SecureString or PSCredential parameter.
function Test-OsRollbackExampleBinding([string] $Code, [string[]] $CommandNames) {
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
    foreach ($e in $errors) { "parse error at line $($e.Extent.StartLineNumber): $($e.Message)" }
    if ($errors) { return }
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $outputs = Get-AssignedOutputType $ast $CommandNames
    $calls = $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)
    foreach ($call in $calls) {
        $name = $call.GetCommandName()
        if (-not $name -or $name -notin $CommandNames) { continue }
        $command = Get-Command $name
        $bound = [System.Collections.Generic.List[System.Management.Automation.ParameterMetadata]]::new()
        $elements = $call.CommandElements
        for ($i = 1; $i -lt $elements.Count; $i++) {
            $element = $elements[$i]
            if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
            $parameter = $null
            try { $parameter = $command.ResolveParameter($element.ParameterName) }
            catch { "$name -$($element.ParameterName): $($_.Exception.InnerException.Message ?? $_.Exception.Message)"; continue }
            if (-not $parameter) { "$name has no parameter -$($element.ParameterName)"; continue }
            $bound.Add($parameter)
            $isSwitch = $parameter.SwitchParameter
            $argument = $element.Argument
            if (-not $argument -and -not $isSwitch -and $i + 1 -lt $elements.Count -and $elements[$i + 1] -isnot [System.Management.Automation.Language.CommandParameterAst]) {
                $argument = $elements[$i + 1]; $i++
            }
            if (-not $isSwitch -and -not $argument) { "$name -$($parameter.Name) needs a value"; continue }
            $secretTypes = [System.Security.SecureString], [System.Management.Automation.PSCredential]
            $isString = $argument -is [System.Management.Automation.Language.StringConstantExpressionAst] -or
                ($argument -is [System.Management.Automation.Language.VariableExpressionAst] -and $argument.VariablePath.DriveName -eq 'env')
            if ($parameter.ParameterType -in $secretTypes -and $isString) {
                "$name -$($parameter.Name) takes a $($parameter.ParameterType.Name), not the string $($argument.Extent.Text)"
            }
            Test-MemberArgument $name $parameter $argument $outputs
        }
        $own = @($bound | Where-Object Name -NotIn $common)
        if ($own.Count -gt 1) {
            $sets = $command.ParameterSets | Where-Object {
                $names = $_.Parameters.Name
                -not ($own | Where-Object Name -NotIn $names)
            }
            if (-not $sets) { "$name`: no parameter set takes $(($own.Name | ForEach-Object { "-$_" }) -join ', ') together" }
        }
    }
}

# $x = <OsRollback command> ...: the variable holds that command's declared output type.
function Get-AssignedOutputType($Ast, [string[]] $CommandNames) {
    $types = @{}
    $assignments = $Ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true)
    foreach ($assignment in $assignments) {
        if ($assignment.Left -isnot [System.Management.Automation.Language.VariableExpressionAst]) { continue }
        $first = $assignment.Right.Find({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)
        $commands = @($assignment.Right.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true))
        $last = if ($commands) { $commands[-1] } else { $first }
        if (-not $last -or $last.GetCommandName() -notin $CommandNames) { continue }
        $type = (Get-Command $last.GetCommandName()).OutputType | Where-Object Type | Select-Object -First 1
        if ($type) { $types[$assignment.Left.VariablePath.UserPath] = $type.Type }
    }
    $types
}

# -P $x.Member where $x came from an OsRollback command: the member exists, and an array is not
# given to a parameter that takes one value.
function Test-MemberArgument([string] $Name, $Parameter, $Argument, [hashtable] $Outputs) {
    if ($Argument -isnot [System.Management.Automation.Language.MemberExpressionAst]) { return }
    if ($Argument -is [System.Management.Automation.Language.InvokeMemberExpressionAst]) { return }
    if ($Argument.Expression -isnot [System.Management.Automation.Language.VariableExpressionAst]) { return }
    $type = $Outputs[$Argument.Expression.VariablePath.UserPath]
    if (-not $type -or $Argument.Member -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { return }
    $property = $type.GetProperty($Argument.Member.Value, [System.Reflection.BindingFlags]'Public,Instance,IgnoreCase')
    if (-not $property) { "$Name -$($Parameter.Name): $($type.Name) has no property $($Argument.Member.Value)"; return }
    if ($property.PropertyType.IsArray -and -not $Parameter.ParameterType.IsArray -and $Parameter.ParameterType -eq [string]) {
        "$Name -$($Parameter.Name) takes one path, but $($Argument.Extent.Text) is a $($property.PropertyType.Name)"
    }
}

Export-ModuleMember -Function Get-OsRollbackExample, Test-OsRollbackExampleBinding
