namespace AksEgress.Catalog;

/// <summary>A cluster feature or add-on with egress rules of its own. <see cref="None"/> marks the core rules.</summary>
public enum AksFeature
{
    None,
    Gpu,
    Windows,
    Defender,
    CsiSecretStore,
    AzureMonitor,
    AzurePolicy,
    CostAnalysis,
    ClusterExtensions,
    WorkloadIdentity,
    /// <summary>The Istio-based service mesh add-on: with a plug-in CA or secure ingress gateways, the Key Vault rules.</summary>
    Istio,
    /// <summary>The application routing add-on: with certificates in Azure Key Vault, the Key Vault rules.</summary>
    ApplicationRouting,
}
