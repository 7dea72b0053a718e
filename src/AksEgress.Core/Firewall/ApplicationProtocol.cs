namespace AksEgress.Firewall;

/// <summary>An application rule protocol: <c>Http</c> or <c>Https</c> and a port (ARM allows 0 to 64000).</summary>
public sealed record ApplicationProtocol(string ProtocolType, int Port)
{
    public override string ToString() => $"{ProtocolType}:{Port}";
}
