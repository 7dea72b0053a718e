BeforeAll { . $PSScriptRoot/Common.ps1 }

# Az.Accounts loads its own Azure.Core into the session. AksEgress loads its engine and its Azure.Core in a load context
# of its own, so both work in one session whichever is imported first. Each case runs in a fresh pwsh, as a user's session.
Describe 'AksEgress next to another Azure.Core' -Skip:(-not $env:AKSEGRESS_TEST_ARM -or -not $env:AKSEGRESS_OLD_AZURE_CORE) {
    BeforeEach { Reset-ArmEmulator }

    It 'applies a policy when an older Azure.Core was loaded <Order>' -ForEach @(@{ Order = 'before the import' }, @{ Order = 'after the import' }) {
        $loadOld = "Add-Type -Path '$env:AKSEGRESS_OLD_AZURE_CORE'; `$null = [Azure.Core.ResourceIdentifier]::Parse('/subscriptions/00000000-0000-0000-0000-000000000002')"
        $apply = "`$r = Get-AksEgressRequirement -Location westeurope | New-AksFirewallPolicy -ResourceGroupName rg-hub -Name fp-hub -SubscriptionId $TestSubscription -SourceAddress 10.240.0.0/16 -ArmEndpoint '$ArmUrl' -AccessToken (ConvertTo-SecureString t -AsPlainText -Force) -Confirm:`$false; `"Action=`$(`$r.Action)`""
        $versions = "[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Azure.Core' } | ForEach-Object { 'Azure.Core=' + `$_.GetName().Version } | Sort-Object"
        $steps = if ($Order -eq 'before the import') { @($loadOld, "Import-Module '$ModulePath'", $apply) } else { @("Import-Module '$ModulePath'", $apply, $loadOld) }
        $script = "`$ErrorActionPreference = 'Stop'; " + (($steps + $versions) -join '; ')
        $output = Invoke-FreshPwsh $script 2>&1
        $output | Should -Contain 'Action=Create' -Because ($output -join "`n")
        $output | Should -Contain 'Azure.Core=1.38.0.0'
        $output | Should -Contain 'Azure.Core=1.64.0.0'
    }
}
