@{
    # In the repository the binaries are those build.ps1 makes in out/AksEgress (Import-Module ./AksEgress.psd1 then loads
    # the last build); the build writes this manifest into out/AksEgress with the 'out/AksEgress/' prefix removed.
    RootModule             = 'out/AksEgress/AksEgress.dll'
    # Imported first: isolates the engine and its dependencies (Azure.Core, ...) from other modules' (Az.Accounts').
    NestedModules          = @('out/AksEgress/AksEgress.Init.dll')
    # What the README's Compatibility table proves: PowerShell 7.4+ (.NET 8, .NET 10) and Windows PowerShell 5.1 on .NET Framework 4.7.2+.
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core', 'Desktop')
    GUID                   = '7d0c5f55-2a7e-4d4b-9a63-4c1f5b8a2e61'
    Author                 = 'AksEgress contributors'
    CompanyName            = 'AksEgress contributors'
    Copyright              = '(c) AksEgress contributors.'
    Description            = 'Egress rules for Azure Kubernetes Service behind Azure Firewall: which outbound rules a cluster needs (Azure public, China, US Government; private clusters; GPU, Windows, Defender, Azure Monitor and other add-ons), each traceable to its source, from an embedded catalog that works offline.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('AksEgress.Format.ps1xml')
    CmdletsToExport        = @('Get-AksEgressRequirement', 'Get-AksEgressCatalog', 'New-AksFirewallPolicy', 'Export-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Test-AksNetworkPolicy', 'Update-AksEgressCatalog')
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('AKS', 'Kubernetes', 'Azure', 'AzureFirewall', 'Firewall', 'Egress', 'Network', 'NetworkPolicy', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'AzureAutomation')
            ReleaseNotes = 'Get-AksEgressRequirement and Get-AksEgressCatalog over the embedded catalog 2026.11.1; New-AksFirewallPolicy and Export-AksFirewallPolicy (ARM, Bicep, Terraform); Test-AksFirewallPolicy (coverage, stale and over-broad rules); Test-AksNetworkPolicy (validation, engine compatibility, lint, reachability). Runs on PowerShell 7.4 (.NET 8) and Windows PowerShell 5.1 as on 7.6: complete dependency closures for .NET and .NET Framework, checked at import.'
        }
    }
}
