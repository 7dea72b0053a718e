BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'Get-AksEgressCatalog' {
    It 'returns the embedded catalog with its version, editions and dated amendments' {
        $catalog = Get-AksEgressCatalog
        $catalog.Origin | Should -Be '(embedded)'
        $catalog.Version | Should -Not -BeNullOrEmpty
        $catalog.Editions.Name | Should -Be @('Current', 'Legacy2019')
        ($catalog.Amendments | Where-Object Id -eq 'AKS-4792-ADD').Date | Should -Be ([datetime]'2025-03-31')
    }

    It 'shows a one-line table by default' {
        (Get-AksEgressCatalog | Format-Table | Out-String) | Should -Match 'Version\s+Published\s+Rules\s+Amendments\s+Origin'
    }

    # Facts: Azure/AKS#4792 retired acs-mirror.azureedge.net on 2025-05-31; azure-aks-docs 5c524afc3 (2025-07-03) added
    # *.cloud.defender.microsoft.com to the Defender table; 5378de9f7 (2024-12-06) removed <cluster-region-name>.ingest.monitor.azure.com.
    It 'lists each dated change of the rules with the revision or announcement behind it' {
        $changes = Get-AksEgressCatalog | Select-Object -ExpandProperty Changes
        $defender = $changes | Where-Object Destination -eq '*.cloud.defender.microsoft.com'
        ($defender.Date, $defender.Change, $defender.Feature, $defender.Clouds) | Should -Be @([datetime]'2025-07-03', 'Added', 'Defender', 'All')
        $defender.SourceUrl | Should -Be 'https://github.com/MicrosoftDocs/azure-aks-docs/blob/5c524afc3c299e2dd25022cd529b294c65a9a37f/articles/aks/outbound-rules-control-egress.md'
        $acs = $changes | Where-Object { $_.Destination -eq 'acs-mirror.azureedge.net' -and $_.Clouds -eq 'AzureCloud' }
        ($acs.Date, $acs.Change, $acs.SourceUrl) | Should -Be @([datetime]'2025-05-31', 'Removed', 'https://github.com/Azure/AKS/issues/4792')
        # <region>.ingest.monitor.azure.com: added by c98d0481a (2024-01-17), removed by 5378de9f7 (2024-12-06).
        ($changes | Where-Object Rule -eq 'pub.monitor.ingest').Date | Should -Be @([datetime]'2024-01-17', [datetime]'2024-12-06')
        @($changes | Where-Object Date -gt 2025-01-01).Date | Should -Not -Contain ([datetime]'2024-12-06')
        ($changes.Date | Sort-Object) | Should -Be $changes.Date
    }
}
