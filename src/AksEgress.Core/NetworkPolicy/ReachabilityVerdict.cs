namespace AksEgress.NetworkPolicy;

/// <summary>Whether traffic from one endpoint to another on a port is allowed, and which policies and rules decide it.</summary>
public sealed record ReachabilityVerdict
{
    public required string From { get; init; }
    public required string To { get; init; }
    public int Port { get; init; }
    public required string Protocol { get; init; }
    public bool Allowed { get; init; }
    /// <summary>Whether the source's egress lets the connection out (true for a source outside the cluster).</summary>
    public bool EgressAllowed { get; init; }
    /// <summary>Whether the destination's ingress lets it in (true for a destination outside the cluster).</summary>
    public bool IngressAllowed { get; init; }
    /// <summary>In words: what allowed it, or what isolates the pod with no matching rule.</summary>
    public required string Reason { get; init; }
    /// <summary>The rules that allowed each direction, as namespace/policy:egress[i] or :ingress[i].</summary>
    public DisplayList<string> AllowedBy { get; init; } = DisplayList<string>.Empty;
    /// <summary>The policies that isolate a pod in a direction that no rule opened.</summary>
    public DisplayList<string> DeniedBy { get; init; } = DisplayList<string>.Empty;
    public string? Engine { get; init; }
}
