BeforeAll { . $PSScriptRoot/Common.ps1 }

Describe 'Get-AksEgressRequirement' {
    Context 'Objects' {
        It 'returns typed rules whose properties a script can filter on' {
            $rules = Get-AksEgressRequirement -Location westeurope
            $rules[0].PSObject.TypeNames[0] | Should -Be 'AksEgress.AksEgressRule'
            ($rules | Where-Object Kind -eq Network).Port | Should -Be @(1194, 9000)
            ($rules | Where-Object Destination -eq 'mcr.microsoft.com').Source | Should -Be 'Outbound network and FQDN rules for AKS clusters (2024-10-10) § Azure Global required FQDN / application rules'
            # Seed 003 is the revision f9be3faa3 of 2024-10-10; a security reviewer can open it.
            ($rules | Where-Object Destination -eq 'mcr.microsoft.com').SourceUrl | Should -Be 'https://github.com/MicrosoftDocs/azure-aks-docs/blob/f9be3faa3436b5bd5fb2cda4d33b5771538031f7/articles/aks/outbound-rules-control-egress.md'
        }

        It 'returns the Azure US Government rules of Azure Monitor and Azure Policy (seed 003)' {
            $rules = Get-AksEgressRequirement -Cloud AzureUSGovernment -Location usgovvirginia -Feature AzureMonitor, AzurePolicy
            $rules.Destination | Should -Contain 'usgovvirginia.handler.control.monitor.azure.us'
            $rules.Destination | Should -Contain 'data.policy.azure.us'
            $rules.Destination | Should -Contain 'management.usgovcloudapi.net'
        }

        It 'leaves only NTP among the network rules of a private cluster with GPU and Windows pools' {
            $rules = Get-AksEgressRequirement -Location eastus -PrivateCluster -Feature Gpu, Windows -IncludeOptional | Where-Object Kind -eq Network
            $rules.Destination | Should -Be @('ntp.ubuntu.com')
            $rules.Category | Should -Be 'Optional'
        }

        It 'says with -Verbose which rules it left out and why' {
            $verbose = Get-AksEgressRequirement -Location eastus -PrivateCluster -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose.Message | Should -Contain 'Left out pub.core.tunnel-udp-1194: Not needed: the cluster is private (-PrivateCluster).'
        }

        It 'warns when the source documents no rules for a feature in the cloud' {
            $rules = Get-AksEgressRequirement -Cloud AzureChinaCloud -Location chinaeast2 -Feature CsiSecretStore -WarningVariable warnings -WarningAction SilentlyContinue
            $rules | Where-Object Feature -eq CsiSecretStore | Should -BeNullOrEmpty
            "$warnings" | Should -Match 'CsiSecretStore in AzureChinaCloud'
        }

        It 'shows the rule set of an earlier date with -AsOf' {
            (Get-AksEgressRequirement -Location westeurope -AsOf '2025-01-01').Destination | Should -Contain 'acs-mirror.azureedge.net'
            (Get-AksEgressRequirement -Location westeurope).Destination | Should -Not -Contain 'acs-mirror.azureedge.net'
        }

        It 'lists the obsolete 2019 edition only when asked' {
            (Get-AksEgressRequirement -Location westeurope -Edition Legacy2019).Destination | Should -Contain 'aksrepos.azurecr.io'
            (Get-AksEgressRequirement -Location westeurope -IncludeOptional).Destination | Should -Not -Contain 'aksrepos.azurecr.io'
        }
    }

    Context 'Pipeline' {
        It 'takes locations by value' {
            $rules = 'westeurope', 'eastus' | Get-AksEgressRequirement
            ($rules.Location | Sort-Object -Unique) | Should -Be @('eastus', 'westeurope')
        }

        It 'takes the Location property of objects such as Get-AzAksCluster output' {
            $rules = [pscustomobject]@{ Name = 'aks1'; Location = 'West Europe' } | Get-AksEgressRequirement
            $rules.Destination | Should -Contain '*.hcp.westeurope.azmk8s.io'
        }

        It 'takes several regions in -Location' {
            (Get-AksEgressRequirement -Location westeurope, eastus).Location | Sort-Object -Unique | Should -Be @('eastus', 'westeurope')
        }

        It 'reports a bad location as a non-terminating error and goes on with the next one' {
            $rules = 'westeurope', 'westeurop', 'eastus' | Get-AksEgressRequirement -ErrorVariable errs -ErrorAction SilentlyContinue
            ($rules.Location | Sort-Object -Unique) | Should -Be @('eastus', 'westeurope')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'UnknownLocation,AksEgress.PowerShell.GetAksEgressRequirementCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].TargetObject | Should -Be 'westeurop'
            $errs[0].Exception.Message | Should -Match "Did you mean 'westeurope'"
        }
    }

    Context 'Bad input' {
        It 'names the valid features when a feature is unknown' {
            { Get-AksEgressRequirement -Location westeurope -Feature Gpus } | Should -Throw -ExpectedMessage '*Gpu, Windows, Defender, CsiSecretStore, AzureMonitor, AzurePolicy, CostAnalysis, ClusterExtensions*'
        }

        It 'names the valid clouds when a cloud is unknown' {
            { Get-AksEgressRequirement -Location westeurope -Cloud AzureGermany } | Should -Throw -ExpectedMessage '*AzureCloud, AzureChinaCloud, AzureUSGovernment*'
        }

        It 'refuses a DNS server that is not an IP address' {
            $err = { Get-AksEgressRequirement -Location westeurope -DnsServer 10.0.0.300 } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,AksEgress.PowerShell.GetAksEgressRequirementCommand' -PassThru
            $err.Exception.Message | Should -BeLike '*"10.0.0.300"*System.Net.IPAddress*'
        }

        It 'says which cloud a region belongs to' {
            Get-AksEgressRequirement -Location chinaeast2 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match '-Cloud AzureChinaCloud'
        }

        It 'stops with CatalogNotFound for a catalog file that does not exist' {
            { Get-AksEgressRequirement -Location westeurope -CatalogPath (Join-Path $TestDrive 'none.yaml') } | Should -Throw -ErrorId 'CatalogNotFound,AksEgress.PowerShell.GetAksEgressRequirementCommand'
        }

        It 'stops with CatalogNotFound for a folder given as the catalog' {
            $err = { Get-AksEgressRequirement -Location westeurope -CatalogPath $TestDrive } | Should -Throw -ErrorId 'CatalogNotFound,AksEgress.PowerShell.GetAksEgressRequirementCommand' -PassThru
            $err.Exception.Message | Should -BeLike '*is a folder, not a catalog file*'
        }

        It 'refuses an empty location' {
            { Get-AksEgressRequirement -Location '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,AksEgress.PowerShell.GetAksEgressRequirementCommand'
        }

        It 'stops with InvalidCatalog naming the file, line and field of a bad catalog' {
            $path = Join-Path $TestDrive 'bad.yaml'
            Set-Content $path "schemaVersion: 1`ncatalogVersion: x`npublished: 2026-01-01`nsources: []`nclouds: []`neditions: [ { name: Current } ]`namendments: []`nrules:`n  - { id: r, category: Required, kind: Network, protocol: Udp, port: 99999, destinations: ['*'], use: u, source: [] }"
            $err = { Get-AksEgressRequirement -Location westeurope -CatalogPath $path } | Should -Throw -ErrorId 'InvalidCatalog,AksEgress.PowerShell.GetAksEgressRequirementCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "*bad.yaml:9:*: `$.rules``[0``].port: Port 99999 is out of range; valid ports are 1 to 65535.*"
        }

        It 'uses a valid user catalog instead of the embedded one' {
            $path = Join-Path $TestDrive 'mine.yaml'
            Set-Content $path "schemaVersion: 1`ncatalogVersion: mine.1`npublished: 2026-01-01`nsources: [ { id: d, document: d.txt, title: D } ]`nclouds: [ { name: AzureCloud, regions: [westeurope] } ]`neditions: [ { name: Current } ]`namendments: []`nrules:`n  - { id: r, category: Required, kind: Application, protocol: Https, port: 443, destinations: [new.example.com], use: u, source: { ref: d, section: S } }"
            $rule = Get-AksEgressRequirement -Location westeurope -CatalogPath $path
            ($rule.Destination, $rule.CatalogVersion) | Should -Be @('new.example.com', 'mine.1')
        }
    }

    Context 'Tab completion' {
        It 'completes -Location with the regions of Azure public' {
            $r = TabExpansion2 -inputScript ($s = 'Get-AksEgressRequirement -Location westeu') -cursorColumn $s.Length
            $r.CompletionMatches.CompletionText | Should -Be @('westeurope')
        }

        It 'completes -Location with the regions of the cloud given with -Cloud' {
            $r = TabExpansion2 -inputScript ($s = 'Get-AksEgressRequirement -Cloud AzureUSGovernment -Location usgov') -cursorColumn $s.Length
            $r.CompletionMatches.CompletionText | Should -Be @('usgovarizona', 'usgovtexas', 'usgovvirginia')
        }

        It 'completes -Feature with the feature names' {
            $r = TabExpansion2 -inputScript ($s = 'Get-AksEgressRequirement -Location westeurope -Feature Azure') -cursorColumn $s.Length
            $r.CompletionMatches.CompletionText | Should -Be @('AzureMonitor', 'AzurePolicy')
        }
    }

    Context 'From a cluster, against the ARM emulator' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
        BeforeAll { Use-ArmEmulator }
        BeforeEach { Reset-ArmEmulator }

        It 'reads region, node pools, add-ons, extensions and DNS servers from the cluster' {
            $rules = Get-AksEgressRequirement -ResourceGroupName rg-hub -ClusterName aks1
            ($rules.Location | Sort-Object -Unique) | Should -Be 'westeurope'
            ($rules.Feature | ForEach-Object ToString | Sort-Object -Unique) | Should -Be @('AzureMonitor', 'ClusterExtensions', 'Gpu', 'None', 'Windows')
            ($rules | Where-Object Port -eq 53).Destination | Should -Be '10.0.0.4'
        }

        It 'says with -Verbose what it read from the cluster' {
            $verbose = Get-AksEgressRequirement -ClusterResourceId "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.ContainerService/managedClusters/aks1" -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose.Message | Should -Contain 'From the cluster: Windows: node pool win1 has osType Windows'
        }

        # A network isolated cluster has networkProfile.outboundType none or block (ARM's managedClusters contract).
        It 'gives a network isolated cluster only the rules of its features' -ForEach @(@{ OutboundType = 'none' }, @{ OutboundType = 'block' }) {
            $id = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.ContainerService/managedClusters/aks-ni"
            Set-ArmResource $id @{ location = 'westeurope'; properties = @{
                agentPoolProfiles = @(); networkProfile = @{ outboundType = $OutboundType }; securityProfile = @{ workloadIdentity = @{ enabled = $true } }; addonProfiles = @{ azureKeyvaultSecretsProvider = @{ enabled = $true } } } }
            $output = Get-AksEgressRequirement -ClusterResourceId $id -Verbose 4>&1
            $rules = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $rules.Destination | Should -Be @('login.microsoftonline.com', '*.vault.azure.net')
            ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "From the cluster: network isolated: properties.networkProfile.outboundType is $OutboundType"
        }

        It 'names a cluster that does not exist' {
            { Get-AksEgressRequirement -ResourceGroupName rg-hub -ClusterName nope } | Should -Throw -ErrorId 'ClusterNotFound,AksEgress.PowerShell.GetAksEgressRequirementCommand'
        }

        It 'names a cluster that is in another cloud than -Cloud' {
            $id = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.ContainerService/managedClusters/aks-cn"
            Invoke-RestMethod -Method Put -Uri "$($ArmUrl)_emulator/resources?id=$([uri]::EscapeDataString($id))" -ContentType application/json -Body '{ "location": "chinaeast2", "properties": { "agentPoolProfiles": [] } }' | Out-Null
            $err = { Get-AksEgressRequirement -ClusterResourceId $id } | Should -Throw -ErrorId 'ClusterInAnotherCloud,AksEgress.PowerShell.GetAksEgressRequirementCommand' -PassThru
            $err.Exception.Message | Should -BeLike '*-Cloud AzureChinaCloud*'
        }

        It 'finds the subscription as the firewall cmdlets do, and asks for it when nothing decides' {
            # Use-ArmEmulator gives no subscription: the only one the credential sees is used.
            (Get-AksEgressRequirement -ResourceGroupName rg-hub -ClusterName aks1).Location | Sort-Object -Unique | Should -Be 'westeurope'
            Reset-ArmEmulator -OtherSubscription
            $err = { Get-AksEgressRequirement -ResourceGroupName rg-hub -ClusterName aks1 } | Should -Throw -ErrorId 'SubscriptionRequired,AksEgress.PowerShell.GetAksEgressRequirementCommand' -PassThru
            $err.Exception.Message | Should -BeLike '*Give -SubscriptionId, set AZURE_SUBSCRIPTION_ID*'
        }

        It 'reads the cluster of an object piped from Get-AzAksCluster (its Id, not only its Location)' {
            $cluster = [pscustomobject]@{ Id = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.ContainerService/managedClusters/aks1"; Location = 'westeurope'; Name = 'aks1' }
            $rules = $cluster | Get-AksEgressRequirement
            # The Windows and GPU node pools of the emulator's aks1 add their features' rules.
            $rules.Feature | Should -Contain 'Gpu'
            $rules.Feature | Should -Contain 'Windows'
        }

        It 'refuses a cluster name that breaks ARM''s rules before any request' {
            Reset-ArmEmulator
            { Get-AksEgressRequirement -ResourceGroupName rg-hub -ClusterName 'aks1?api-version=2024-05-01&' } | Should -Throw -ErrorId 'InvalidClusterId,AksEgress.PowerShell.GetAksEgressRequirementCommand'
            @(Get-ArmRequest).Count | Should -Be 0
        }

        It 'refuses a malformed cluster id' {
            { Get-AksEgressRequirement -ClusterResourceId '/subscriptions/x/aks1' } | Should -Throw -ErrorId 'InvalidClusterId,AksEgress.PowerShell.GetAksEgressRequirementCommand'
        }
    }
}

# The rules as MicrosoftDocs/azure-aks-docs articles/aks/outbound-rules-control-egress.md states them, transcribed by
# hand from its revisions: the Azure Monitor tables before 2024-12-06 (the seed 003 era) and at 2026-06-18 (the
# latest), the China MCR cache rows of 2025-05-08 and 2025-05-13, the Defender row of 2025-07-03.
Describe 'Get-AksEgressRequirement -NetworkIsolated' {
    It 'leaves out every core rule, saying why, and keeps the rules of the features' {
        $output = Get-AksEgressRequirement -Location westeurope -NetworkIsolated -Feature Defender -Verbose 4>&1
        $rules = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $rules.Category | Sort-Object -Unique | Should -Be 'Feature'
        # The Defender table of the latest revision: four rows.
        $rules.Destination | Should -Be @('login.microsoftonline.com', '*.ods.opinsights.azure.com', '*.oms.opinsights.azure.com', '*.cloud.defender.microsoft.com')
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'Left out pub.core.mcr: Not needed: the cluster is network isolated (-NetworkIsolated); it pulls its images through its private ACR cache, not from the internet.'
    }

    # The document lists no CSI Secret Store rules for China; the core rules that would cover it are left out here.
    It 'does not claim the core rules cover a feature when it has left them out' {
        $rules = Get-AksEgressRequirement -Cloud AzureChinaCloud -Location chinaeast2 -NetworkIsolated -Feature CsiSecretStore -WarningVariable warnings -WarningAction SilentlyContinue
        $rules | Should -BeNullOrEmpty
        "$warnings" | Should -BeLike '*no egress rules for CsiSecretStore in AzureChinaCloud*no core rules*'
        "$warnings" | Should -Not -BeLike '*covered by the core rules*'
    }

    # Workload identity's row (login.microsoftonline.com or login.chinacloudapi.cn or login.microsoftonline.us) first appears
    # in the revision of 2024-12-07 (azure-aks-docs e69a70bc1): one rule per cloud.
    It 'keeps the Microsoft Entra rule of workload identity, from the revision that added it' -ForEach @(
        @{ Cloud = 'AzureCloud'; Location = 'westeurope'; Login = 'login.microsoftonline.com' }
        @{ Cloud = 'AzureChinaCloud'; Location = 'chinaeast2'; Login = 'login.chinacloudapi.cn' }
        @{ Cloud = 'AzureUSGovernment'; Location = 'usgovvirginia'; Login = 'login.microsoftonline.us' }
    ) {
        (Get-AksEgressRequirement -Cloud $Cloud -Location $Location -NetworkIsolated -Feature WorkloadIdentity).Destination | Should -Be @($Login)
        $before = Get-AksEgressRequirement -Cloud $Cloud -Location $Location -NetworkIsolated -Feature WorkloadIdentity -AsOf 2024-12-06 -WarningVariable warnings -WarningAction SilentlyContinue
        $before | Should -BeNullOrEmpty
        "$warnings" | Should -BeLike '*no egress rules for WorkloadIdentity*'
    }
}

Describe 'Get-AksEgressRequirement follows the revisions of the AKS egress document' {
    # Since the revision of 2024-12-07 (azure-aks-docs b8cb3b9b3) the sections "Istio-based service mesh add-on" and
    # "Application routing add-on" have no table: they send you to the Key Vault rules (vault.azure.net, *.vault.usgovcloudapi.net).
    It 'gives the Istio and application routing add-ons the Key Vault rules their sections send to' -ForEach @(
        @{ Feature = 'Istio'; Section = 'Istio-based service mesh add-on' }
        @{ Feature = 'ApplicationRouting'; Section = 'Application routing add-on' }
    ) {
        $rule = Get-AksEgressRequirement -Location westeurope -Feature $Feature | Where-Object Feature -eq $Feature
        $rule.Destination | Should -Be '*.vault.azure.net'
        $rule.Source | Should -BeLike "*(2024-12-07) § $Section"
        $rule.Condition | Should -Not -BeNullOrEmpty
        (Get-AksEgressRequirement -Cloud AzureUSGovernment -Location usgovvirginia -Feature $Feature | Where-Object Feature -eq $Feature).Destination | Should -Be '*.vault.usgovcloudapi.net'
        Get-AksEgressRequirement -Location westeurope -Feature $Feature -AsOf 2024-12-06 -WarningAction SilentlyContinue | Where-Object Feature -eq $Feature | Should -BeNullOrEmpty
    }

    It 'gives the Azure Monitor FQDNs of the latest revision for Azure public' {
        $monitor = Get-AksEgressRequirement -Location westeurope -Feature AzureMonitor -AzureMonitorAccess Fqdn | Where-Object Category -eq Feature
        # login.microsoftonline.com is in that table too (line 216, added by that revision), so it is the feature's rule as
        # well as a core one, as Defender's and workload identity's are: one rule per row of each section.
        $monitor.Destination | Sort-Object | Should -Be (@('*.ods.opinsights.azure.com', '*.oms.opinsights.azure.com', 'dc.services.visualstudio.com', 'login.microsoftonline.com',
            '*.in.applicationinsights.azure.com', '*.monitoring.azure.com', 'global.handler.control.monitor.azure.com', '*.ingest.monitor.azure.com',
            '*.metrics.ingest.monitor.azure.com', 'westeurope.handler.control.monitor.azure.com') | Sort-Object)
        ($monitor | Where-Object Destination -eq '*.in.applicationinsights.azure.com').SourceUrl | Should -Be 'https://github.com/MicrosoftDocs/azure-aks-docs/blob/80540a38627b99516f145da9f66dea8cca6065d6/articles/aks/outbound-rules-control-egress.md'
    }

    It 'gives the Azure Monitor FQDNs of the latest revision for Azure US Government' {
        $monitor = Get-AksEgressRequirement -Cloud AzureUSGovernment -Location usgovvirginia -Feature AzureMonitor -AzureMonitorAccess Fqdn | Where-Object Category -eq Feature
        $monitor.Destination | Sort-Object | Should -Be (@('*.ods.opinsights.azure.us', '*.oms.opinsights.azure.us', 'dc.services.visualstudio.com',
            '*.in.applicationinsights.azure.com', 'global.handler.control.monitor.azure.us', 'usgovvirginia.handler.control.monitor.azure.us',
            '*.ingest.monitor.azure.us', '*.metrics.ingest.monitor.azure.us') | Sort-Object)
    }

    It 'gives the Azure Monitor FQDNs as they stood before the revision of 2024-12-06' {
        $monitor = Get-AksEgressRequirement -Location westeurope -Feature AzureMonitor -AzureMonitorAccess Fqdn -AsOf 2024-11-01 | Where-Object Category -eq Feature
        $monitor.Destination | Sort-Object | Should -Be (@('dc.services.visualstudio.com', '*.ods.opinsights.azure.com', '*.oms.opinsights.azure.com',
            '*.monitoring.azure.com', 'westeurope.ingest.monitor.azure.com', 'westeurope.handler.control.monitor.azure.com') | Sort-Object)
        $china = Get-AksEgressRequirement -Cloud AzureChinaCloud -Location chinaeast2 -Feature AzureMonitor -AzureMonitorAccess Fqdn -AsOf 2024-11-01 | Where-Object Category -eq Feature
        $china.Destination | Should -Contain 'dc.services.visualstudio.cn'
    }

    It 'adds the China MCR cache on the dates the document did' -ForEach @(
        @{ AsOf = '2025-01-01'; Expected = @() }
        @{ AsOf = '2025-05-10'; Expected = @('mcr.azure.cn') }
        @{ AsOf = '2026-06-18'; Expected = @('mcr.azure.cn', '*.data.mcr.azure.cn') }
    ) {
        $cache = (Get-AksEgressRequirement -Cloud AzureChinaCloud -Location chinaeast2 -AsOf $AsOf).Destination | Where-Object { $_ -like '*mcr.azure.cn' }
        @($cache) | Should -Be $Expected
    }

    # The revision of 2026-06-18 still has the acs-mirror.azureedge.net row; Azure/AKS#4792 retired it on 2025-05-31.
    It 'follows the retirement of acs-mirror.azureedge.net and says the document still lists it' {
        (Get-AksEgressRequirement -Location westeurope).Destination | Should -Not -Contain 'acs-mirror.azureedge.net'
        $acs = Get-AksEgressRequirement -Location westeurope -AsOf 2025-05-30 | Where-Object Destination -eq 'acs-mirror.azureedge.net'
        $acs.Note | Should -BeLike '*still lists it*Azure/AKS issue 4792 retired it on 2025-05-31*'
    }

    It 'adds the Defender endpoint of 2025-07-03' {
        (Get-AksEgressRequirement -Location westeurope -Feature Defender).Destination | Should -Contain '*.cloud.defender.microsoft.com'
        (Get-AksEgressRequirement -Location westeurope -Feature Defender -AsOf 2025-07-02).Destination | Should -Not -Contain '*.cloud.defender.microsoft.com'
    }
}
