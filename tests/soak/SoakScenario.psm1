# Seed -> scenario. Everything random in a soak run is drawn here, from one System.Random(seed)
# (its seeded sequence is stable across .NET versions), so a seed names one exact scenario.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'SoakTamper.psm1')

$script:Strategies = @('LifeTime', 'Solution', 'Module', 'Database')

# Rows the sandbox seeds in Production (any seed): users touch these "old" rows.
$script:SeededCounts = @{ Customer = 25; Address = 25; Order = 40; OrderLine = 80 }

function New-SoakUserOperations([System.Random] $Random, [int] $Count, [string] $Phase, [int] $Seed) {
    $kinds = @('InsertCustomer', 'InsertOrder', 'InsertOrder', 'UpdateOrder', 'UpdateOrder', 'UpdateCustomer', 'DeleteOrderLine', 'DeleteAddress')
    for ($i = 1; $i -le $Count; $i++) {
        $kind = $kinds[$Random.Next($kinds.Count)]
        [pscustomobject]@{
            Step        = "$Phase traffic #$i $kind"
            Kind        = $kind
            # An old row by its seeded key; InsertOrder uses it as the customer, or the phase's new customer.
            OldId       = switch -Wildcard ($kind) {
                '*Order' { 1 + $Random.Next($script:SeededCounts.Order) }
                '*Customer' { 1 + $Random.Next($script:SeededCounts.Customer) }
                'DeleteOrderLine' { 1 + $Random.Next($script:SeededCounts.OrderLine) }
                'DeleteAddress' { 1 + $Random.Next($script:SeededCounts.Address) }
            }
            UseNewParent = $Random.Next(2) -eq 0
            Lines       = 1 + $Random.Next(3)
            Amount      = [decimal](10 + $Random.Next(990)) + [decimal]($Random.Next(100)) / 100
            StatusIndex = $Random.Next(100)
            Text        = "soak-$Seed-$Phase-$i-$($Random.Next(1000000))"
        }
    }
}

function New-SoakScenario([int] $Seed) {
    # Mixed first: consecutive seeds of System.Random start with correlated values.
    $random = [System.Random]::new([int](([long]$Seed * 2654435761L) % 2147483647L))
    $strategy = $script:Strategies[$random.Next($script:Strategies.Count)]
    # One run in five is not killed; the others die when the journal shows the chosen step started.
    $kill = $random.Next(5) -ne 0
    $killFraction = $random.NextDouble()
    [pscustomobject]@{
        Seed                = $Seed
        Strategy            = $strategy
        Kill                = $kill
        KillFraction        = $killFraction
        ConcurrentOperator  = $random.Next(2) -eq 0
        PreAppTrafficRows   = 3 + $random.Next(7)
        PostAppTrafficRows  = $random.Next(7)
        PreOperations       = @(New-SoakUserOperations $random (6 + $random.Next(7)) 'pre' $Seed)
        PostOperations      = @(New-SoakUserOperations $random (4 + $random.Next(5)) 'post' $Seed)
        # Drawn last, so the draws above (and every earlier seed's scenario) stay as they were.
        Tamper              = New-SoakTamper $random
    }
}

# The kill point as a plan step: a step that starts, chosen from the seed's fraction.
function Get-SoakKillStep($Scenario, [int] $StepCount) {
    if (-not $Scenario.Kill -or $StepCount -lt 1) { return 0 }
    1 + [math]::Min($StepCount - 1, [int][math]::Floor($Scenario.KillFraction * $StepCount))
}

Export-ModuleMember -Function New-SoakScenario, Get-SoakKillStep
