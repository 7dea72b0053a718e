namespace AksEgress.NetworkPolicy;

/// <summary>The network policy engines AKS offers.</summary>
public enum PolicyEngine
{
    AzureNpmLinux,
    AzureNpmWindows,
    Calico,
    Cilium,
}
