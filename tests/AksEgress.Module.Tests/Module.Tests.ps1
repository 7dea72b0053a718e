BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'The AksEgress module as built' {
    It 'has a manifest that passes Test-ModuleManifest with version, tags and PowerShellVersion' {
        $manifest = Test-ModuleManifest -Path $ModulePath
        $manifest.Version | Should -Not -BeNullOrEmpty
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.Tags | Should -Contain 'AKS'
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        (Get-Command -Module AksEgress).Name | Sort-Object | Should -Be @('Export-AksFirewallPolicy', 'Get-AksEgressCatalog', 'Get-AksEgressRequirement', 'New-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Test-AksNetworkPolicy')
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
        # The root holds the cmdlets, the initializer and the loader; the engine and its dependencies are isolated in Dependencies/.
        $expected = @('AksEgress.psd1', 'AksEgress.Format.ps1xml', 'en-US/AksEgress.dll-Help.xml', 'AksEgress.dll', 'AksEgress.Init.dll', 'AksEgress.Loader.dll') + (@(
                'AksEgress.Core', 'AksEgress.Azure', 'YamlDotNet', 'Azure.Core', 'Azure.Identity', 'Azure.ResourceManager',
                'System.ClientModel', 'System.Memory.Data', 'Microsoft.Identity.Client', 'Microsoft.Identity.Client.Extensions.Msal',
                'Microsoft.IdentityModel.Abstractions', 'Microsoft.Extensions.Configuration.Abstractions',
                'Microsoft.Extensions.DependencyInjection.Abstractions', 'Microsoft.Extensions.Diagnostics.Abstractions',
                'Microsoft.Extensions.FileProviders.Abstractions', 'Microsoft.Extensions.Hosting.Abstractions',
                'Microsoft.Extensions.Logging.Abstractions', 'Microsoft.Extensions.Options', 'Microsoft.Extensions.Primitives') | ForEach-Object { "Dependencies/$_.dll" })
        $files | Sort-Object | Should -Be ($expected | Sort-Object)
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
