using System.Net;

namespace AksEgress.NetworkPolicy;

/// <summary>One end of a connection: a pod of the model, or an address outside it.</summary>
public sealed record Endpoint(WorkloadPod? Pod, IPAddress? Address)
{
    public static Endpoint Of(WorkloadPod pod) => new(pod, pod.Ip);

    public static Endpoint Of(IPAddress address) => new(null, address);

    public override string ToString() => Pod?.Id ?? Address?.ToString() ?? "?";
}
