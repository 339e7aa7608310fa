# Users at work: the scenario's operations written into Production's OSUSR tables (parents and
# children), each recorded in a ledger of (table, ID, operation, step) that the invariants read.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'SoakDatabase.psm1')

function New-SoakLedgerEntry([string] $Table, [long] $Id, [string] $Operation, [string] $Step) {
    [pscustomobject]@{ Table = $Table; Id = $Id; Operation = $Operation; Step = $Step }
}

# Inserts one row and returns its identity (the database chooses it, as the platform would).
function Add-SoakRow([string] $Path, [string] $Table, [hashtable] $Values) {
    $columns = @($Values.Keys)
    $literals = $columns | ForEach-Object { ConvertTo-SoakLiteral $Values[$_] }
    [long](Invoke-SoakScalar $Path "INSERT INTO $Table ($($columns -join ', ')) VALUES ($($literals -join ', ')); SELECT last_insert_rowid();")
}

function Invoke-SoakUserOperation([string] $Path, $Operation, [string[]] $StatusCodes, [System.Collections.Generic.List[object]] $NewCustomers) {
    $now = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm:ss')
    $step = $Operation.Step
    switch ($Operation.Kind) {
        'InsertCustomer' {
            $id = Add-SoakRow $Path 'OSUSR_CUS_CUSTOMER' @{ CREATED_ON = $now; UPDATED_ON = $now; NAME = $Operation.Text; EMAIL = "$($Operation.Text)@example.com"; COUNTRY_CODE = 'PT' }
            $NewCustomers.Add($id)
            New-SoakLedgerEntry 'OSUSR_CUS_CUSTOMER' $id 'Insert' $step
            $address = Add-SoakRow $Path 'OSUSR_CUS_CUSTOMER_ADDRESS' @{ CUSTOMER_ID = $id; STREET = "$($Operation.Text) street"; CITY = 'Lisbon' }
            New-SoakLedgerEntry 'OSUSR_CUS_CUSTOMER_ADDRESS' $address 'Insert' $step
        }
        'InsertOrder' {
            $customer = if ($Operation.UseNewParent -and $NewCustomers.Count -gt 0) { $NewCustomers[$NewCustomers.Count - 1] } else { $Operation.OldId }
            $status = $StatusCodes[$Operation.StatusIndex % $StatusCodes.Count]
            $order = Add-SoakRow $Path 'OSUSR_ORD_ORDER' @{ CREATED_ON = $now; UPDATED_ON = $now; CUSTOMER_ID = $customer; STATUS_CODE = $status; TOTAL = $Operation.Amount }
            New-SoakLedgerEntry 'OSUSR_ORD_ORDER' $order 'Insert' $step
            for ($line = 1; $line -le $Operation.Lines; $line++) {
                $id = Add-SoakRow $Path 'OSUSR_ORD_ORDER_LINE' @{ ORDER_ID = $order; PRODUCT_ID = $line; QUANTITY = $line; PRICE = $Operation.Amount }
                New-SoakLedgerEntry 'OSUSR_ORD_ORDER_LINE' $id 'Insert' $step
            }
        }
        'UpdateOrder' {
            $status = $StatusCodes[$Operation.StatusIndex % $StatusCodes.Count]
            Invoke-SoakUpdate $Path 'OSUSR_ORD_ORDER' $Operation.OldId "TOTAL = $(ConvertTo-SoakLiteral $Operation.Amount), STATUS_CODE = $(ConvertTo-SoakLiteral $status), UPDATED_ON = '$now'" $step
        }
        'UpdateCustomer' {
            Invoke-SoakUpdate $Path 'OSUSR_CUS_CUSTOMER' $Operation.OldId "EMAIL = $(ConvertTo-SoakLiteral "$($Operation.Text)@example.com"), UPDATED_ON = '$now'" $step
        }
        'DeleteOrderLine' { Invoke-SoakDelete $Path 'OSUSR_ORD_ORDER_LINE' $Operation.OldId $step }
        'DeleteAddress' { Invoke-SoakDelete $Path 'OSUSR_CUS_CUSTOMER_ADDRESS' $Operation.OldId $step }
    }
}

# An update or delete of a row that is not there (deleted earlier) is no write and not recorded.
function Invoke-SoakUpdate([string] $Path, [string] $Table, [long] $Id, [string] $Set, [string] $Step) {
    $changed = [int](Invoke-SoakScalar $Path "UPDATE $Table SET $Set WHERE ID = $Id; SELECT changes();")
    if ($changed -gt 0) { New-SoakLedgerEntry $Table $Id 'Update' $Step }
}

function Invoke-SoakDelete([string] $Path, [string] $Table, [long] $Id, [string] $Step) {
    $changed = [int](Invoke-SoakScalar $Path "DELETE FROM $Table WHERE ID = $Id; SELECT changes();")
    if ($changed -gt 0) { New-SoakLedgerEntry $Table $Id 'Delete' $Step }
}

# Runs a phase of user traffic: the app endpoint's rows, then the direct operations.
function Invoke-SoakTrafficPhase([string] $Path, $Operations, [object[]] $AppWritten, [string] $Phase) {
    $statusCodes = @(Invoke-SoakQuery $Path 'SELECT CODE FROM OSUSR_ORD_ORDER_STATUS ORDER BY CODE' | ForEach-Object CODE)
    if ($statusCodes.Count -eq 0) { $statusCodes = @('NEW') }
    $newCustomers = [System.Collections.Generic.List[object]]::new()
    $ledger = [System.Collections.Generic.List[object]]::new()
    $n = 0
    foreach ($row in $AppWritten) {
        $n++
        if ($row.key -match '^\d+$') { $ledger.Add((New-SoakLedgerEntry $row.table ([long]$row.key) ($row.operation -replace '^(.)', { $_.Value.ToUpperInvariant() }) "$Phase app traffic row #$n")) }
    }
    foreach ($operation in $Operations) {
        foreach ($entry in @(Invoke-SoakUserOperation $Path $operation $statusCodes $newCustomers)) { if ($entry) { $ledger.Add($entry) } }
    }
    $ledger.ToArray()
}

# The state users left: for each row they touched, its last operation and the row as it is now
# (absent after a delete). This is what must survive.
function Get-SoakWrittenState([string] $Path, [object[]] $Ledger) {
    $last = [ordered]@{}
    foreach ($entry in $Ledger) { $last["$($entry.Table)#$($entry.Id)"] = $entry }
    foreach ($entry in $last.Values) {
        $row = Get-SoakRow $Path $entry.Table $entry.Id
        [pscustomobject]@{ Table = $entry.Table; Id = $entry.Id; Operation = $entry.Operation; Step = $entry.Step; Row = $row; Exists = $null -ne $row }
    }
}

Export-ModuleMember -Function Invoke-SoakTrafficPhase, Get-SoakWrittenState
