namespace AksEgress.NetworkPolicy;

/// <summary>
/// One entry of from/to. podSelector and namespaceSelector in one peer are ANDed; a podSelector alone means the
/// policy's own namespace; a namespaceSelector alone means every pod of the matching namespaces.
/// </summary>
public sealed record PolicyPeer(LabelSelector? PodSelector, LabelSelector? NamespaceSelector, IpBlock? IpBlock)
{
    /// <summary>Where the peer is written, and its field path (spec.ingress[0].from[1]).</summary>
    public SourceSpan? Source { get; init; }
    public string? Path { get; init; }

    public override string ToString() => IpBlock is not null ? $"ipBlock {IpBlock}"
        : NamespaceSelector is null ? $"pods {PodSelector}"
        : PodSelector is null ? $"namespaces {NamespaceSelector}"
        : $"pods {PodSelector} in namespaces {NamespaceSelector}";
}
