# Builds a sample object of any output type, with every property filled with a value of
# realistic width, so each default view can be rendered without a live platform.

function New-SampleValue([type] $Type, [string] $Name, [int] $Depth) {
    $nullable = [Nullable]::GetUnderlyingType($Type)
    if ($nullable) { $Type = $nullable }
    if ($Type -eq [string]) {
        switch -Regex ($Name) {
            'Key$|Id$' { return '4f1c2b3a-9d8e-4c7b-a6f5-0e1d2c3b4a59' }
            'Path$|File' { return '/var/backups/osrollback/outsystems_sql01_20261126_020000.bak' }
            'Ur[il]$|HostName' { return 'https://lifetime.example.com/lifetimeapi/rest/v2' }
            'Message|Detail|Reason|Description|Notes|Recommendation|Info|ChangeLog' { return 'The module Orders_CS was published with warnings; see the publish log for details.' }
            default { return 'OSUSR_ABC_ORDERLINE' }
        }
    }
    if ($Type -eq [bool]) { return $true }
    if ($Type -in [int], [long], [short], [decimal], [double]) { return [System.Convert]::ChangeType(123456, $Type) }
    if ($Type -eq [datetimeoffset]) { return [datetimeoffset]::new(2026, 11, 26, 2, 0, 0, [timespan]::Zero) }
    if ($Type -eq [datetime]) { return [datetime]::new(2026, 11, 26, 2, 0, 0, [System.DateTimeKind]::Utc) }
    if ($Type -eq [timespan]) { return [timespan]::FromSeconds(83.4) }
    if ($Type.IsEnum) { return [enum]::GetValues($Type)[0] }
    if ($Type.IsArray) {
        $element = $Type.GetElementType()
        $array = [array]::CreateInstance($element, 2)
        for ($i = 0; $i -lt 2; $i++) { $array.SetValue((New-SampleValue $element $Name ($Depth + 1)), $i) }
        return , $array
    }
    if ($Type.IsGenericType) {
        $definition = $Type.GetGenericTypeDefinition()
        $arguments = $Type.GetGenericArguments()
        if ($arguments.Count -eq 1 -and $definition.Name -match 'List|Enumerable|Collection') {
            $list = [System.Activator]::CreateInstance([System.Collections.Generic.List`1].MakeGenericType($arguments))
            if ($Depth -lt 2) { foreach ($i in 1..2) { $list.Add((New-SampleValue $arguments[0] $Name ($Depth + 1))) } }
            return , $list
        }
        if ($arguments.Count -eq 2 -and $definition.Name -match 'Dictionary') {
            return , ([System.Activator]::CreateInstance([System.Collections.Generic.Dictionary`2].MakeGenericType($arguments)))
        }
    }
    if ($Depth -ge 2 -or $Type.IsAbstract -or $Type.IsInterface -or $Type.Namespace -notlike 'OsRollback*') { return $null }
    New-SampleObject $Type ($Depth + 1)
}

function New-SampleObject([type] $Type, [int] $Depth = 0) {
    $flags = [System.Reflection.BindingFlags]'Public,NonPublic,Instance'
    $constructor = $Type.GetConstructors($flags) | Sort-Object { $_.GetParameters().Count } | Select-Object -First 1
    $instance = if ($constructor -and $constructor.GetParameters().Count -eq 0) { $constructor.Invoke(@()) }
        else { [System.Runtime.CompilerServices.RuntimeHelpers]::GetUninitializedObject($Type) }
    foreach ($property in $Type.GetProperties([System.Reflection.BindingFlags]'Public,Instance')) {
        $setter = $property.GetSetMethod($true)
        if (-not $setter -or $property.GetIndexParameters().Count) { continue }
        $value = New-SampleValue $property.PropertyType $property.Name $Depth
        try { $property.SetValue($instance, $value) } catch { }
    }
    $instance
}

# Table views of the module's format files: type name, view name and column labels.
function Get-OsRollbackTableView([string] $FormatDirectory) {
    foreach ($file in Get-ChildItem $FormatDirectory -Filter *.ps1xml) {
        [xml] $xml = Get-Content -Raw $file.FullName
        foreach ($view in $xml.Configuration.ViewDefinitions.View) {
            if (-not $view['TableControl']) { continue }
            $headers = @($view.TableControl.TableHeaders.TableColumnHeader)
            $items = @($view.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
            $labels = for ($i = 0; $i -lt $headers.Count; $i++) {
                if ($headers[$i] -is [System.Xml.XmlElement] -and $headers[$i]['Label']) { $headers[$i].Label } else { $items[$i].PropertyName }
            }
            [pscustomobject]@{ File = $file.Name; View = $view.Name; TypeName = $view.ViewSelectedBy.TypeName; Columns = @($labels) }
        }
    }
}

Export-ModuleMember -Function New-SampleObject, Get-OsRollbackTableView
