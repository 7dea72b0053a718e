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
}
