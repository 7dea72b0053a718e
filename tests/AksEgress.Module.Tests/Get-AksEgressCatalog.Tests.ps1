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
}
