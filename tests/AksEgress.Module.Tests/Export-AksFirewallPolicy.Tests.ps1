BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'Export-AksFirewallPolicy' {
    It 'writes a Bicep file and returns it' {
        $path = Join-Path $TestDrive 'aks-egress.bicep'
        $file = Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format Bicep -Path $path -SourceAddress 10.240.0.0/16 -FirewallPolicyName fp-hub
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
