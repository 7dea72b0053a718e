BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Package = Join-Path $RepoRoot 'out/package'
}

Describe 'The packages' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../../out/package/AksEgress.zip'))) {
    It 'AksEgress.zip holds the module folder whose name matches the zip and the manifest, within Automation''s limits' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = Join-Path $Package 'AksEgress.zip'
        (Get-Item $zip).Length | Should -BeLessThan 100MB
        $archive = [IO.Compression.ZipFile]::OpenRead($zip)
        try {
            $names = $archive.Entries.FullName
            $names | Should -Contain 'AksEgress/AksEgress.psd1'
            $names | Should -Contain 'AksEgress/AksEgress.dll'
            $names | ForEach-Object { $_ | Should -BeLike 'AksEgress/*'; $_.Length | Should -BeLessThan 140 }
        }
        finally { $archive.Dispose() }
    }

    It 'the .nupkg installs with PSResourceGet into a temporary path and imports in a fresh session' {
        $repository = "AksEgressTest-$PID"
        Register-PSResourceRepository -Name $repository -Uri $Package -Trusted
        try {
            Save-PSResource -Name AksEgress -Repository $repository -Path $TestDrive -TrustRepository -Quiet
        }
        finally { Unregister-PSResourceRepository -Name $repository }
        $manifest = Get-ChildItem (Join-Path $TestDrive 'AksEgress') -Recurse -Filter AksEgress.psd1 | Select-Object -First 1
        $manifest | Should -Not -BeNullOrEmpty
        $count = Invoke-FreshPwsh "Import-Module '$($manifest.FullName)'; (Get-AksEgressRequirement -Location westeurope).Count"
        $count | Should -Be 10
    }
}

Describe 'The Automation runbook example' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
    BeforeAll {
        Use-ArmEmulator
        $script:Runbook = Join-Path $RepoRoot 'docs/examples/automation/Test-AksEgressDrift.ps1'
        # As in Automation, the module is found by name.
        $script:SavedPath = $env:PSModulePath
        $env:PSModulePath = (Split-Path (Split-Path $ModulePath)) + [IO.Path]::PathSeparator + $env:PSModulePath
    }

    AfterAll { $env:PSModulePath = $SavedPath }

    BeforeEach { Reset-ArmEmulator }

    It 'passes when the policy allows every required rule' {
        $null = Get-AksEgressRequirement -Location westeurope -Feature AzureMonitor | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -Confirm:$false
        # No -SubscriptionId: as with a managed identity that sees one subscription.
        $output = & $Runbook -ResourceGroupName rg-hub -FirewallPolicyName fp-hub -Location westeurope -Feature AzureMonitor -SourceAddress 10.240.0.0/16
        # 10 core rules of westeurope and the 10 FQDN rules of Azure Monitor (the document's revision of 2026-06-18).
        $output | Should -Be 'All 20 required AKS egress rules are allowed by firewall policy fp-hub.'
    }

    It 'fails the job and lists what is missing when the policy drifted' {
        { & $Runbook -SubscriptionId $TestSubscription -ResourceGroupName rg-hub -FirewallPolicyName fp-hub -Location westeurope } |
            Should -Throw -ExpectedMessage '10 of 10 required AKS egress rules are not allowed by firewall policy fp-hub.'
    }
}
