using System.Net;

namespace AksEgress.NetworkPolicy;

/// <summary>A pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob.</summary>
public sealed record WorkloadPod
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>Pod, Deployment, StatefulSet, ...</summary>
    public required string Kind { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<ContainerPort> Ports { get; init; } = [];
    public bool HostNetwork { get; init; }
    /// <summary>status.podIP, when the manifest comes from a live cluster.</summary>
    public IPAddress? Ip { get; init; }
    public SourceSpan? Source { get; init; }

    public string Id => $"{Namespace}/{Name}";

    public override string ToString() => Id;
}
