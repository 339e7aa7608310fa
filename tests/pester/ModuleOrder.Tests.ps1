BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-OsRollbackModulePath) -Force
    $sample = Join-Path (Get-RepoRoot) 'examples/sample-factory.json'
}

Describe 'Get-OsModuleOrder' {
    Context 'pipeline objects' {
        It 'orders a chain producers first and binds Name/DependsOn/Kind/Application by property' {
            $result = @(
                [pscustomobject]@{ Name = 'UI'; DependsOn = 'Core'; Application = 'Shop' }
                [pscustomobject]@{ Name = 'Core'; DependsOn = @('Lib', 'PdfExt') }
                [pscustomobject]@{ Name = 'Lib'; DependsOn = @() }
                [pscustomobject]@{ Name = 'PdfExt'; Kind = 'Extension' }
            ) | Get-OsModuleOrder
            $result.Name | Should -Be @('Lib', 'PdfExt', 'Core', 'UI')
            $result.Wave | Should -Be @(1, 1, 2, 3)
            ($result | Where-Object Name -EQ 'PdfExt').Kind | Should -Be 'Extension'
            ($result | Where-Object Name -EQ 'UI').Application | Should -Be 'Shop'
        }

        It 'accepts hashtables' {
            $result = @(@{ Name = 'B'; DependsOn = 'A' }, @{ Name = 'A' }) | Get-OsModuleOrder
            $result.Name | Should -Be @('A', 'B')
        }

        It 'warns about a cycle and a missing producer without failing' {
            $result = @(
                [pscustomobject]@{ Name = 'A'; DependsOn = 'B' }
                [pscustomobject]@{ Name = 'B'; DependsOn = @('A', 'Ghost') }
            ) | Get-OsModuleOrder -WarningVariable w -WarningAction SilentlyContinue
            $result.Count | Should -Be 2
            ($result.CycleGroup | Select-Object -Unique) | Should -Be 1
            ($result | Where-Object Name -EQ 'B').MissingProducers | Should -Be 'Ghost'
            ($w -join "`n") | Should -Match "'A', 'B'"
            ($w -join "`n") | Should -Match "'Ghost'"
        }

        It 'writes what it does to the verbose stream' {
            $verbose = [pscustomobject]@{ Name = 'A' } | Get-OsModuleOrder -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match 'Received 1 modules from the pipeline'
            ($verbose.Message -join "`n") | Should -Match '1 modules in 1 waves'
        }
    }

    Context 'JSON file' {
        It 'orders the sample factory, with extensions first and the catalog cycle in one wave' {
            $result = Get-OsModuleOrder -Path $sample -WarningAction SilentlyContinue
            $result.Count | Should -Be 23
            ($result | Where-Object Name -EQ 'PdfGenerator_Ext').Wave | Should -Be 1
            $pricing = $result | Where-Object Name -EQ 'Pricing_CS'
            $discounts = $result | Where-Object Name -EQ 'Discounts_CS'
            $pricing.Wave | Should -Be $discounts.Wave
            $pricing.CycleGroup | Should -Not -BeNullOrEmpty
            ($result | Where-Object Name -EQ 'Timers_BL').MissingProducers | Should -Be 'Legacy_Sync'
        }

        It 'narrows to an application with its consumers' {
            $result = Get-OsModuleOrder -Path $sample -Application Billing -IncludeConsumers -WarningAction SilentlyContinue
            $result.Name | Should -Contain 'Invoices_CS'
            $result.Name | Should -Contain 'Backoffice'
            $result.Name | Should -Contain 'Shop'
            $result.Name | Should -Not -Contain 'Orders_CS'
            $result[0].Wave | Should -Be 1
            $result[0].Name | Should -Be 'Invoices_CS'
        }

        It 'round-trips through Export-OsModuleGraph' {
            $dir = New-TestDirectory
            $file = Export-OsModuleGraph -Path $sample -OutFile (Join-Path $dir 'graph.json')
            $file | Should -BeOfType System.IO.FileInfo
            (Get-OsModuleOrder -Path $file.FullName -WarningAction SilentlyContinue).Name |
                Should -Be (Get-OsModuleOrder -Path $sample -WarningAction SilentlyContinue).Name
        }

        It 'Export-OsModuleGraph -WhatIf writes nothing' {
            $dir = New-TestDirectory
            Export-OsModuleGraph -Path $sample -OutFile (Join-Path $dir 'graph.json') -WhatIf
            Test-Path (Join-Path $dir 'graph.json') | Should -BeFalse
        }
    }

    Context 'Export-OsModuleGraph -Application' {
        It 'exports the modules of the applications Get-OsModuleOrder -Application selects, in every format' {
            $dir = New-TestDirectory
            $expected = @(Get-OsModuleOrder -Path $sample -Application Billing, shop -WarningAction SilentlyContinue)
            $expected.Count | Should -BeLessThan 23
            $json = Export-OsModuleGraph -Path $sample -Application Billing, shop -OutFile (Join-Path $dir 'two.json') -WarningAction SilentlyContinue
            $written = Get-Content -Raw $json.FullName | ConvertFrom-Json
            @($written.modules.name | Sort-Object) | Should -Be @($expected.Name | Sort-Object)
            $svg = Export-OsModuleGraph -Path $sample -Application Billing, shop -OutFile (Join-Path $dir 'two.svg') -WarningAction SilentlyContinue
            [xml]$picture = Get-Content -Raw $svg.FullName
            $boxes = @($picture.svg.g | ForEach-Object { $_.title })
            $boxes.Count | Should -Be $expected.Count
            # Titled with the source's file name and the applications, not a full path.
            $picture.svg.'aria-label' | Should -Be 'Module dependency graph of sample-factory.json: applications Billing, shop'
            (Get-Content -Raw $svg.FullName) | Should -Not -Match ([regex]::Escape((Split-Path $sample)))
            $mmd = Export-OsModuleGraph -Path $sample -Application Billing, shop -OutFile (Join-Path $dir 'two.mmd') -WarningAction SilentlyContinue
            ([regex]::Matches((Get-Content -Raw $mmd.FullName), '\["[^"]+"\]\n')).Count | Should -Be ($expected.Count + ($expected.Wave | Select-Object -Unique).Count)
        }

        It 'an unknown application is the same UnknownApplication error with the closest names, and nothing is written' {
            $dir = New-TestDirectory
            $e = Get-ErrorRecord { Export-OsModuleGraph -Path $sample -Application Biling -OutFile (Join-Path $dir 'graph.svg') -WarningAction SilentlyContinue }
            $e.FullyQualifiedErrorId | Should -BeLike 'UnknownApplication,*'
            $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $e.Exception.Message | Should -Match "did you mean 'Billing'"
            $e.TargetObject | Should -Be 'Biling'
            Test-Path (Join-Path $dir 'graph.svg') | Should -BeFalse
        }

        It '-WhatIf says how many modules it would write and writes nothing' {
            $dir = New-TestDirectory
            $count = @(Get-OsModuleOrder -Path $sample -Application Billing -WarningAction SilentlyContinue).Count
            # What-if text goes to the host: read it from a child pwsh.
            $child = Invoke-ChildPwsh "Import-Module '$(Get-OsRollbackModulePath)'; Export-OsModuleGraph -Path '$sample' -Application Billing -OutFile '$(Join-Path $dir 'graph.json')' -WhatIf -WarningAction SilentlyContinue"
            $child.ExitCode | Should -Be 0
            ($child.Output -join ' ') | Should -Match "What if: .*Write $count modules as Json"
            Test-Path (Join-Path $dir 'graph.json') | Should -BeFalse
        }

        It 'completes application names from the graph file, as Get-OsModuleOrder does' {
            foreach ($command in 'Export-OsModuleGraph', 'Get-OsModuleOrder') {
                $line = "$command -Path '$sample' -Application Bil"
                $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
                $completions | Should -Contain 'Billing' -Because $command
            }
        }

        It 'has help for -Application' {
            (Get-Help Export-OsModuleGraph -Parameter Application).Description.Text | Should -Match 'Get-OsModuleOrder -Application'
        }
    }

    Context 'bad input' {
        It 'a missing file is ObjectNotFound with a stable id' {
            $e = Get-ErrorRecord { Get-OsModuleOrder -Path ./does-not-exist.json }
            $e.FullyQualifiedErrorId | Should -BeLike 'ModuleGraphFileNotFound,*'
            $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $e.ErrorDetails.RecommendedAction | Should -Match 'Export-OsModuleGraph'
        }

        It 'malformed JSON names line and position and prints nothing' {
            $dir = New-TestDirectory
            $bad = Join-Path $dir 'bad.json'
            Set-Content $bad "{`n  `"modules`": [`n    { `"name`": `"A`" `"dependsOn`": [] }`n  ]`n}"
            $output = $null
            $e = Get-ErrorRecord { $script:output = Get-OsModuleOrder -Path $bad }
            $e.FullyQualifiedErrorId | Should -BeLike 'ModuleGraphMalformedJson,*'
            $e.Exception.Message | Should -Match 'line 3, position \d+'
            $output | Should -BeNullOrEmpty
        }

        It 'duplicate module names are refused and nothing is output' {
            $e = Get-ErrorRecord { @([pscustomobject]@{ Name = 'A' }, [pscustomobject]@{ Name = 'a' }) | Get-OsModuleOrder }
            $e.FullyQualifiedErrorId | Should -BeLike 'DuplicateModuleName,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'an unknown application names the closest ones' {
            $e = Get-ErrorRecord { Get-OsModuleOrder -Path $sample -Application Biling -WarningAction SilentlyContinue }
            $e.FullyQualifiedErrorId | Should -BeLike 'UnknownApplication,*'
            $e.Exception.Message | Should -Match "did you mean 'Billing'"
        }

        It 'an unknown module names the closest ones' {
            $e = Get-ErrorRecord { Get-OsModuleOrder -Path $sample -Module Order_CS -WarningAction SilentlyContinue }
            $e.FullyQualifiedErrorId | Should -BeLike 'UnknownModule,*'
            $e.Exception.Message | Should -Match "Orders_CS"
        }

        It 'a piped object without a name is refused' {
            $e = Get-ErrorRecord { [pscustomobject]@{ DependsOn = 'A' } | Get-OsModuleOrder }
            $e.FullyQualifiedErrorId | Should -BeLike 'ModuleNameMissing,*'
        }

        It 'an unreachable SQL Server is a ConnectionError' {
            $e = Get-ErrorRecord { Get-OsModuleOrder -SqlInstance '127.0.0.1,1' -Database outsystems -TrustServerCertificate -ConnectTimeout 2 }
            $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseUnreachable,*'
            $e.CategoryInfo.Category | Should -Be 'ConnectionError'
        }

        It 'a missing SQLite file is not created' {
            $dir = New-TestDirectory
            $e = Get-ErrorRecord { Get-OsModuleOrder -SqlitePath (Join-Path $dir 'platform.db') }
            $e.FullyQualifiedErrorId | Should -BeLike 'DatabaseFileNotFound,*'
            Test-Path (Join-Path $dir 'platform.db') | Should -BeFalse
        }
    }
}
