BeforeAll {
    . $PSScriptRoot/Common.ps1
    function Invoke-Apply([hashtable] $Extra = @{}, [string[]] $Feature = @()) {
        $rules = if ($Feature) { Get-AksEgressRequirement -Location westeurope -Feature $Feature } else { Get-AksEgressRequirement -Location westeurope }
        $rules | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -Confirm:$false @Extra
    }
}

Describe 'New-AksFirewallPolicy against the ARM emulator' -Skip:(-not $env:AKSEGRESS_TEST_ARM) {
    BeforeAll { Use-ArmEmulator }
    BeforeEach { Reset-ArmEmulator }

    It 'creates the group with one conditional PUT, then finds it in sync and writes nothing' {
        $first = Invoke-Apply
        $first.Action | Should -Be 'Create'
        $first.ETag | Should -Not -BeNullOrEmpty
        $puts = @(Get-ArmRequest | Where-Object method -eq 'PUT')
        $puts.Count | Should -Be 1
        $puts[0].path | Should -Be "$TestPolicyPath/ruleCollectionGroups/aks-egress"
        $puts[0].query | Should -Be '?api-version=2024-05-01'
        $puts[0].headers.authorization | Should -Be 'Bearer test-token'
        $puts[0].headers.'if-none-match' | Should -Be '*'

        $second = Invoke-Apply
        $second.Action | Should -Be 'None'
        @(Get-ArmRequest | Where-Object method -eq 'PUT').Count | Should -Be 1
    }

    It 'shows each step as progress, a record per step, and ends it' {
        # In a PowerShell instance, which keeps the records it is given (as a job's stream does).
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModulePath'; Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ArmEndpoint '$ArmUrl' -AccessToken (ConvertTo-SecureString t -AsPlainText -Force) -SubscriptionId $TestSubscription -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -Confirm:`$false")
            $result = $ps.Invoke()
            $result.Action | Should -Be 'Create'
            $steps = @($ps.Streams.Progress | Where-Object Activity -eq 'New-AksFirewallPolicy')
            @($steps.StatusDescription | Sort-Object -Unique).Count | Should -BeGreaterThan 1
            $steps[-1].RecordType | Should -Be 'Completed'
            @($steps | Where-Object RecordType -eq 'Completed').Count | Should -BeLessThan $steps.Count
        }
        finally { $ps.Dispose() }
    }

    It 'writes a change with If-Match on the ETag it read' {
        $first = Invoke-Apply
        $update = Invoke-Apply -Feature AzureMonitor
        $update.Action | Should -Be 'Update'
        ($update.Changes | Where-Object Change -eq 'Added').Rule | Should -Contain 'pub.monitor.dce-logs'
        (Get-ArmRequest | Where-Object method -eq 'PUT' | Select-Object -Last 1).headers.'if-match' | Should -Be $first.ETag
    }

    It 'shows the plan with -WhatIf and writes nothing' {
        $verbose = Invoke-Apply -Extra @{ WhatIf = $true; Verbose = $true } 4>&1
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Contain "create rule collection group aks-egress (priority 500) with 10 rules`n  + aks-egress-network/pub.core.tunnel-udp-1194: UDP 1194 -> AzureCloud.westeurope`n  + aks-egress-network/pub.core.tunnel-tcp-9000: TCP 9000 -> AzureCloud.westeurope`n  + aks-egress-application/pub.core.hcp: Https:443 -> *.hcp.westeurope.azmk8s.io`n  + aks-egress-application/pub.core.mcr: Https:443 -> mcr.microsoft.com`n  + aks-egress-application/pub.core.mcr-data: Https:443 -> *.data.mcr.microsoft.com`n  + aks-egress-application/pub.core.mcr-msedge: Https:443 -> mcr-0001.mcr-msedge.net`n  + aks-egress-application/pub.core.management: Https:443 -> management.azure.com`n  + aks-egress-application/pub.core.login: Https:443 -> login.microsoftonline.com`n  + aks-egress-application/pub.core.packages-microsoft: Https:443 -> packages.microsoft.com`n  + aks-egress-application/pub.core.packages-aks: Https:443 -> packages.aks.azure.com"
        @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be 0
    }

    It 'prints the plan as "What if:" text on the host' {
        $script = "Import-Module '$ModulePath'; `$PSDefaultParameterValues['New-AksFirewallPolicy:ArmEndpoint'] = '$ArmUrl'; " +
            "Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SubscriptionId $TestSubscription -SourceAddress 10.240.0.0/16 -AccessToken (ConvertTo-SecureString t -AsPlainText -Force) -WhatIf"
        $text = (Invoke-FreshPwsh $script) -join "`n"
        $text | Should -BeLike '*What if: Performing the operation "create rule collection group aks-egress (priority 500) with 10 rules*+ aks-egress-network/pub.core.tunnel-udp-1194: UDP 1194 -> AzureCloud.westeurope*'
        @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be 0
    }

    It 'retries after 409 AnotherOperationInProgress and re-plans after 412' {
        Add-ArmFault @{ method = 'PUT'; pathEndsWith = '/ruleCollectionGroups/aks-egress'; fault = 'Status'; code = 409; errorCode = 'AnotherOperationInProgress'; retryAfter = 1 }
        Add-ArmFault @{ method = 'PUT'; pathEndsWith = '/ruleCollectionGroups/aks-egress'; fault = 'Status'; code = 412; errorCode = 'PreconditionFailed' }
        $result = Invoke-Apply
        $result.Action | Should -Be 'Create'
        $result.Attempts | Should -Be 2
    }

    It 'reports a long-running operation that ends Failed with ARM''s message, and the group is not written' {
        Add-ArmFault @{ method = 'PUT'; pathEndsWith = '/ruleCollectionGroups/aks-egress'; fault = 'OperationFails'; message = 'Policy update failed: internal error 42.' }
        $err = { Invoke-Apply } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*internal error 42*'
        { Get-ArmResource "$TestPolicyPath/ruleCollectionGroups/aks-egress" } | Should -Throw
    }

    It 'creates a missing policy with DNS proxy on, in the region of the rules' {
        Reset-ArmEmulator -NoPolicy
        $result = Invoke-Apply
        $result.PolicyCreated | Should -BeTrue
        $policy = Get-ArmResource $TestPolicyPath
        $policy.location | Should -Be 'westeurope'
        $policy.properties.dnsSettings.enableProxy | Should -BeTrue
    }

    It 'says which credential sources it tried when none can sign in' {
        $saved = $global:PSDefaultParameterValues['New-AksFirewallPolicy:AccessToken']
        $global:PSDefaultParameterValues.Remove('New-AksFirewallPolicy:AccessToken')
        try {
            $err = { Invoke-Apply } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'AuthenticationFailed,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            # The managed identity line reads "ManagedIdentityCredential ..." or "Managed Identity ...", by what answers at IMDS.
            foreach ($source in 'EnvironmentCredential', 'Managed ?Identity', 'AzureCliCredential', 'AzurePowerShellCredential') { $err.Exception.Message | Should -Match $source }
            $err.Exception.Message | Should -BeLike '*-AccessToken*'
            @(Get-ArmRequest).Count | Should -Be 0
        }
        finally { $global:PSDefaultParameterValues['New-AksFirewallPolicy:AccessToken'] = $saved }
    }

    Context 'Refusals, each before any write' {
        AfterEach { @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be 0 }

        It '<Case>' -ForEach @(
            @{ Case = 'an invalid CIDR in -SourceAddress'; Extra = @{ SourceAddress = '10.240.0.0/33' }; ErrorId = 'InvalidSourceAddress'; Category = 'InvalidArgument' }
            @{ Case = 'no source at all'; Extra = @{ SourceAddress = $null }; ErrorId = 'NoSource'; Category = 'InvalidArgument' }
            @{ Case = 'a malformed policy id'; Extra = @{ PolicyId = '/subscriptions/x/fp-hub' }; ErrorId = 'InvalidPolicyId'; Category = 'InvalidArgument' }
            # ARM's naming rules, checked before any request: a name never carries a query string or a path into a URL.
            @{ Case = 'a policy name with a query string'; Extra = @{ Name = 'fp-hub?api-version=2024-05-01&' }; ErrorId = 'InvalidPolicyId'; Category = 'InvalidArgument' }
            @{ Case = 'a resource group name with a path'; Extra = @{ ResourceGroupName = 'rg-hub/providers/x' }; ErrorId = 'InvalidPolicyId'; Category = 'InvalidArgument' }
        ) {
            $params = @{ SourceAddress = '10.240.0.0/16'; Confirm = $false }
            if ($Extra.ContainsKey('PolicyId')) { $params.PolicyId = $Extra.PolicyId } else { $params.ResourceGroupName = $Extra.ResourceGroupName ?? 'rg-hub'; $params.Name = $Extra.Name ?? 'fp-hub' }
            if ($Extra.ContainsKey('SourceAddress')) { if ($null -eq $Extra.SourceAddress) { $params.Remove('SourceAddress') } else { $params.SourceAddress = $Extra.SourceAddress } }
            $err = { Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy @params } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be "$ErrorId,AksEgress.PowerShell.NewAksFirewallPolicyCommand"
            $err.CategoryInfo.Category | Should -Be $Category
            @(Get-ArmRequest).Count | Should -Be 0
        }

        It 'an empty rule set' {
            $err = { @() | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'EmptyRuleSet,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
        }

        It 'a missing resource group' {
            Reset-ArmEmulator -NoResourceGroup
            $err = { Invoke-Apply } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ResourceGroupNotFound,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'no permission (403)' {
            Add-ArmFault @{ method = 'GET'; pathEndsWith = '/firewallPolicies/fp-hub'; fault = 'Status'; code = 403; errorCode = 'AuthorizationFailed' }
            $err = { Invoke-Apply } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'AuthorizationFailed,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err.Exception.Message | Should -BeLike '*ruleCollectionGroups/write*'
        }

        It 'a priority another group uses' {
            Invoke-RestMethod -Method Put -Uri "$($ArmUrl)_emulator/resources?id=$([uri]::EscapeDataString("$TestPolicyPath/ruleCollectionGroups/DefaultApplicationRuleCollectionGroup"))" -ContentType application/json -Body '{ "properties": { "priority": 300, "ruleCollections": [] } }' | Out-Null
            $err = { Invoke-Apply -Extra @{ Priority = 300 } } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'PriorityInUse,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*DefaultApplicationRuleCollectionGroup*'
        }

        It 'network rules with FQDNs while DNS proxy is off' {
            $err = { Get-AksEgressRequirement -Location westeurope -IncludeOptional | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SourceAddress 10.240.0.0/16 -Confirm:$false } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'DnsProxyRequired,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*-EnableDnsProxy*'
        }

        It 'a malformed subscription id, at bind time' {
            $err = { Invoke-Apply -Extra @{ SubscriptionId = 'banana' } } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*is not a subscription id*GUID*'
        }
    }

    # Where Az users already have their subscription, in Az's order; -Verbose says which one was used.
    Context 'Finding the subscription' {
        BeforeAll {
            # Use-ArmEmulator gives no subscription; no Azure CLI profile unless a test writes one.
            $script:Saved = $env:AZURE_CONFIG_DIR
            $env:AZURE_CONFIG_DIR = Join-Path $TestDrive 'azure-cli'
            $null = New-Item -ItemType Directory -Path $env:AZURE_CONFIG_DIR -Force
        }
        AfterAll { $env:AZURE_CONFIG_DIR = $Saved }
        AfterEach {
            Remove-Item (Join-Path $env:AZURE_CONFIG_DIR 'azureProfile.json') -ErrorAction Ignore
            Remove-Module Az.Accounts -ErrorAction Ignore
            $env:AZURE_SUBSCRIPTION_ID = $null
        }

        It 'uses the only subscription the credential can see' {
            $verbose = Invoke-Apply -Extra @{ Verbose = $true } 4>&1
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Subscription $TestSubscription, from the only subscription the credential can see (Subscription 1)."
            (Get-ArmRequest | Where-Object method -eq 'PUT').path | Should -Be "$TestPolicyPath/ruleCollectionGroups/aks-egress"
        }

        It 'uses the Azure CLI''s default subscription' {
            Reset-ArmEmulator -OtherSubscription
            # As the CLI writes it: with a byte order mark.
            $profile = @{ subscriptions = @(@{ id = '00000000-0000-0000-0000-000000000002'; isDefault = $false }, @{ id = $TestSubscription; isDefault = $true }) } | ConvertTo-Json -Depth 4
            [IO.File]::WriteAllText((Join-Path $env:AZURE_CONFIG_DIR 'azureProfile.json'), $profile, [Text.UTF8Encoding]::new($true))
            $verbose = Invoke-Apply -Extra @{ Verbose = $true } 4>&1
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Subscription $TestSubscription, from the Azure CLI's default subscription ($(Join-Path $env:AZURE_CONFIG_DIR 'azureProfile.json'))."
        }

        It 'uses the Az PowerShell context when Az.Accounts is loaded, before the Azure CLI' {
            Reset-ArmEmulator -OtherSubscription
            $profile = @{ subscriptions = @(@{ id = '00000000-0000-0000-0000-000000000002'; isDefault = $true }) } | ConvertTo-Json -Depth 4
            Set-Content (Join-Path $env:AZURE_CONFIG_DIR 'azureProfile.json') $profile
            # A stand-in for Az.Accounts: the module name and Get-AzContext's shape are what the module reads.
            New-Module -Name Az.Accounts -ArgumentList $TestSubscription -ScriptBlock {
                param($Id) function Get-AzContext { [pscustomobject]@{ Subscription = [pscustomobject]@{ Id = $Id } } }
            } | Import-Module -Global
            $verbose = Invoke-Apply -Extra @{ Verbose = $true } 4>&1
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Subscription $TestSubscription, from the Az PowerShell context (Get-AzContext)."
        }

        It 'uses AZURE_SUBSCRIPTION_ID before the Az context' {
            Reset-ArmEmulator -OtherSubscription
            $env:AZURE_SUBSCRIPTION_ID = $TestSubscription
            $result = Invoke-Apply
            $result.PolicyId | Should -Be $TestPolicyPath
        }

        It 'lists what it tried, and what it saw, when nothing decides' {
            Reset-ArmEmulator -OtherSubscription
            $err = { Invoke-Apply } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'SubscriptionRequired,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            foreach ($tried in '-SubscriptionId (not given)', 'AZURE_SUBSCRIPTION_ID (not set)', 'the Az PowerShell context', 'the Azure CLI''s default subscription', '2, so it is ambiguous', $TestSubscription, '00000000-0000-0000-0000-000000000002') {
                $err.Exception.Message | Should -BeLike "*$tried*"
            }
            @(Get-ArmRequest | Where-Object method -ne 'GET').Count | Should -Be 0
        }
    }

    # Issue 13, item 8 and 9: every ARM call is bounded, and the result says what ARM holds.
    Context 'Bounds, and the truth about what was written' {
        BeforeEach { Reset-ArmEmulator }

        It 'stops at -TimeoutSec when a long-running operation never ends' {
            Add-ArmFault @{ method = 'PUT'; pathEndsWith = '/ruleCollectionGroups/aks-egress'; fault = 'SlowOperation'; polls = 1000000 }
            $err = { Invoke-Apply -Extra @{ TimeoutSec = 3 } } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ArmTimeout,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.Exception.Message | Should -BeLike '*-TimeoutSec 3 s*writing the rule collection group*run the same command again*'
        }

        It 'does not wait an hour when ARM asks for it (Retry-After 3600)' {
            Add-ArmFault @{ method = 'PUT'; pathEndsWith = '/ruleCollectionGroups/aks-egress'; fault = 'Status'; code = 409; errorCode = 'AnotherOperationInProgress'; retryAfter = 3600 }
            $err = { Invoke-Apply } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ArmRetryAfterTooLong,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*3600 s*at most 120 s*'
            @(Get-ArmRequest | Where-Object method -eq 'PUT').Count | Should -Be 1
        }

        It 'refuses list pages that loop back on themselves' {
            Add-ArmFault @{ method = 'GET'; pathEndsWith = '/ruleCollectionGroups'; fault = 'SelfNextLink'; times = 50 }
            $err = { Invoke-Apply } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ArmResponseInvalid,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*comes back to a page it already gave*'
        }

        It 'refuses an answer larger than 64 MiB without reading it whole, and an answer that is not JSON' {
            Add-ArmFault @{ method = 'GET'; pathEndsWith = '/firewallPolicies/fp-hub'; fault = 'HugeBody'; megabytes = 100 }
            $err = { Invoke-Apply } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ArmResponseInvalid,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*larger than 64 MiB*'
            @(Get-ArmRequest | Where-Object path -like '*/firewallPolicies/fp-hub').Count | Should -Be 1 -Because 'it is not retried'

            Reset-ArmEmulator
            Add-ArmFault @{ method = 'GET'; pathEndsWith = '/firewallPolicies/fp-hub'; fault = 'MalformedBody' }
            { Invoke-Apply } | Should -Throw -ErrorId 'ArmResponseInvalid,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
        }

        It 'says so when ARM accepts a write but does not store it' {
            $null = Invoke-Apply
            Add-ArmFault @{ method = 'PUT'; pathEndsWith = '/ruleCollectionGroups/aks-egress'; fault = 'DropWrite' }
            $err = { Invoke-Apply -Feature AzureMonitor } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'WriteNotApplied,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*reading it back*'
        }

        It 'reports the write it made when the answer to it was lost (not None)' {
            Add-ArmFault @{ method = 'PUT'; pathEndsWith = '/ruleCollectionGroups/aks-egress'; fault = 'ResetAfterWrite' }
            $result = Invoke-Apply
            $result.Action | Should -Be 'Create'
            (Get-ArmResource "$TestPolicyPath/ruleCollectionGroups/aks-egress").properties.priority | Should -Be 500
        }
    }

    # Waiting does not cure these: one attempt, and a message that names the cause and the fix.
    Context 'Transport failures that are not retried' {
        It 'a certificate the machine does not trust (as behind TLS inspection)' {
            Reset-ArmEmulator
            $before = Get-ArmHandshakeCount
            $saved = $env:SSL_CERT_FILE
            $env:SSL_CERT_FILE = $null # the child process does not trust the emulator's certificate
            try {
                $output = Invoke-FreshPwsh "Import-Module '$ModulePath'; try { Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SubscriptionId $TestSubscription -SourceAddress 10.240.0.0/16 -ArmEndpoint '$ArmUrl' -AccessToken (ConvertTo-SecureString t -AsPlainText -Force) -Confirm:`$false } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.Exception.Message }"
            }
            finally { $env:SSL_CERT_FILE = $saved }
            $output[0] | Should -Be 'ArmCertificateUntrusted,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $output[1] | Should -Be 'SecurityError'
            $output[2] | Should -BeLike '*TLS connection to ARM failed*UntrustedRoot*trusted roots*'
            # One handshake by the command, one by each count.
            (Get-ArmHandshakeCount) - $before - 1 | Should -Be 1
        }

        It 'a host name that does not resolve' {
            $err = { Invoke-Apply -Extra @{ ArmEndpoint = 'https://aksegress-test.invalid/' } } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'ArmHostNotFound,AksEgress.PowerShell.NewAksFirewallPolicyCommand'
            $err.Exception.Message | Should -BeLike '*does not resolve*-ArmEndpoint*'
        }
    }
}
