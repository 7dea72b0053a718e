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

    /// <summary>
    /// The workload the pod belongs to, as "namespace/Kind/name": a ReplicaSet's pods are their Deployment's (the
    /// ReplicaSet name less its pod-template-hash), a StatefulSet's, DaemonSet's or Job's pods theirs (from
    /// metadata.ownerReferences); a pod template is its own workload; a bare pod is "namespace/Pod/name".
    /// </summary>
    public string Workload { get => _workload ?? $"{Namespace}/{Kind}/{Name}"; init => _workload = value; }

    private readonly string? _workload;

    public override string ToString() => Id;
}
