# Dot-sourced by every test file: imports the *built* module exactly as a user does.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:AKSEGRESS_MODULE) { $env:AKSEGRESS_MODULE } else { Join-Path $RepoRoot 'out/AksEgress/AksEgress.psd1' }
Import-Module $ModulePath -Force -ErrorAction Stop

# The ARM emulator started by build.ps1 -Task Test (AKSEGRESS_TEST_ARM). Its certificate is trusted by this process
# only, through SSL_CERT_FILE. The Azure tests are skipped, with a warning, when it is not running.
$script:ArmUrl = $env:AKSEGRESS_TEST_ARM
$script:TestSubscription = '00000000-0000-0000-0000-000000000001'
$script:TestPolicyPath = "/subscriptions/$TestSubscription/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/fp-hub"

# The resource group rg-hub holds the firewall policy fp-hub, the firewall fw-hub that uses it, and the AKS cluster aks1 (Windows and GPU pools,
# Container insights, a VNet with DNS server 10.0.0.4, one extension).
# -OtherSubscription: the credential also sees a second subscription, so "the only one it can see" is ambiguous.
function Reset-ArmEmulator([switch] $DnsProxy, [switch] $NoPolicy, [switch] $NoResourceGroup, [switch] $OtherSubscription) {
    # Without the resource group the subscription still exists, and is the only one the credential sees.
    $query = if ($NoResourceGroup) { "?subscriptions=$TestSubscription" } else { "?subscription=$TestSubscription&resourceGroup=rg-hub&cluster=aks1" + $(if (-not $NoPolicy) { "&policy=fp-hub&firewall=fw-hub&dnsProxy=$("$DnsProxy".ToLowerInvariant())" }) }
    if ($OtherSubscription) { $query += '&subscriptions=00000000-0000-0000-0000-000000000002' }
    Invoke-RestMethod -Method Post -Uri "$($ArmUrl)_emulator/reset$query" | Out-Null
}

# TLS handshakes the emulator has seen since its reset; this call makes one of its own.
function Get-ArmHandshakeCount { [int] (Invoke-RestMethod -Uri "$($ArmUrl)_emulator/handshakes" -DisableKeepAlive) }

# Invoke-RestMethod emits a JSON array as one object; the requests are enumerated one by one.
function Get-ArmRequest { foreach ($request in (Invoke-RestMethod -Uri "$($ArmUrl)_emulator/requests")) { $request } }

function Get-ArmResource([string] $Id) { Invoke-RestMethod -Uri "$($ArmUrl)_emulator/resources?id=$([uri]::EscapeDataString($Id))" }

# Puts a resource into the emulator as ARM would hold it (the body is any object ConvertTo-Json can write).
function Set-ArmResource([string] $Id, [object] $Body) {
    Invoke-RestMethod -Method Put -Uri "$($ArmUrl)_emulator/resources?id=$([uri]::EscapeDataString($Id))" -ContentType application/json -Body ($Body | ConvertTo-Json -Depth 20) | Out-Null
}

function Add-ArmFault([hashtable] $Fault) {
    Invoke-RestMethod -Method Post -Uri "$($ArmUrl)_emulator/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json) | Out-Null
}

# Runs a command in a fresh session of this same host (`dotnet pwsh` or pwsh): no module loaded, no profile.
function Invoke-FreshPwsh([string] $Command) {
    $pwsh = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }
    & $pwsh[0] $pwsh[1..9] -NoProfile -NonInteractive -Command $Command
}

# Points the Azure cmdlets at the emulator, as a user would point them at an ARM endpoint with a token. No subscription
# is given: as for a user with one subscription, the module finds the only one the credential sees (and no Azure CLI
# profile of this machine is read).
function Use-ArmEmulator {
    foreach ($command in 'New-AksFirewallPolicy', 'Test-AksFirewallPolicy', 'Get-AksEgressRequirement') {
        $global:PSDefaultParameterValues["${command}:ArmEndpoint"] = $ArmUrl
        $global:PSDefaultParameterValues["${command}:AccessToken"] = ConvertTo-SecureString 'test-token' -AsPlainText -Force
    }
    $env:AZURE_SUBSCRIPTION_ID = $null
    $env:AZURE_CONFIG_DIR = Join-Path ([IO.Path]::GetTempPath()) "aksegress-no-azure-cli-$PID"
}
