using global::Azure.Core;
using global::Azure.Core.Pipeline;
using AksEgress.Catalog;

namespace AksEgress.Azure;

/// <summary>Where and how to reach Azure Resource Manager.</summary>
public sealed record ArmConnectionOptions
{
    public AksCloud Cloud { get; init; } = AksCloud.AzureCloud;
    /// <summary>An ARM endpoint other than the cloud's own (Azure Stack, a private cloud, a test emulator).</summary>
    public Uri? Endpoint { get; init; }
    public required TokenCredential Credential { get; init; }
    /// <summary>The HTTP transport; null for Azure.Core's default. Tests pass one that trusts only their emulator's certificate.</summary>
    public HttpPipelineTransport? Transport { get; init; }
    public int MaxRetries { get; init; } = 5;
    /// <summary>First retry delay when ARM sends no Retry-After; later ones grow exponentially.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Delay between long-running-operation polls when ARM sends no Retry-After.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}
