using System.Net;

namespace AksEgress.NetworkPolicy;

/// <summary>An ipBlock peer: addresses in <see cref="Cidr"/> but not in any <see cref="Except"/> block.</summary>
public sealed record IpBlock(IpNetwork Cidr, IReadOnlyList<IpNetwork> Except)
{
    public bool Contains(IPAddress ip) => Contains(ip.GetAddressBytes());

    public bool Contains(byte[] address) => Cidr.Contains(address) && !Except.Any(e => e.Contains(address));

    public override string ToString() => Except.Count == 0 ? Cidr.ToString() : $"{Cidr} except {string.Join(", ", Except)}";
}
