namespace AksEgress.NetworkPolicy;

/// <summary>One ingress or egress rule. No peers means every peer; no ports means every port.</summary>
public sealed record PolicyRule(IReadOnlyList<PolicyPeer> Peers, IReadOnlyList<PolicyPort> Ports)
{
    public bool AllowsAllPeers => Peers.Count == 0;

    public bool AllowsAllPorts => Ports.Count == 0;
}
