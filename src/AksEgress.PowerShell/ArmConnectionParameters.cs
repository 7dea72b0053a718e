using System.Management.Automation;
using System.Security;

namespace AksEgress.PowerShell;

/// <summary>
/// The parameters of every cmdlet that reads or writes Azure (Get-AksEgressRequirement from a cluster,
/// Test-AksFirewallPolicy, New-AksFirewallPolicy), declared once: the cmdlets offer them as dynamic parameters, so names,
/// types, validation and help cannot drift apart. Sign-in is DefaultAzureCredential unless -AccessToken is given.
/// </summary>
public sealed class ArmConnectionParameters
{
    /// <summary>The subscription; else AZURE_SUBSCRIPTION_ID, the Az context, the Azure CLI's default, or the only one visible.</summary>
    [Parameter]
    [ValidateSubscriptionId]
    public string? SubscriptionId { get; set; }

    /// <summary>An ARM endpoint other than the cloud's own (Azure Stack Hub, a private cloud).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? ArmEndpoint { get; set; }

    /// <summary>A bearer token for ARM, instead of DefaultAzureCredential.</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? AccessToken { get; set; }

    /// <summary>The most the whole call may take with ARM, retries, waits and long-running operations included.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 600;

    /// <summary>The Microsoft Entra tenant DefaultAzureCredential signs in to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }
}
