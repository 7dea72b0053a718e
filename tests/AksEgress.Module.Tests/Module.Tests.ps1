BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'The AksEgress module as built' {
    It 'has a manifest that passes Test-ModuleManifest with version, tags and PowerShellVersion' {
        $manifest = Test-ModuleManifest -Path $ModulePath
        $manifest.Version | Should -Not -BeNullOrEmpty
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.Tags | Should -Contain 'AKS'
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'has, at the repository root, a manifest that passes Test-ModuleManifest and imports the build' {
        $root = Join-Path $RepoRoot 'AksEgress.psd1'
        (Test-ModuleManifest -Path $root).Name | Should -Be 'AksEgress'
        Invoke-FreshPwsh "Import-Module '$root'; (Get-AksEgressRequirement -Location westeurope).Count" | Should -Be 10
    }

    It 'exports exactly the cmdlets its manifest lists' {
        (Get-Command -Module AksEgress).Name | Sort-Object | Should -Be @('Export-AksFirewallPolicy', 'Get-AksEgressCatalog', 'Get-AksEgressRequirement', 'New-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Test-AksNetworkPolicy', 'Update-AksEgressCatalog')
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        (Get-Command -Module AksEgress).Verb | ForEach-Object { $_ | Should -BeIn $approved }
    }

    It 'declares the output type of <_>' -ForEach @('Get-AksEgressRequirement', 'Get-AksEgressCatalog', 'New-AksFirewallPolicy', 'Export-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Test-AksNetworkPolicy') {
        (Get-Command $_).OutputType | Should -Not -BeNullOrEmpty
    }

    It 'ships nothing but the allow-listed files' {
        $files = Get-ChildItem (Split-Path $ModulePath) -Recurse -File | ForEach-Object { $_.FullName.Substring((Split-Path $ModulePath).Length + 1).Replace('\', '/') }
        # The root holds the cmdlets, the initializer and the loader. Dependencies/ holds the engine and its netstandard2.0
        # closure (for .NET), NetFramework/ the engine and the same libraries as .NET Framework resolves them, and the list
        # of SHA-256 hashes that the import checks.
        $libraries = @('YamlDotNet', 'Azure.Core', 'Azure.ResourceManager', 'System.ClientModel', 'System.Memory.Data', 'Microsoft.Identity.Client',
            'Microsoft.Identity.Client.Extensions.Msal', 'Microsoft.IdentityModel.Abstractions', 'Microsoft.Extensions.Configuration.Abstractions',
            'Microsoft.Extensions.DependencyInjection.Abstractions', 'Microsoft.Extensions.Diagnostics.Abstractions',
            'Microsoft.Extensions.FileProviders.Abstractions', 'Microsoft.Extensions.Hosting.Abstractions', 'Microsoft.Extensions.Logging.Abstractions',
            'Microsoft.Extensions.Options', 'Microsoft.Extensions.Primitives', 'Microsoft.Bcl.AsyncInterfaces', 'System.Text.Json',
            'System.Text.Encodings.Web', 'System.IO.Pipelines', 'System.Memory', 'System.Buffers', 'System.Numerics.Vectors',
            'System.Runtime.CompilerServices.Unsafe', 'System.Threading.Tasks.Extensions', 'System.Diagnostics.DiagnosticSource',
            'System.Formats.Asn1', 'System.Net.ServerSentEvents', 'System.IO.FileSystem.AccessControl', 'System.Security.AccessControl',
            'System.Security.Cryptography.ProtectedData', 'System.Security.Principal.Windows')
        $expected = @('AksEgress.psd1', 'AksEgress.Format.ps1xml', 'en-US/AksEgress.dll-Help.xml', 'AksEgress.dll', 'AksEgress.Init.dll', 'AksEgress.Loader.dll',
            'Dependencies/AksEgress.Dependencies.txt') +
            @(@('AksEgress.Core', 'AksEgress.Azure', 'System.ComponentModel.Annotations', 'System.Security.Cryptography.Cng') + $libraries | ForEach-Object { "Dependencies/$_.dll" }) +
            @(@('AksEgress.Core', 'AksEgress.Azure', 'System.ValueTuple') + $libraries | ForEach-Object { "Dependencies/NetFramework/$_.dll" })
        $files | Sort-Object | Should -Be ($expected | Sort-Object)
    }

    It 'fails the import, naming the file and the fix, when a dependency is <Case>' -ForEach @(
        @{ Case = 'damaged'; File = 'YamlDotNet.dll'; Break = { param($f) [IO.File]::WriteAllBytes($f, [IO.File]::ReadAllBytes($f)[0..4095]) } }
        @{ Case = 'missing'; File = 'Azure.Core.dll'; Break = { param($f) Remove-Item $f } }
    ) {
        $copy = Join-Path $TestDrive "$Case/AksEgress"
        $null = New-Item -ItemType Directory -Path (Split-Path $copy) -Force
        Copy-Item (Split-Path $ModulePath) (Split-Path $copy) -Recurse
        & $Break (Join-Path $copy "Dependencies/$File")
        $output = Invoke-FreshPwsh "try { Import-Module '$copy/AksEgress.psd1' -ErrorAction Stop; 'imported' } catch { `$_.Exception.Message }" 2>&1
        $text = $output -join "`n"
        $text | Should -Not -Match '^imported$'
        $text | Should -BeLike "*$File is $Case*"
        $text | Should -BeLike '*Reinstall the module*'
    }

    It 'shows rules as a compact table: Category, Feature, Protocol, Port, Destination' {
        $text = Get-AksEgressRequirement -Location westeurope | Format-Table | Out-String -Width 200
        $header = ($text -split "`n" | Where-Object { $_ -match '\S' } | Select-Object -First 1) -split '\s+' | Where-Object { $_ }
        $header | Should -Be @('Category', 'Feature', 'Protocol', 'Port', 'Destination')
    }

    It 'shows every property with Format-List *' {
        $text = Get-AksEgressRequirement -Location westeurope | Select-Object -First 1 | Format-List * | Out-String
        foreach ($p in 'Id', 'Cloud', 'Category', 'Feature', 'Kind', 'Protocol', 'Port', 'Destination', 'DestinationType', 'Required', 'Condition', 'Note', 'Source') {
            $text | Should -Match "(?m)^$p\s+:"
        }
    }
}

Describe 'The ErrorIds' {
    It 'are the registry''s, each in the README''s table with its category' {
        $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
        $table = [regex]::Matches($readme, '(?m)^\| `(?<id>[A-Za-z]+)` \| (?<category>[A-Za-z]+) \|') | ForEach-Object { "$($_.Groups['id'].Value) $($_.Groups['category'].Value)" }
        $registry = [AksEgress.PowerShell.ModuleErrors]::All | ForEach-Object { "$($_.Id) $($_.Category)" }
        $table | Sort-Object | Should -Be ($registry | Sort-Object)
    }

    It 'are raised only from the registry: every ErrorId string in the cmdlets and the engine is in it' {
        $ids = [AksEgress.PowerShell.ModuleErrors]::All.Id
        $sources = Get-ChildItem (Join-Path $RepoRoot 'src') -Recurse -Filter *.cs | Where-Object FullName -notmatch '[\\/](obj|bin)[\\/]'
        $used = $sources | Select-String -Pattern '(?:ModuleErrors\.Record\([^;]*?|Exception\()"(?<id>[A-Z][A-Za-z]+)"' -AllMatches |
            ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups['id'].Value } | Sort-Object -Unique
        $used | Should -Not -BeNullOrEmpty
        $used | Where-Object { $_ -notin $ids } | Should -BeNullOrEmpty
    }
}

# A parameter that several cmdlets take means the same everywhere: same type, aliases, validation and completion.
Describe 'Parameters shared across cmdlets' {
    BeforeDiscovery {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $byName = @{}
        foreach ($command in Get-Command -Module AksEgress -CommandType Cmdlet) {
            foreach ($p in $command.Parameters.Values | Where-Object Name -notin $common) { $byName[$p.Name] += @(@{ Command = $command.Name; Parameter = $p }) }
        }
        $script:Shared = foreach ($name in $byName.Keys | Sort-Object) { if ($byName[$name].Count -gt 1) { @{ Name = $name; Uses = $byName[$name] } } }
    }

    It '-<Name> is the same in <Uses.Count> cmdlets' -ForEach $Shared {
        function Shape($p) {
            $validation = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateArgumentsAttribute] -or $_ -is [System.Management.Automation.ArgumentTransformationAttribute] } |
                ForEach-Object { $_.GetType().Name + $(if ($_ -is [System.Management.Automation.ValidateRangeAttribute]) { "$($_.MinRange)-$($_.MaxRange)" } elseif ($_ -is [System.Management.Automation.ValidateSetAttribute]) { $_.ValidValues -join ',' }) } | Sort-Object
            $completer = ($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }).Type.Name
            "$($p.ParameterType) aliases=$($p.Aliases -join ',') validation=$($validation -join ',') completer=$completer"
        }
        $shapes = $Uses | ForEach-Object { "$(Shape $_.Parameter)" } | Sort-Object -Unique
        # -Name and -Path name different things in different cmdlets (a policy, a manifest); -Location is a list or one region to create in.
        if ($Name -notin 'Name', 'Path', 'Location') {
            @($shapes).Count | Should -Be 1 -Because (($Uses | ForEach-Object { "$($_.Command): $(Shape $_.Parameter)" }) -join '; ')
        }
    }
}

# What users do with the objects: ConvertTo-Json for APIs and reviews, Export-Csv for spreadsheets.
Describe 'Objects serialise as they read' {
    It 'writes names, not numbers, for the rule''s enumerations in JSON, and lists as arrays' {
        $json = Get-AksEgressRequirement -Location westeurope | Where-Object Id -eq 'pub.core.tunnel-udp-1194' | ConvertTo-Json | ConvertFrom-Json
        $json.Category | Should -Be 'Required'
        $json.Feature | Should -Be 'None'
        $json.Kind | Should -Be 'Network'
        $json.Protocol | Should -Be 'Udp'
        $json.Cloud | Should -Be 'AzureCloud'
        $json.DestinationType | Should -Be 'ServiceTag'
        # Seed 003: the tunnel rules may target '*' instead of the region's service tag.
        @($json.Alternatives) | Should -Be @('*')
    }

    It 'writes lists as text and nested objects as what they are in CSV' {
        $csv = Join-Path $TestDrive 'rules.csv'
        Get-AksEgressRequirement -Location westeurope | Export-Csv -Path $csv
        $text = Get-Content $csv -Raw
        $text | Should -Not -Match 'System\.Collections|AksEgressRule \{'
        (Import-Csv $csv | Where-Object Id -eq 'pub.core.tunnel-udp-1194').Alternatives | Should -Be '*'

        $coverage = Join-Path $TestDrive 'coverage.csv'
        Test-AksFirewallPolicy -Path (Join-Path $RepoRoot 'docs/examples/firewall/legacy-policy.json') -Location westeurope -WarningAction SilentlyContinue | Export-Csv -Path $coverage
        $row = Import-Csv $coverage | Where-Object Id -eq 'pub.core.mcr'
        $row.Status | Should -Be 'Allowed'
        $row.Requirement | Should -Be 'pub.core.mcr: Https:443 -> mcr.microsoft.com'
    }

    It 'writes the NetworkPolicy answers as names and text' {
        $examples = Join-Path $RepoRoot 'docs/examples/k8s'
        (Test-AksNetworkPolicy -Path $examples -Engine AzureNpmWindows | ConvertTo-Json | ConvertFrom-Json)[0].Severity | Should -BeIn 'Error', 'Warning', 'Information'
        $csv = Join-Path $TestDrive 'matrix.csv'
        Test-AksNetworkPolicy -Path $examples -Matrix | Export-Csv -Path $csv
        (Import-Csv $csv).AllowedPorts | Should -Be 'TCP/80'
    }

    It 'writes New-AksFirewallPolicy''s result with its action and changes by name' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
        Use-ArmEmulator
        Reset-ArmEmulator -NoPolicy
        $result = Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -PolicyLocation westeurope -Confirm:$false
        # The policy it created has DNS proxy on, and the result says so.
        $result.PolicyCreated | Should -BeTrue
        $result.DnsProxyEnabled | Should -BeTrue
        $json = $result | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $json.Action | Should -Be 'Create'
        @($json.Changes).Count | Should -Be 10
        $json.Changes[0].Change | Should -Be 'Added'
        ($result | ConvertTo-Csv | ConvertFrom-Csv).Changes | Should -BeLike '+ aks-egress-*'
        # Run again: in sync, and DNS proxy is still reported as it is.
        (Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16).DnsProxyEnabled | Should -BeTrue
    }
}
