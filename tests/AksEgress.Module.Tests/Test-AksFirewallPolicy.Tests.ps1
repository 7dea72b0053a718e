BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:Legacy = Join-Path $RepoRoot 'docs/examples/firewall/legacy-policy.json'
}

Describe 'Test-AksFirewallPolicy' {
    Context 'From a file' {
        It 'says which rule allows each requirement and what is missing, as one type of object' {
            $coverage = Test-AksFirewallPolicy -Path $Legacy -Location westeurope -SourceAddress 10.240.0.0/16 -WarningVariable warnings -WarningAction SilentlyContinue
            $coverage | ForEach-Object { $_.PSTypeNames[0] | Should -Be 'AksEgress.Firewall.Coverage.RequirementCoverage' }
            # hcp (it also allows *.tun, which only 2019 needed), aksrepos (stale) and web (over-broad).
            $warnings | Should -Be '3 rules of the policy are stale or over-broad; list them with -Hygiene.'
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

        It 'names the stale 2019 rule and the over-broad one with -Hygiene' {
            $hygiene = Test-AksFirewallPolicy -Path $Legacy -Location westeurope -Hygiene
            $hygiene | ForEach-Object { $_.PSTypeNames[0] | Should -Be 'AksEgress.Firewall.Coverage.PolicyHygieneFinding' }
            # aksrepos allows only 2019 destinations (AKSFW001); hcp also allows *.tun.westeurope.azmk8s.io (2019's TCP 22/9000 tunnel, AKSFW004).
            ($hygiene | Where-Object Code -eq AKSFW001).Rule | Should -Be 'aksrepos'
            ($hygiene | Where-Object Code -eq AKSFW004) | ForEach-Object { "$($_.Rule) $($_.Destination)" } | Should -Be 'hcp *.tun.westeurope.azmk8s.io'
            # Over-broad: any destination on 80/443, and any source. TCP 22/9000 to '*' is the documented tunnel alternative.
            ($hygiene | Where-Object Kind -eq OverBroad).Rule | Sort-Object -Unique | Should -Be @('web')
        }

        It 'gives each review finding its rule, and selects them by rule' {
            $hygiene = Test-AksFirewallPolicy -Path $Legacy -Location westeurope -Hygiene
            ($hygiene | Where-Object Rule -eq 'aksrepos').Code | Should -Be 'AKSFW001'
            ($hygiene | Where-Object Rule -eq 'aksrepos').RuleName | Should -Be 'StaleRule'
            (Test-AksFirewallPolicy -Path $Legacy -Location westeurope -Hygiene -IncludeRule StaleRule).Rule | Should -Be 'aksrepos'
            (Test-AksFirewallPolicy -Path $Legacy -Location westeurope -Hygiene -ExcludeRule 'AKSFW001').Code | Should -Not -Contain 'AKSFW001'
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

        It 'keeps its questions apart at bind time, each with its output type' {
            { Test-AksFirewallPolicy -Path $Legacy -Location westeurope -Hygiene -Quiet } | Should -Throw -ErrorId 'AmbiguousParameterSet,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
            $outputs = (Get-Command Test-AksFirewallPolicy).ImplementingType.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true)
            foreach ($set in 'ByName', 'ById', 'FromFile', 'ByFirewall') {
                ($outputs | Where-Object { $set -in $_.ParameterSetName }).Type.Name | Should -Be 'AksEgress.Firewall.Coverage.RequirementCoverage'
                # Findings: the policy's rules to review and, with a cluster, the breaks in its egress path (both the finding shape).
                ($outputs | Where-Object { "${set}Hygiene" -in $_.ParameterSetName }).Type.Name | Should -Be 'AksEgress.Firewall.Coverage.PolicyHygieneFinding', 'AksEgress.Firewall.Coverage.EgressPathFinding'
                ($outputs | Where-Object { "${set}Quiet" -in $_.ParameterSetName }).Type.Name | Should -Be 'System.Boolean'
            }
        }

        It 'refuses a source that is not an address, as New-AksFirewallPolicy does' -ForEach @(@{ Source = 'banana' }, @{ Source = '10.240.0.0/33' }) {
            $err = { Test-AksFirewallPolicy -Path $Legacy -Location westeurope -SourceAddress $Source } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'InvalidSourceAddress,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'takes every requirement parameter Get-AksEgressRequirement takes, and several regions' {
            # One UDP 53 rule per custom DNS server (seed 003): nothing in the legacy policy allows it.
            $coverage = Test-AksFirewallPolicy -Path $Legacy -Location westeurope, eastus -DnsServer 10.0.0.4 -AsOf 2026-11-27 -WarningAction SilentlyContinue
            ($coverage | Where-Object { $_.Port -eq 'Udp/53' }).Status | Sort-Object -Unique | Should -Be 'Missing'
            ($coverage | Where-Object Destination -eq '*.hcp.eastus.azmk8s.io').Status | Should -Be 'Allowed'
        }

        It 'counts a rule that names the cluster''s IP group as a source' {
            $ipGroup = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/ipGroups/aks'
            $path = Join-Path $TestDrive 'ipgroup.json'
            $null = Get-AksEgressRequirement -Location westeurope | Export-AksFirewallPolicy -Format ArmTemplate -SourceIpGroupId $ipGroup -Path $path
            Get-AksEgressRequirement -Location westeurope | Test-AksFirewallPolicy -Path $path -SourceIpGroupId $ipGroup -Quiet | Should -BeTrue
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

# Issue 11: the firewalls people have. docs/examples/firewall/hub.json holds three policies: fp-spoke inherits from
# fp-parent, whose group (priority 65000) denies TCP 9000; fp-spoke's rules take their sources from the IP group
# aks-nodes (10.240.1.0/24) of the same file; fp-orphan inherits from a policy the file does not hold.
Describe 'Test-AksFirewallPolicy on a file with several policies, a parent and IP groups' {
    BeforeAll { $script:Hub = Join-Path $RepoRoot 'docs/examples/firewall/hub.json' }

    It 'asks which policy when the file holds several, and names them' {
        $err = { Test-AksFirewallPolicy -Path $Hub -Location westeurope } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'SeveralPolicies,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
        $err.Exception.Message | Should -BeLike '*fp-parent, fp-spoke, fp-orphan*-Name*'
        { Test-AksFirewallPolicy -Path $Hub -Name fp-nope -Location westeurope } | Should -Throw -ErrorId 'PolicyNotInFile,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
    }

    It 'processes the parent''s groups first, whatever their priority: its Deny shadows the child''s Allow' {
        $coverage = Test-AksFirewallPolicy -Path $Hub -Name fp-spoke -Location westeurope -SourceAddress 10.240.1.0/24 -WarningAction SilentlyContinue
        $tcp = $coverage | Where-Object Id -eq 'pub.core.tunnel-tcp-9000'
        $tcp.Status | Should -Be 'Denied'
        $tcp.RuleCollectionGroup | Should -Be 'fp-parent/parent-rules'
        ($coverage | Where-Object Id -eq 'pub.core.tunnel-udp-1194').Status | Should -Be 'Allowed'
    }

    It 'resolves IP groups from the file, and an IP group it does not hold never counts' {
        $coverage = Test-AksFirewallPolicy -Path $Hub -Name fp-spoke -Location westeurope -SourceAddress 10.240.1.0/24 -WarningAction SilentlyContinue
        ($coverage | Where-Object Destination -eq 'mcr.microsoft.com').Rule | Should -Be 'core'
        # The cluster's other subnet is not in aks-nodes: nothing allows it.
        $other = Test-AksFirewallPolicy -Path $Hub -Name fp-spoke -Location westeurope -SourceAddress 10.250.0.0/24 -WarningAction SilentlyContinue
        ($other | Where-Object Destination -eq 'packages.microsoft.com').Status | Should -Be 'Missing'
    }

    It 'gives no verdict when the parent policy is not available, and says why' {
        $coverage = Test-AksFirewallPolicy -Path $Hub -Name fp-orphan -Location westeurope -WarningVariable warnings -WarningAction SilentlyContinue
        $coverage.Status | Sort-Object -Unique | Should -Be 'Unknown'
        "$warnings" | Should -BeLike '*fp-elsewhere*Unknown*'
        Test-AksFirewallPolicy -Path $Hub -Name fp-orphan -Location westeurope -Quiet -WarningAction SilentlyContinue | Should -BeFalse
    }
}

# docs/examples/firewall/fw-classic.json: a firewall from before Firewall Policy, with classic rule collections: the
# tunnel by network rules, the core FQDNs by the AzureKubernetesService FQDN tag, DNS proxy in additionalProperties,
# and a NAT collection (inbound, not egress).
Describe 'Test-AksFirewallPolicy on classic firewall rules' {
    BeforeAll { $script:Classic = Join-Path $RepoRoot 'docs/examples/firewall/fw-classic.json' }

    It 'reads classic rules as Azure Firewall processes them, and says what moving to a policy takes' {
        $coverage = Test-AksFirewallPolicy -Path $Classic -Location westeurope -SourceAddress 10.42.1.0/24 -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1
        $verdicts = $coverage | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        ($verdicts | Where-Object Id -eq 'pub.core.tunnel-udp-1194').Rule | Should -Be 'tunnel-udp'
        ($verdicts | Where-Object Destination -eq 'mcr.microsoft.com').Rule | Should -Be 'aks'
        ($verdicts | Where-Object Destination -eq 'mcr.microsoft.com').RuleCollectionGroup | Should -Be 'fw-hub (classic rules)'
        "$warnings" | Should -BeLike '*fw-hub keeps classic rules*New-AksFirewallPolicy*'
        ($coverage | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'Not checked: NAT rule collection inbound-ssh of fw-hub: inbound, not egress.'
        Test-AksFirewallPolicy -Path $Classic -Location westeurope -SourceAddress 10.42.1.0/24 -Quiet -WarningAction SilentlyContinue | Should -BeTrue
    }
}

# Live (read only): the parent policy is followed through ARM, and the IP groups the rules name are read.
Describe 'Test-AksFirewallPolicy live, with a parent policy and IP groups' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
    BeforeAll {
        Use-ArmEmulator
        $script:Rg = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.Network"
    }

    BeforeEach {
        Reset-ArmEmulator
        Set-ArmResource "$Rg/ipGroups/aks-nodes" @{ location = 'westeurope'; properties = @{ ipAddresses = @('10.240.1.0/24') } }
        # fp-hub's rules take their sources from the IP group.
        $null = Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceIpGroupId "$Rg/ipGroups/aks-nodes" -Confirm:$false
    }

    It 'processes the parent''s groups first and resolves the IP groups, without writing' {
        Set-ArmResource "$Rg/firewallPolicies/fp-parent" @{ location = 'westeurope'; properties = @{} }
        Set-ArmResource "$Rg/firewallPolicies/fp-parent/ruleCollectionGroups/parent-rules" @{ properties = @{ priority = 65000; ruleCollections = @(
            @{ ruleCollectionType = 'FirewallPolicyFilterRuleCollection'; name = 'deny-tunnel'; priority = 100; action = @{ type = 'Deny' }; rules = @(
                @{ ruleType = 'NetworkRule'; name = 'no-9000'; ipProtocols = @('TCP'); sourceAddresses = @('*'); destinationAddresses = @('*'); destinationPorts = @('9000') }) }) } }
        $policy = Get-ArmResource "$Rg/firewallPolicies/fp-hub"
        Set-ArmResource "$Rg/firewallPolicies/fp-hub" @{ location = 'westeurope'; properties = @{ basePolicy = @{ id = "$Rg/firewallPolicies/fp-parent" }; dnsSettings = @{ enableProxy = $policy.properties.dnsSettings.enableProxy } } }
        $writes = @(Get-ArmRequest | Where-Object method -ne 'GET').Count

        $coverage = Test-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -Location westeurope -SourceAddress 10.240.1.0/24 -WarningAction SilentlyContinue
        ($coverage | Where-Object Id -eq 'pub.core.tunnel-tcp-9000').Status | Should -Be 'Denied'
        ($coverage | Where-Object Id -eq 'pub.core.tunnel-tcp-9000').RuleCollectionGroup | Should -Be 'fp-parent/parent-rules'
        ($coverage | Where-Object Destination -eq 'mcr.microsoft.com').Status | Should -Be 'Allowed'
        # 10.250.0.0/24 is not in aks-nodes.
        ((Test-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -Location westeurope -SourceAddress 10.250.0.0/24 -WarningAction SilentlyContinue) | Where-Object Destination -eq 'mcr.microsoft.com').Status | Should -Be 'Missing'
        @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be $writes
    }

    It 'gives no verdict, with a warning, when the parent cannot be read' {
        Set-ArmResource "$Rg/firewallPolicies/fp-hub" @{ location = 'westeurope'; properties = @{ basePolicy = @{ id = "/subscriptions/$TestSubscription/resourceGroups/rg-elsewhere/providers/Microsoft.Network/firewallPolicies/fp-gone" } } }
        $coverage = Test-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -Location westeurope -WarningVariable warnings -WarningAction SilentlyContinue
        $coverage.Status | Sort-Object -Unique | Should -Be 'Unknown'
        "$warnings" | Should -BeLike '*fp-gone*Unknown*'
    }
}

# Live (read only) by firewall: a classic firewall is checked on its own rules, one with a policy on that policy.
Describe 'Test-AksFirewallPolicy -FirewallName' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
    BeforeAll {
        Use-ArmEmulator
        $script:Rg = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.Network"
    }

    BeforeEach { Reset-ArmEmulator }

    It 'checks a firewall with classic rules on those rules' {
        # The firewall of docs/examples/firewall/fw-classic.json, as ARM returns it.
        $classic = (Get-Content -Raw (Join-Path $RepoRoot 'docs/examples/firewall/fw-classic.json') | ConvertFrom-Json).resources[0]
        Set-ArmResource "$Rg/azureFirewalls/fw-hub" @{ location = 'westeurope'; properties = $classic.properties }
        $writes = @(Get-ArmRequest | Where-Object method -ne 'GET').Count

        $coverage = Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName fw-hub -Location westeurope -SourceAddress 10.42.1.0/24 -WarningVariable warnings -WarningAction SilentlyContinue
        ($coverage | Where-Object Id -eq 'pub.core.tunnel-udp-1194').Rule | Should -Be 'tunnel-udp'
        ($coverage | Where-Object Destination -eq 'mcr.microsoft.com').RuleCollectionGroup | Should -Be 'fw-hub (classic rules)'
        "$warnings" | Should -BeLike '*fw-hub keeps classic rules*'
        Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName fw-hub -Location westeurope -SourceAddress 10.42.1.0/24 -Quiet -WarningAction SilentlyContinue | Should -BeTrue
        @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be $writes
    }

    It 'checks a firewall that uses a policy on that policy' {
        $null = Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -Confirm:$false
        Set-ArmResource "$Rg/azureFirewalls/fw-hub" @{ location = 'westeurope'; properties = @{ firewallPolicy = @{ id = "$Rg/firewallPolicies/fp-hub" } } }
        $coverage = Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName fw-hub -Location westeurope -SourceAddress 10.240.0.0/16 -Verbose 4>&1
        ($coverage | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Firewall fw-hub uses firewall policy $Rg/firewallPolicies/fp-hub."
        ($coverage | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Status | Sort-Object -Unique | Should -Be 'Allowed'
    }

    It 'says when the firewall does not exist, or its name cannot be one' {
        $err = { Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName fw-gone -Location westeurope } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'FirewallNotFound,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err = { Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName 'fw/../x' -Location westeurope } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidFirewallName,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
    }
}

# Issue 11, the cluster-aware check. The emulator's aks1 has outbound type userDefinedRouting; its subnet aks
# (10.240.0.0/22) has the route table rt-aks, whose route 0.0.0.0/0 goes to 10.0.1.4 (next hop VirtualAppliance), the
# private address of fw-hub, which uses fp-hub: the path AKS's "Limit egress traffic using Azure Firewall" builds.
Describe 'Test-AksFirewallPolicy -ClusterResourceId' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
    BeforeAll {
        Use-ArmEmulator
        $script:Rg = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers"
        $script:Cluster = "$Rg/Microsoft.ContainerService/managedClusters/aks1"
    }

    BeforeEach {
        Reset-ArmEmulator -DnsProxy
        # The policy built for the cluster, as the README shows: its requirements, its subnet as the source.
        $null = Get-AksEgressRequirement -ClusterResourceId $Cluster -WarningAction SilentlyContinue |
            New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/22 -Confirm:$false
    }

    It 'takes the requirements and the sources from the cluster, and finds its egress going through the firewall' {
        $writes = @(Get-ArmRequest | Where-Object method -ne 'GET').Count
        $out = Test-AksFirewallPolicy -ClusterResourceId $Cluster -ResourceGroupName rg-hub -Name fp-hub -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1
        $coverage = $out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $verbose = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message

        # The cluster's Windows and GPU pools and Container insights bring their rules, as Get-AksEgressRequirement gives them.
        $coverage.Destination | Should -Contain 'onegetcdn.azureedge.net'
        $coverage.Destination | Should -Contain 'nvidia.github.io'
        $coverage.Destination | Should -Contain '*.ods.opinsights.azure.com'
        $coverage.Status | Sort-Object -Unique | Should -Be 'Allowed'
        $verbose | Should -Contain 'Sources from the cluster''s subnets: 10.240.0.0/22.'
        $verbose | Should -Contain 'Egress path: subnet aks: route table rt-aks sends 0.0.0.0/0 to 10.0.1.4, firewall fw-hub'
        # The table also sends the API server's range straight to the internet: said, not a break.
        $verbose | Should -Contain 'Egress path: subnet aks: route table rt-aks sends 20.50.0.0/16 to Internet, past the firewall'
        $warnings | Where-Object { "$_" -like 'AKSFW1*' } | Should -BeNullOrEmpty
        Test-AksFirewallPolicy -ClusterResourceId $Cluster -ResourceGroupName rg-hub -Name fp-hub -Quiet -WarningAction SilentlyContinue | Should -BeTrue
        @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be $writes
    }

    It 'names each break in the path with its fix: a warning, a finding with -Hygiene, and $false with -Quiet' {
        Set-ArmResource "$Rg/Microsoft.Network/routeTables/rt-aks" @{ location = 'westeurope'; properties = @{ routes = @(
            @{ name = 'to-old-nva'; properties = @{ addressPrefix = '0.0.0.0/0'; nextHopType = 'VirtualAppliance'; nextHopIpAddress = '10.0.9.9' } }) } }

        $coverage = Test-AksFirewallPolicy -ClusterResourceId $Cluster -ResourceGroupName rg-hub -Name fp-hub -WarningVariable warnings -WarningAction SilentlyContinue
        $coverage.Status | Sort-Object -Unique | Should -Be 'Allowed'   # the policy's own verdicts do not change
        "$warnings" | Should -BeLike '*AKSFW103 DefaultRouteElsewhere: Route table rt-aks of subnet aks sends 0.0.0.0/0 to 10.0.9.9, which is not the private address of a firewall that uses this policy (fw-hub 10.0.1.4).*Fix: Associate a route table*10.0.1.4*'
        Test-AksFirewallPolicy -ClusterResourceId $Cluster -ResourceGroupName rg-hub -Name fp-hub -Quiet -WarningAction SilentlyContinue | Should -BeFalse

        $finding = Test-AksFirewallPolicy -ClusterResourceId $Cluster -ResourceGroupName rg-hub -Name fp-hub -Hygiene -IncludeRule DefaultRouteElsewhere -WarningAction SilentlyContinue
        $finding.Code | Should -Be 'AKSFW103'
        $finding.Severity | Should -Be 'Error'
        $finding.Subnet | Should -Be "$Rg/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/aks"
        $finding.PSTypeNames | Should -Contain 'AksEgress.Firewall.Coverage.EgressPathFinding'
    }

    It 'says the egress bypasses the firewall when the outbound type is a load balancer' {
        $aks = Get-ArmResource $Cluster
        $aks.properties.networkProfile.outboundType = 'loadBalancer'
        Set-ArmResource $Cluster $aks
        $findings = Test-AksFirewallPolicy -ClusterName aks1 -ClusterResourceGroupName rg-hub -ResourceGroupName rg-hub -Name fp-hub -Hygiene -Severity Error -WarningAction SilentlyContinue
        $findings.Code | Should -Be 'AKSFW101'
        $findings.Fix | Should -BeLike '*--outbound-type userDefinedRouting*'
    }

    It 'checks the path to the firewall named by -FirewallName, and a route table it may not read is unknown, not passing' {
        Add-ArmFault @{ fault = 'Status'; code = 403; errorCode = 'AuthorizationFailed'; pathEndsWith = '/routeTables/rt-aks' }
        $coverage = Test-AksFirewallPolicy -ClusterResourceId $Cluster -ResourceGroupName rg-hub -FirewallName fw-hub -WarningVariable warnings -WarningAction SilentlyContinue
        $coverage.Status | Sort-Object -Unique | Should -Be 'Allowed'
        "$warnings" | Should -BeLike '*AKSFW104 EgressPathUnknown:*rt-aks cannot be read (AuthorizationFailed)*'
    }

    It 'refuses -Location with a cluster, and a cluster id that is not one' {
        { Test-AksFirewallPolicy -ClusterResourceId $Cluster -ResourceGroupName rg-hub -Name fp-hub -Location westeurope } | Should -Throw -ErrorId 'LocationWithCluster,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
        { Test-AksFirewallPolicy -ClusterResourceId "$Rg/Microsoft.Network/azureFirewalls/fw-hub" -ResourceGroupName rg-hub -Name fp-hub } | Should -Throw -ErrorId 'InvalidClusterId,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
        { Test-AksFirewallPolicy -ClusterName aks1 -Path (Join-Path $RepoRoot 'docs/examples/firewall/hub.json') -Name fp-spoke } | Should -Throw -ErrorId 'InvalidClusterId,AksEgress.PowerShell.TestAksFirewallPolicyCommand'
    }
}

Describe 'Test-AksFirewallPolicy -FirewallName with classic rules that name IP groups' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
    BeforeAll {
        Use-ArmEmulator
        $script:Rg = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.Network"
    }

    It 'reads the IP groups the classic rules name, and one that is not there never counts' {
        Reset-ArmEmulator
        $classic = (Get-Content -Raw (Join-Path $RepoRoot 'docs/examples/firewall/fw-classic.json') | ConvertFrom-Json).resources[0]
        foreach ($collection in @($classic.properties.applicationRuleCollections) + @($classic.properties.networkRuleCollections)) {
            foreach ($rule in $collection.properties.rules) {
                $rule.sourceAddresses = @()
                $rule | Add-Member -Force sourceIpGroups @("$Rg/ipGroups/aks-nodes")
            }
        }
        Set-ArmResource "$Rg/azureFirewalls/fw-hub" @{ location = 'westeurope'; properties = $classic.properties }

        $missing = Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName fw-hub -Location westeurope -SourceAddress 10.42.1.0/24 -WarningVariable warnings -WarningAction SilentlyContinue
        ($missing | Where-Object Destination -eq 'mcr.microsoft.com').Status | Should -Be 'Missing'
        "$warnings" | Should -BeLike "*IP group $Rg/ipGroups/aks-nodes does not exist*"

        Set-ArmResource "$Rg/ipGroups/aks-nodes" @{ location = 'westeurope'; properties = @{ ipAddresses = @('10.42.0.0/16') } }
        $coverage = Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName fw-hub -Location westeurope -SourceAddress 10.42.1.0/24 -WarningAction SilentlyContinue
        ($coverage | Where-Object Destination -eq 'mcr.microsoft.com').Status | Should -Be 'Allowed'
        ($coverage | Where-Object Destination -eq 'mcr.microsoft.com').Note | Should -BeNullOrEmpty
        # 10.50.0.0/24 is not in the group.
        ((Test-AksFirewallPolicy -ResourceGroupName rg-hub -FirewallName fw-hub -Location westeurope -SourceAddress 10.50.0.0/24 -WarningAction SilentlyContinue) | Where-Object Destination -eq 'mcr.microsoft.com').Status | Should -Be 'Missing'
    }
}
