BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Legacy = Join-Path $RepoRoot 'docs/examples/firewall/legacy-policy.json'
}

Describe 'Test-AksFirewallPolicy' {
    Context 'From a file' {
        It 'says which rule allows each requirement and what is missing' {
            $result = Test-AksFirewallPolicy -Path $Legacy -Location westeurope -SourceAddress 10.240.0.0/16
            $coverage = $result | Where-Object { $_.PSTypeNames -contains 'AksEgress.Firewall.Coverage.RequirementCoverage' }
            ($coverage | Where-Object Destination -eq 'mcr.microsoft.com').Rule | Should -Be 'registries'
            ($coverage | Where-Object Destination -eq '*.hcp.westeurope.azmk8s.io').Status | Should -Be 'Allowed'
            # The tunnel rule opens TCP 9000 to '*', but UDP 1194 is nowhere.
            ($coverage | Where-Object Id -eq 'pub.core.tunnel-tcp-9000').Status | Should -Be 'Allowed'
            ($coverage | Where-Object Id -eq 'pub.core.tunnel-udp-1194').Status | Should -Be 'Missing'
        }

        It 'counts a rule for every source only when the cluster is among them' {
            # The web rule (any FQDN on 80/443, source *) lets packages.aks.azure.com through.
            ((Test-AksFirewallPolicy -Path $Legacy -Location westeurope) | Where-Object Destination -eq 'packages.aks.azure.com').Rule | Should -Be 'web'
        }

        It 'names the stale 2019 rule and the over-broad one' {
            $hygiene = Test-AksFirewallPolicy -Path $Legacy -Location westeurope | Where-Object { $_.PSTypeNames -contains 'AksEgress.Firewall.Coverage.PolicyHygieneFinding' }
            ($hygiene | Where-Object Kind -eq Stale).Rule | Should -Be 'aksrepos'
            # Over-broad: any destination on 80/443, and any source. TCP 22/9000 to '*' is the documented tunnel alternative.
            ($hygiene | Where-Object Kind -eq OverBroad).Rule | Sort-Object -Unique | Should -Be @('web')
        }

        It 'returns one boolean with -Quiet' {
            Test-AksFirewallPolicy -Path $Legacy -Location westeurope -Quiet | Should -BeFalse
            $path = Join-Path $TestDrive 'mine.json'
            $null = Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format ArmTemplate -SourceAddress 10.240.0.0/16 -Path $path
            Get-AksEgressRequirement -Location westeurope | Test-AksFirewallPolicy -Path $path -SourceAddress 10.240.0.0/16 -Quiet | Should -BeTrue
        }

        It 'refuses a file that is not JSON, or not a firewall policy' {
            Set-Content (Join-Path $TestDrive 'bad.json') '{ nope'
            Set-Content (Join-Path $TestDrive 'pod.json') '{ "kind": "Pod" }'
            { Test-AksFirewallPolicy -Path (Join-Path $TestDrive 'bad.json') -Location westeurope } | Should -Throw -ErrorId 'InvalidPolicyFile,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
            { Test-AksFirewallPolicy -Path (Join-Path $TestDrive 'pod.json') -Location westeurope } | Should -Throw -ErrorId 'NotAFirewallPolicy,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
            { Test-AksFirewallPolicy -Path (Join-Path $TestDrive 'none.json') -Location westeurope } | Should -Throw -ErrorId 'PolicyFileNotFound,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
        }

        It 'needs requirements' {
            { Test-AksFirewallPolicy -Path $Legacy } | Should -Throw -ErrorId 'RequirementsRequired,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
        }
    }

    Context 'Live, against the ARM emulator' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
        BeforeAll { Use-ArmEmulator }

        BeforeEach { Reset-ArmEmulator }

        It 'reads what New-AksFirewallPolicy wrote, finds it complete, and never writes' {
            $rules = Get-AksEgressRequirement -Location westeurope -Feature AzureMonitor
            $null = $rules | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -Confirm:$false
            $writes = @(Get-ArmRequest | Where-Object method -ne 'GET').Count
            $rules | Test-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -Quiet | Should -BeTrue
            @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be $writes
        }

        It 'reports a missing policy' {
            Reset-ArmEmulator -NoPolicy
            { Test-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -Location westeurope } | Should -Throw -ErrorId 'PolicyNotFound,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
        }
    }
}
