BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'Export-AksFirewallPolicy' {
    It 'writes a Bicep file and returns it' {
        $path = Join-Path $TestDrive 'aks-egress.bicep'
        $file = Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format Bicep -Path $path -SourceAddress 10.240.0.0/16 -Name fp-hub
        $file.FullName | Should -Be $path
        $text = Get-Content $path -Raw
        $text | Should -BeLike "*param firewallPolicyName string = 'fp-hub'*"
        $text | Should -BeLike "*parent: firewallPolicy*"
    }

    It 'returns an ARM template whose properties are those New-AksFirewallPolicy would PUT' {
        $template = Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format ArmTemplate -SourceAddress 10.240.0.0/16 | ConvertFrom-Json
        $resource = $template.resources[0]
        $resource.type | Should -Be 'Microsoft.Network/firewallPolicies/ruleCollectionGroups'
        $resource.apiVersion | Should -Be '2024-05-01'
        $resource.properties.priority | Should -Be 500
        $resource.properties.ruleCollections.name | Should -Be @('aks-egress-network', 'aks-egress-application')
    }

    It 'returns Terraform with the FQDN tag when asked' {
        $hcl = Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format Terraform -SourceAddress 10.240.0.0/16 -UseFqdnTag
        $hcl | Should -BeLike '*resource "azurerm_firewall_policy_rule_collection_group" "aks_egress"*'
        $hcl.Contains('destination_fqdn_tags = ["AzureKubernetesService"]') | Should -BeTrue
    }

    It 'does not overwrite with -NoClobber' {
        $path = Join-Path $TestDrive 'exists.tf'
        Set-Content $path 'keep'
        $err = { Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format Terraform -Path $path -SourceAddress 10.240.0.0/16 -NoClobber } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'FileExists,AksEgress.PowerShell.ExportAksFirewallPolicyCommand'
        Get-Content $path | Should -Be 'keep'
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.bicep'
        Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format Bicep -Path $path -SourceAddress 10.240.0.0/16 -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'refuses a missing source like New-AksFirewallPolicy' {
        $err = { Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format Bicep } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'NoSource,AksEgress.PowerShell.ExportAksFirewallPolicyCommand'
    }
}

# The exports read by the real tools: the Bicep CLI compiles the Bicep file, HashiCorp's HCL parser reads the
# Terraform file, and what they produce must hold exactly the properties of the ARM export (= the PUT body).
Describe 'Exports read by Bicep and by an HCL parser' -Skip:(-not $env:AKSEGRESS_BICEP) {
    BeforeDiscovery {
        $cases = @(
            @{ Case = 'a default cluster'; Query = @{ Location = 'westeurope' }; Export = @{ SourceAddress = '10.240.0.0/16' } }
            @{ Case = 'every feature and option'; Query = @{ Location = 'westeurope'; Feature = 'Gpu', 'Windows', 'Defender', 'CsiSecretStore', 'AzureMonitor', 'AzurePolicy', 'CostAnalysis', 'ClusterExtensions'; IncludeOptional = $true; DnsServer = '10.0.0.4', '10.0.0.5'; ApiServerAddress = '20.50.1.10' }; Export = @{ SourceAddress = '10.240.0.0/16', '10.241.0.0/16' } }
            @{ Case = 'the FQDN tag and IP groups'; Query = @{ Cloud = 'AzureUSGovernment'; Location = 'usgovvirginia'; Feature = 'AzureMonitor' }; Export = @{ UseFqdnTag = $true; SourceIpGroupId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/ipGroups/aks' } }
        )
    }

    BeforeAll {
        function ConvertTo-Canonical($Value) { $Value | ConvertTo-Json -Depth 20 -Compress }

        # The azurerm resource's blocks and attributes, in ARM's names.
        function ConvertFrom-Terraform($Resource) {
            $collections = foreach ($kind in 'network_rule_collection', 'application_rule_collection') {
                foreach ($c in @($Resource.$kind | Where-Object { $_ })) {
                    [ordered]@{
                        ruleCollectionType = 'FirewallPolicyFilterRuleCollection'; name = $c.name; priority = $c.priority; action = [ordered]@{ type = $c.action }
                        rules = @(foreach ($r in $c.rule) {
                            $rule = [ordered]@{ ruleType = if ($kind -like 'network*') { 'NetworkRule' } else { 'ApplicationRule' }; name = $r.name; description = $r.description }
                            if ($kind -like 'network*') {
                                foreach ($p in @(@('ipProtocols', 'protocols'), @('sourceAddresses', 'source_addresses'), @('sourceIpGroups', 'source_ip_groups'), @('destinationAddresses', 'destination_addresses'), @('destinationFqdns', 'destination_fqdns'), @('destinationPorts', 'destination_ports'))) {
                                    if ($r.($p[1])) { $rule[$p[0]] = @($r.($p[1])) }
                                }
                            }
                            else {
                                $rule.protocols = @(foreach ($p in $r.protocols) { [ordered]@{ protocolType = $p.type; port = $p.port } })
                                foreach ($p in @(@('sourceAddresses', 'source_addresses'), @('sourceIpGroups', 'source_ip_groups'), @('targetFqdns', 'destination_fqdns'), @('fqdnTags', 'destination_fqdn_tags'))) {
                                    if ($r.($p[1])) { $rule[$p[0]] = @($r.($p[1])) }
                                }
                            }
                            $rule
                        })
                    }
                }
            }
            [ordered]@{ priority = $Resource.priority; ruleCollections = @($collections) }
        }
    }

    It 'compiles the Bicep export of <Case> into the ARM export' -ForEach $cases {
        $rules = Get-AksEgressRequirement @Query
        $arm = $rules | Export-AksFirewallPolicy -Format ArmTemplate @Export | ConvertFrom-Json
        $bicepFile = Join-Path $TestDrive 'export.bicep'
        $null = $rules | Export-AksFirewallPolicy -Format Bicep -Path $bicepFile @Export
        $compiled = & $env:AKSEGRESS_BICEP build $bicepFile --stdout 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($compiled -join "`n")
        @($compiled | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty -Because 'the Bicep file compiles without warnings'
        $resource = (($compiled -join "`n") | ConvertFrom-Json).resources | Where-Object type -eq 'Microsoft.Network/firewallPolicies/ruleCollectionGroups'
        $resource.apiVersion | Should -Be $arm.resources[0].apiVersion
        $resource.name | Should -Be $arm.resources[0].name
        ConvertTo-Canonical $resource.properties | Should -Be (ConvertTo-Canonical $arm.resources[0].properties)
    }

    It 'parses the Terraform export of <Case> into the rules of the ARM export' -ForEach $cases {
        if (-not $env:AKSEGRESS_HCL2JSON) { Set-ItResult -Skipped -Because "HashiCorp's HCL parser needs Node.js: $env:AKSEGRESS_HCL2JSON_MISSING" }
        $rules = Get-AksEgressRequirement @Query
        $arm = $rules | Export-AksFirewallPolicy -Format ArmTemplate @Export | ConvertFrom-Json
        $tfFile = Join-Path $TestDrive 'export.tf'
        $null = $rules | Export-AksFirewallPolicy -Format Terraform -Path $tfFile @Export
        $json = & node $env:AKSEGRESS_HCL2JSON $tfFile
        $LASTEXITCODE | Should -Be 0
        $resource = (($json | ConvertFrom-Json).resource.azurerm_firewall_policy_rule_collection_group.aks_egress)[0]
        $resource.name | Should -Be 'aks-egress'
        ConvertTo-Canonical (ConvertFrom-Terraform $resource) | Should -Be (ConvertTo-Canonical $arm.resources[0].properties)
    }
}

Describe 'Export-AksFirewallPolicy and DNS proxy' {
    It 'warns that network rules with FQDNs need DNS proxy, as New-AksFirewallPolicy would refuse them without it' {
        # Seed 003: NTP (UDP 123) to ntp.ubuntu.com is an Optional network rule with an FQDN destination.
        $null = Get-AksEgressRequirement -Location westeurope -IncludeOptional | Export-AksFirewallPolicy -Format Bicep -SourceAddress 10.240.0.0/16 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike '*need DNS proxy*enableProxy*'
        $null = Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format Bicep -SourceAddress 10.240.0.0/16 -WarningVariable none -WarningAction SilentlyContinue
        $none | Should -BeNullOrEmpty
    }
}

Describe 'Export-AksFirewallPolicy names' {
    It 'refuses a policy name ARM would refuse, such as one an ARM template would read as an expression' {
        { Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format ArmTemplate -SourceAddress 10.240.0.0/16 -Name "[concat('a','b')]" } |
            Should -Throw -ErrorId 'InvalidPolicyName,AksEgress.PowerShell.ExportAksFirewallPolicyCommand'
    }
}
