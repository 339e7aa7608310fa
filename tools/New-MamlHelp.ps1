<#
.SYNOPSIS
    Writes the MAML help file of the compiled cmdlets from docs/help/<Cmdlet>.psd1.
.DESCRIPTION
    Each help source gives the prose (synopsis, description, parameter descriptions,
    examples, notes, links). The syntax, parameter types, positions, pipeline input and
    parameter sets come from the imported module itself, so help can never disagree with
    the code. A cmdlet without a help source, or a parameter without a description, fails
    the build with a message naming it.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $HelpSourceDirectory,
    [Parameter(Mandatory)] [string] $OutFile
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# WhatIf and Confirm are "optional common" parameters, but help shows them like Get-Help does for
# script functions: in SYNTAX and PARAMETERS, so a reader sees the command can be rehearsed.
$common = [System.Management.Automation.Cmdlet]::CommonParameters + @([System.Management.Automation.Cmdlet]::OptionalCommonParameters | Where-Object { $_ -notin 'WhatIf', 'Confirm' })
$shouldProcessText = @{
    WhatIf  = 'Shows what the command would do, and changes nothing.'
    Confirm = 'Asks for confirmation before each change. -Confirm:$false skips the prompt (for pipelines and scheduled tasks).'
}

function Get-Value($table, [string] $key) { if ($table.ContainsKey($key)) { $table[$key] } else { $null } }

function Esc([string] $text) { [System.Security.SecurityElement]::Escape($text) }

function Paras([string] $text) {
    if (-not $text) { return '<maml:para></maml:para>' }
    ($text.Trim() -split "\r?\n\s*\r?\n" | ForEach-Object { "<maml:para>$(Esc ($_.Trim() -replace '\s*\r?\n\s*', ' '))</maml:para>" }) -join ''
}

function TypeName([type] $type) {
    if ($type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $type.Name
}

# The value a parameter has when it is not given: read from a fresh instance of the cmdlet, so it
# is the value the code uses. Empty and null show as None, as Get-Help does.
function DefaultValue($instance, $parameter) {
    $isSwitch = $parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    # By name and type: a cmdlet may widen a base class's parameter with a property of the same name.
    $property = if ($instance) { $instance.GetType().GetProperties() | Where-Object { $_.Name -eq $parameter.Name -and $_.PropertyType -eq $parameter.ParameterType } | Select-Object -First 1 }
    if (-not $property) { return $(if ($isSwitch) { 'False' } else { 'None' }) }
    $value = try { $property.GetValue($instance) } catch { $null }
    if ($value -is [System.Management.Automation.SwitchParameter]) { return $value.IsPresent.ToString() }
    if ($null -eq $value -or ($value -is [string] -and $value -eq '')) { return 'None' }
    if ($value -is [System.Collections.IEnumerable] -and $value -isnot [string]) {
        $items = @($value)
        if (-not $items.Count) { return 'None' }
        return ($items | ForEach-Object { "$_" }) -join ', '
    }
    "$value"
}

function ParameterXml($command, $parameter, $attribute, [string] $description, $instance) {
    $pipeline = @()
    if ($attribute.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($attribute.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
    $position = if ($attribute.Position -ge 0) { $attribute.Position } else { 'named' }
    $aliases = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }
    $isSwitch = $parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $type = TypeName $parameter.ParameterType
    $value = if ($isSwitch) { '' } else { "<command:parameterValue required=`"true`" variableLength=`"false`">$(Esc $type)</command:parameterValue>" }
    @"
<command:parameter required="$($attribute.Mandatory.ToString().ToLower())" variableLength="true" globbing="$($wildcards.ToString().ToLower())" pipelineInput="$pipelineText" position="$position" aliases="$(Esc $aliases)">
<maml:name>$(Esc $parameter.Name)</maml:name>
<maml:description>$(Paras $description)</maml:description>
$value
<dev:type><maml:name>$(Esc $parameter.ParameterType.FullName)</maml:name><maml:uri /></dev:type>
<dev:defaultValue>$(Esc (DefaultValue $instance $parameter))</dev:defaultValue>
</command:parameter>
"@
}

Import-Module $ModulePath -Force
$module = Get-Module OsRollback
$problems = [System.Collections.Generic.List[string]]::new()
$commands = foreach ($command in Get-Command -Module OsRollback -CommandType Cmdlet | Sort-Object Name) {
    $sourcePath = Join-Path $HelpSourceDirectory "$($command.Name).psd1"
    if (-not (Test-Path $sourcePath)) { $problems.Add("$($command.Name): no help source at $sourcePath"); continue }
    $help = Import-PowerShellDataFile -Path $sourcePath
    $descriptions = if ($help.ContainsKey('Parameters')) { $help.Parameters.Clone() } else { @{} }
    foreach ($name in $shouldProcessText.Keys) {
        if ($command.Parameters.ContainsKey($name) -and -not $descriptions.ContainsKey($name)) { $descriptions[$name] = $shouldProcessText[$name] }
    }
    $instance = try { [System.Activator]::CreateInstance($command.ImplementingType) } catch { $null }

    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $parameters) {
        if (-not $descriptions.ContainsKey($p.Name)) { $problems.Add("$($command.Name): parameter -$($p.Name) has no description") }
    }
    foreach ($name in @($descriptions.Keys)) {
        if (-not $command.Parameters.ContainsKey($name)) { $problems.Add("$($command.Name): help describes -$name, which does not exist") }
    }
    foreach ($key in 'Synopsis', 'Description', 'Examples') {
        if (-not $help.ContainsKey($key) -or -not $help[$key]) { $problems.Add("$($command.Name): help has no $key") }
    }

    $syntax = foreach ($set in $command.ParameterSets) {
        $items = foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $attribute = $command.Parameters[$p.Name].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ParameterSetName -eq $set.Name -or $_.ParameterSetName -eq '__AllParameterSets') } |
                Select-Object -First 1
            ParameterXml $command $command.Parameters[$p.Name] $attribute $descriptions[$p.Name] $instance
        }
        "<command:syntaxItem><maml:name>$($command.Name)</maml:name>$($items -join '')</command:syntaxItem>"
    }
    $parameterItems = foreach ($p in $parameters | Sort-Object Name) {
        $attribute = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        ParameterXml $command $p $attribute $descriptions[$p.Name] $instance
    }
    $n = 0
    $examples = foreach ($example in @($help.Examples)) {
        $n++
        "<command:example><maml:title>-------------------------- Example $n`: $(Esc (Get-Value $example 'Title')) --------------------------</maml:title><dev:code>$(Esc $example.Code.Trim())</dev:code><dev:remarks>$(Paras (Get-Value $example 'Remarks'))</dev:remarks></command:example>"
    }
    $inputs = foreach ($i in @(Get-Value $help 'Inputs')) { if ($i) { "<command:inputType><dev:type><maml:name>$(Esc $i)</maml:name></dev:type><maml:description><maml:para></maml:para></maml:description></command:inputType>" } }
    $outputs = foreach ($o in @(Get-Value $help 'Outputs')) { if ($o) { "<command:returnValue><dev:type><maml:name>$(Esc $o)</maml:name></dev:type><maml:description><maml:para></maml:para></maml:description></command:returnValue>" } }
    $links = foreach ($l in @(Get-Value $help 'Links')) { if ($l) { "<maml:navigationLink><maml:linkText>$(Esc $l)</maml:linkText><maml:uri></maml:uri></maml:navigationLink>" } }
    # There is no online version: Get-Help -Online takes the first link with a URI (up to a space) and,
    # as it is not http(s), fails with a message that quotes it unescaped, so the URI says where the help is.
    $offline = "help:Get-Help $($command.Name) -Full (installed with the module, no online version)" -replace ' ', '%20'
    $links = @("<maml:navigationLink><maml:linkText>Help: installed with the module, no online version</maml:linkText><maml:uri>$(Esc $offline)</maml:uri></maml:navigationLink>") + @($links)
    $notes = if ($help.ContainsKey('Notes')) { "<maml:alertSet><maml:alert>$(Paras $help.Notes)</maml:alert></maml:alertSet>" } else { '' }

    @"
<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" xmlns:MSHelp="http://msdn.microsoft.com/mshelp">
<command:details><command:name>$($command.Name)</command:name><command:verb>$($command.Verb)</command:verb><command:noun>$($command.Noun)</command:noun>
<maml:description>$(Paras $help.Synopsis)</maml:description></command:details>
<maml:description>$(Paras $help.Description)</maml:description>
<command:syntax>$($syntax -join '')</command:syntax>
<command:parameters>$($parameterItems -join '')</command:parameters>
<command:inputTypes>$($inputs -join '')</command:inputTypes>
<command:returnValues>$($outputs -join '')</command:returnValues>
$notes
<command:examples>$($examples -join '')</command:examples>
<command:relatedLinks>$($links -join '')</command:relatedLinks>
</command:command>
"@
}
Remove-Module OsRollback -Force

if ($problems.Count) {
    throw "Help is incomplete:`n  " + ($problems -join "`n  ")
}
$xml = "<?xml version=`"1.0`" encoding=`"utf-8`"?>`n<helpItems schema=`"maml`" xmlns=`"http://msh`">`n$($commands -join "`n")`n</helpItems>`n"
$null = New-Item -ItemType Directory -Force -Path (Split-Path $OutFile)
[System.IO.File]::WriteAllText($OutFile, $xml, [System.Text.UTF8Encoding]::new($false))
# Prove it is well-formed XML before anyone reads it.
$null = [xml]$xml
Write-Verbose "Help written for $(@($commands).Count) cmdlets to $OutFile"
