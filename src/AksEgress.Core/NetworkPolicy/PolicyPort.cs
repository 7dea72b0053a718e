namespace AksEgress.NetworkPolicy;

/// <summary>One entry of ports: protocol (TCP by default), and a numeric port with an optional endPort, a named port, or none (every port).</summary>
public sealed record PolicyPort(string Protocol, int? Port, string? PortName, int? EndPort)
{
    /// <summary>Where the port is written, and its field path (spec.ingress[0].ports[1]).</summary>
    public SourceSpan? Source { get; init; }
    public string? Path { get; init; }

    public override string ToString() => $"{Protocol}/{(PortName ?? (Port is null ? "*" : EndPort is null ? Port.ToString() : $"{Port}-{EndPort}"))}";
}
