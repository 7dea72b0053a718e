<#
.SYNOPSIS
    Azure Automation runbook (PowerShell 7.4 or 5.1 runtime): checks that an Azure Firewall policy still allows every egress
    rule an AKS cluster needs, and fails the job when it does not.
.DESCRIPTION
    Import out/package/AksEgress.zip into the Automation account (Modules, Add a module, runtime 7.4 or 5.1), give the account
    a system-assigned managed identity with the Reader role on the firewall policy, and link this runbook to a schedule.
    DefaultAzureCredential signs in with the managed identity. The job fails when a required rule is missing, so an
    alert on failed jobs catches drift; stale and over-broad rules are written as warnings. It never writes to Azure,
    so a restarted job is harmless.
#>
param(
    [string] $SubscriptionId,
    [Parameter(Mandatory)] [string] $ResourceGroupName,
    [Parameter(Mandatory)] [string] $FirewallPolicyName,
    [Parameter(Mandatory)] [string] $Location,
    [string[]] $Feature = @(),
    [string[]] $SourceAddress = @()
)

$ErrorActionPreference = 'Stop'
# First: on Windows PowerShell 5.1 AksEgress must load its libraries before another module loads older copies of them.
Import-Module AksEgress

$check = @{ ResourceGroupName = $ResourceGroupName; Name = $FirewallPolicyName; Location = $Location }
if ($SubscriptionId) { $check.SubscriptionId = $SubscriptionId } # else the one the managed identity can see
if ($Feature) { $check.Feature = $Feature }
if ($SourceAddress) { $check.SourceAddress = $SourceAddress }
foreach ($finding in Test-AksFirewallPolicy @check -Hygiene) {
    Write-Warning "$($finding.Kind) rule $($finding.RuleCollectionGroup)/$($finding.RuleCollection)/$($finding.Rule): $($finding.Message)"
}

$coverage = @(Test-AksFirewallPolicy @check -WarningAction SilentlyContinue | Where-Object Required)
$missing = @($coverage | Where-Object Status -ne 'Allowed')
if ($missing.Count -gt 0) {
    $missing | Format-Table Status, Id, Port, Destination -AutoSize | Out-String | Write-Output
    throw "$($missing.Count) of $($coverage.Count) required AKS egress rules are not allowed by firewall policy $FirewallPolicyName."
}

"All $($coverage.Count) required AKS egress rules are allowed by firewall policy $FirewallPolicyName."
